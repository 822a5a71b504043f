#include "analysis/db_ops.hpp"

#include <algorithm>
#include <cctype>

#include "analysis/node_util.hpp"

namespace nextguard::analysis {

using syntax::Node;

namespace {

/// Does `root` (the first name of a call chain) look like a database client? By name
/// (prisma, db, tx, ctx.db...), by where it is imported from (a module whose path names
/// prisma, db, database or drizzle), or by a module-level binding to a client.
bool is_client_root(const std::string& root, const DbFileContext& ctx) {
    if (root.empty()) return false;
    std::string l = lower(root);
    static const char* names[] = {"prisma", "db", "tx", "trx", "database", "client", "prismaclient", "ctx",
                                  "this", "dbclient", "orm", "drizzle", "conn", "connection", "transaction"};
    for (const char* n : names)
        if (l == n) return true;
    if (l.ends_with("db") || l.ends_with("prisma") || l.ends_with("client")) return true;
    if (std::find(ctx.client_locals.begin(), ctx.client_locals.end(), root) != ctx.client_locals.end()) return true;
    if (ctx.imports) {
        for (const auto& imp : *ctx.imports) {
            if (imp.local != root) continue;
            std::string spec = lower(imp.specifier);
            return spec.find("prisma") != std::string::npos || spec.find("drizzle") != std::string::npos ||
                   spec.find("database") != std::string::npos || spec == "db" || spec.ends_with("/db") ||
                   spec.find("/db/") != std::string::npos || spec.find("db/") == 0 || spec.ends_with("-db");
        }
    }
    return false;
}

bool is_supabase_root(const std::string& root, const DbFileContext& ctx) {
    std::string l = lower(root);
    if (l.find("supabase") != std::string::npos) return true;
    if (l.rfind("create", 0) == 0 && l.ends_with("client")) return true;  // createClient().from(...)
    return std::find(ctx.client_locals.begin(), ctx.client_locals.end(), root) != ctx.client_locals.end();
}

/// What `method` does by the library's knowledge; false when the knowledge does not list it.
bool known_kind(const DatabaseKnowledge& db, std::string_view method, DbOp::Kind& kind) {
    if (db.list.count(method)) kind = DbOp::Kind::List;
    else if (db.read.count(method)) kind = DbOp::Kind::Read;
    else if (db.write.count(method)) kind = DbOp::Kind::Write;
    else if (db.aggregate.count(method)) kind = DbOp::Kind::Aggregate;
    else if (db.raw.count(method)) kind = DbOp::Kind::Raw;
    else return false;
    return true;
}

/// The parent lookup of the current extraction (set by detect_db_op).
thread_local const std::function<Node(Node)>* g_parent = nullptr;

Node parent_of(Node n) { return g_parent && *g_parent ? (*g_parent)(n) : n.parent(); }

/// The method call chained on `call`: `call.<name>(...)`; sets `name`, returns the outer call.
Node chained(Node call, std::string_view& name) {
    Node member = parent_of(call);
    if (!member.is("member_expression") || member.field("object").id() != call.id()) return {};
    Node next = parent_of(member);
    if (!next.is("call_expression") || next.field("function").id() != member.id()) return {};
    name = member.field("property").text();
    return next;
}

/// Walks the calls chained onto `call` (`.where(..).limit(..)`), at most 64, handing each
/// method name and call to `on_link`; returns the outermost call.
template <class OnLink>
Node walk_chain(Node call, OnLink&& on_link) {
    Node outer = call;
    std::string_view next;
    for (int i = 0; i < 64; ++i) {
        Node n = chained(outer, next);
        if (!n) break;
        on_link(next, n);
        outer = n;
    }
    return outer;
}

Node first_arg(Node call) {
    Node args = call.field("arguments");
    return args ? unwrap(args.named_child(0)) : Node();
}

/// The keys of a `where` object. With `optional_roots`, also the names read through `?.`
/// in its values (`authorId: session?.user.id`): undefined when the name is, and Prisma
/// drops the key. Where the method must name a unique key (`unique_where`) and no other key
/// is set, an undefined one makes the call throw: the names go to `required_roots` instead.
void where_keys(Node call, std::vector<std::string>& keys, std::vector<std::string>* optional_roots = nullptr,
                std::vector<std::string>* required_roots = nullptr, bool unique_where = false) {
    Node where = unwrap(object_value(first_arg(call), "where"));
    if (!where.is("object")) return;
    std::vector<std::string> roots;
    bool other_key = false;
    for (Node p : syntax::named_children(where)) {
        std::string k = pair_key(p);
        if (!k.empty() && keys.size() < 16) keys.push_back(k);
        Node v = p.is("pair") ? unwrap(p.field("value")) : Node();
        std::string root = v.is("member_expression") && v.text().find("?.") != std::string_view::npos ? chain_root(v) : "";
        if (root.empty()) other_key = other_key || !k.empty() || p.is("spread_element");
        else if (roots.size() < 8) roots.push_back(std::move(root));
    }
    if (!optional_roots) return;
    if (other_key || !unique_where) *optional_roots = std::move(roots);
    else if (required_roots) *required_roots = std::move(roots);
}

/// The keys of an object literal (`{ status: "done", count }`), appended to `keys`; also
/// those of a conditional spread (`...(id && { id })`). Another spread (`...rest`, whose
/// keys cannot be seen) adds "...".
void object_keys(Node obj, std::vector<std::string>& keys, int depth = 0) {
    obj = unwrap(obj);
    if (!obj.is("object") || depth > 4) return;
    for (Node p : syntax::named_children(obj)) {
        if (p.is("spread_element")) {
            Node inner = unwrap(p.named_child(0));
            if (inner.is("binary_expression") && inner.field("operator").text() == "&&") inner = unwrap(inner.field("right"));
            if (inner.is("object")) object_keys(inner, keys, depth + 1);
            else if (keys.size() < 16) keys.push_back("...");
            continue;
        }
        std::string k = pair_key(p);
        if (!k.empty() && keys.size() < 16) keys.push_back(k);
    }
}

/// Prisma: the keys a write sets, from `data` (and an upsert's `update`).
void data_keys(Node call, std::vector<std::string>& keys) {
    Node arg = first_arg(call);
    object_keys(object_value(arg, "data"), keys);
    object_keys(object_value(arg, "update"), keys);
}

/// Prisma `where: { id }`, `where: { id: x }` or a compound unique key `where: { a_b: {...} }`.
bool where_is_unique(Node where) {
    where = unwrap(where);
    if (!where.is("object")) return false;
    for (Node p : syntax::named_children(where)) {
        std::string key = pair_key(p);
        if (key == "id") return true;  // one row, or at most as many as the ids asked for (`id: { in: ids }`)
        if (key.find('_') != std::string::npos && key.front() != '_' && p.is("pair") &&
            unwrap(p.field("value")).is("object"))
            return true;
    }
    return false;
}

/// A list of keys the code made from rows it already holds (`rows.map((r) => r.id)`, or a
/// name declared so in the enclosing function): as long as the page those rows were.
bool keys_of_rows(Node list) {
    list = unwrap(list);
    auto mapped = [](Node n) {
        n = unwrap(n);
        if (!n.is("call_expression")) return false;
        Node callee = unwrap(n.field("function"));
        return callee.is("member_expression") && callee.field("property").text() == "map";
    };
    if (mapped(list)) return true;
    if (!list.is("identifier")) return false;
    Node value = declared_value(list, list.text());
    return value && mapped(value);
}

/// `where: { entityId: { in: ids } }` with `distinct: ["entityId"]`, or `in` a list of keys
/// of rows at hand: bounded by that list.
bool where_in_known_keys(Node where, Node distinct) {
    where = unwrap(where);
    if (!where.is("object")) return false;
    for (Node p : syntax::named_children(where)) {
        Node v = p.is("pair") ? unwrap(p.field("value")) : Node();
        Node in = v.is("object") ? object_value(v, "in") : Node();
        if (!in) continue;
        if (keys_of_rows(in)) return true;
        std::string key = pair_key(p);
        for (Node d : distinct ? syntax::named_children(unwrap(distinct)) : std::vector<Node>{})
            if (string_value(d) == key) return true;
    }
    return false;
}

/// Bound of a list from its first (object) argument: a limit key, or a unique filter.
DbOp::Bound object_arg_bound(Node call, const DatabaseKnowledge::Names& limit_args) {
    Node args = call.field("arguments");
    if (!args || args.named_child_count() == 0) return DbOp::Bound::None;
    Node arg = unwrap(args.named_child(0));
    if (!arg.is("object")) return DbOp::Bound::Unknown;
    if (has_spread(arg)) return DbOp::Bound::Unknown;
    for (Node p : syntax::named_children(arg)) {
        std::string key = pair_key(p);
        if (limit_args.count(key)) return DbOp::Bound::Bounded;
        if (key == "where" && p.is("pair") && where_is_unique(p.field("value"))) return DbOp::Bound::Bounded;
        if (key == "where" && p.is("pair") && where_in_known_keys(p.field("value"), object_value(arg, "distinct")))
            return DbOp::Bound::Bounded;
    }
    return DbOp::Bound::None;
}

/// Drizzle `.where(inArray(t.id, ids))`, at most as many rows as ids asked for (as Prisma's
/// `id: { in: ids }`), or `inArray(t.projectId, ids)` where `ids` are keys of rows at hand
/// (`page.map((p) => p.id)`): as long as that page. Also inside `and(...)`.
bool drizzle_where_in_known_keys(Node where_call) {
    bool found = false;
    visit_nodes(where_call.field("arguments"), 64, [&](Node cur) {
        if (found) return false;
        if (!cur.is("call_expression")) return true;
        if (path_text(cur.field("function")) != "inArray") return true;
        Node args = cur.field("arguments");
        if (args && args.named_child_count() >= 2 &&
            (path_text(args.named_child(0)).ends_with(".id") || keys_of_rows(args.named_child(1))))
            found = true;
        return false;
    });
    return found;
}

/// Drizzle `.where(eq(t.id, x))`.
bool drizzle_where_is_unique(Node where_call) {
    Node cond = first_arg(where_call);
    if (!cond.is("call_expression") || path_text(cond.field("function")) != "eq") return false;
    Node eargs = cond.field("arguments");
    if (!eargs || eargs.named_child_count() == 0) return false;
    std::string col = path_text(eargs.named_child(0));
    return col.ends_with(".id");
}

/// Column names a Drizzle `.where(...)` or Supabase `.eq("col", v)` filters on.
/// The columns a Drizzle condition names: member expressions `t.userId` inside it.
void member_columns(Node condition, std::vector<std::string>& keys) {
    visit_nodes(condition, 200, [&](Node cur) {
        if (!cur.is("member_expression")) return true;
        if (keys.size() < 16) keys.emplace_back(cur.field("property").text());
        return false;
    });
}

void filter_columns(std::string_view method, Node call, std::vector<std::string>& keys) {
    if (method == "where") {
        member_columns(call.field("arguments"), keys);
        return;
    }
    if (method == "eq" || method == "match") {
        std::string col = string_value(first_arg(call));
        if (!col.empty() && keys.size() < 16) keys.push_back(col);
    }
}

/// `db.select({ n: count() })`: an aggregate, not a list.
/// How many of a Drizzle `select({...})` object's fields are aggregates (`count()`,
/// `sql\`sum(...)\`.mapWith(Number)`), and how many fields it has.
std::pair<int, int> aggregate_fields(Node select_call) {
    Node obj = first_arg(select_call);
    if (!obj.is("object")) return {0, 0};
    int aggregates = 0, fields = 0;
    for (Node p : syntax::named_children(obj)) {
        ++fields;
        if (!p.is("pair")) continue;
        Node v = unwrap(p.field("value"));
        // `sql<number>\`count(*)\``: the grammar reads the type argument as comparisons
        if (std::string t = lower(v.text()); t.starts_with("sql<") && v.is("binary_expression")) {
            for (const char* f : {"count(", "sum(", "avg(", "min(", "max("})
                if (t.find(f) != std::string::npos) {
                    ++aggregates;
                    break;
                }
            continue;
        }
        // `sql\`...\`.mapWith(Number)`, `count().as("n")`: the value under a mapping
        for (int i = 0; i < 4 && v.is("call_expression"); ++i) {
            Node fn = unwrap(v.field("function"));
            if (!fn.is("member_expression")) break;
            auto m = fn.field("property").text();
            if (m != "mapWith" && m != "as") break;
            v = unwrap(fn.field("object"));
        }
        if (!v.is("call_expression")) continue;
        std::string callee = path_text(v.field("function"));
        static const char* names[] = {"count", "countDistinct", "sum", "sumDistinct", "avg", "avgDistinct", "min", "max"};
        bool agg = std::find(std::begin(names), std::end(names), callee) != std::end(names);
        if (!agg && callee == "sql") {
            std::string t = lower(v.text());
            for (const char* f : {"count(", "sum(", "avg(", "min(", "max("})
                agg = agg || t.find(f) != std::string::npos;
        }
        if (agg) ++aggregates;
    }
    return {aggregates, fields};
}

void finish(DbOp& op, Node outer) {
    op.range = outer.range();
    op.start = outer.start_byte();
    op.statement = normalize(outer.text());
}

bool detect_prisma(Node call, Node callee, const DbFileContext& ctx, DbOp& op) {
    const DatabaseKnowledge* db = ctx.knowledge->database("prisma");
    if (!db) return false;
    std::string method(callee.field("property").text());
    Node obj = unwrap(callee.field("object"));
    // client.$queryRawUnsafe(sql)
    if (db->raw.count(method)) {
        std::string root = chain_root(obj);
        if (!is_client_root(root, ctx)) return false;
        op.kind = DbOp::Kind::Raw;
        op.client = path_text(obj);
    } else {
        if (!obj.is("member_expression")) return false;
        std::string model(obj.field("property").text());
        if (model.empty() || model[0] == '$' || model == "query") return false;
        DbOp::Kind kind;
        if (!known_kind(*db, method, kind) || kind == DbOp::Kind::Raw) return false;
        Node client = unwrap(obj.field("object"));
        if (client.is("member_expression") && client.field("property").text() == "query") return false;  // Drizzle
        if (!is_client_root(chain_root(client), ctx)) return false;
        op.kind = kind;
        op.client = path_text(client);
        if (op.client.empty()) op.client = loose_path(client);
        op.model = model;
        if (kind == DbOp::Kind::List) op.bound = object_arg_bound(call, db->limit_args);
        where_keys(call, op.filter_keys, &op.optional_filter, &op.required_filter, db->unique_where.count(method) > 0);
        if (Node where = unwrap(object_value(first_arg(call), "where")); where.is("object") && where.text().size() < 512)
            op.filter = normalize(where.text());
        if (kind == DbOp::Kind::Write) data_keys(call, op.data_keys);
    }
    op.style = "prisma";
    op.method = method;
    finish(op, call);
    return true;
}

bool detect_drizzle(Node call, Node callee, const DbFileContext& ctx, DbOp& op) {
    const DatabaseKnowledge* db = ctx.knowledge->database("drizzle");
    if (!db) return false;
    std::string method(callee.field("property").text());
    Node obj = unwrap(callee.field("object"));
    // Relational queries: db.query.<table>.findMany(...)
    if (obj.is("member_expression")) {
        Node q = unwrap(obj.field("object"));
        if (q.is("member_expression") && q.field("property").text() == "query") {
            DbOp::Kind kind;
            if (!known_kind(*db, method, kind) || !is_client_root(chain_root(q), ctx)) return false;
            op.kind = kind;
            op.client = path_text(q.field("object"));
            op.model = std::string(obj.field("property").text());
            if (kind == DbOp::Kind::List) op.bound = object_arg_bound(call, db->limit_args);
            // `where: eq(sessions.id, id)` or `where: (t, { eq }) => eq(t.id, id)`: its columns
            if (Node where = unwrap(object_value(first_arg(call), "where"))) member_columns(where, op.filter_keys);
            op.style = "drizzle";
            op.method = method;
            finish(op, call);
            return true;
        }
    }
    std::string root = chain_root(obj);
    if (!is_client_root(root, ctx)) return false;
    // db.select(...).from(t) chains
    if (method == "from" && obj.is("call_expression")) {
        Node sel = unwrap(obj.field("function"));
        if (!sel.is("member_expression")) return false;
        std::string sel_method(sel.field("property").text());
        if (!db->list.count(sel_method)) return false;
        // `select({ n: count() })`: one row; with `.groupBy(...)`, one row per group
        auto [aggregates, fields] = aggregate_fields(obj);
        bool grouped = false;
        op.kind = aggregates > 0 && aggregates == fields ? DbOp::Kind::Aggregate : DbOp::Kind::List;
        op.method = sel_method;
        op.client = path_text(sel.field("object"));
        op.model = path_text(first_arg(call));
        Node outer = walk_chain(call, [&](std::string_view next, Node n) {
            if (db->limit_methods.count(next)) op.bound = DbOp::Bound::Bounded;
            else if (next == "$dynamic" && op.bound == DbOp::Bound::None) op.bound = DbOp::Bound::Unknown;
            else if (next == "where") {
                if (drizzle_where_is_unique(n) || drizzle_where_in_known_keys(n)) op.bound = DbOp::Bound::Bounded;
                filter_columns(next, n, op.filter_keys);
            } else if (next == "groupBy") {
                // one row per month or per status is a summary; one per row id is a list
                grouped = true;
                if (Node args = n.field("arguments"))
                    for (Node a : syntax::named_children(args)) {
                        std::string key = path_text(a);
                        if (key == "id" || key.ends_with(".id") || key.ends_with("Id") || key.ends_with("_id"))
                            grouped = false;
                    }
            }
        });
        if (grouped && aggregates > 0) op.kind = DbOp::Kind::Aggregate;
        if (op.kind == DbOp::Kind::Aggregate) op.bound = DbOp::Bound::Bounded;
        op.style = "drizzle";
        finish(op, outer);
        return true;
    }
    // db.insert(t).values(..), db.update(t).set(..).where(..), db.delete(t).where(..); the
    // client may come from a getter (`db().insert(t)`)
    Node client = obj;
    if (Node args = client.is("call_expression") ? client.field("arguments") : Node(); args && args.named_child_count() == 0)
        client = unwrap(client.field("function"));
    if (db->write.count(method) && path_text(client) == root) {
        Node table = first_arg(call);
        if (!table || table.is("string") || table.is("template_string")) return false;
        op.kind = DbOp::Kind::Write;
        op.method = method;
        op.client = root;
        op.model = path_text(table);
        Node outer = walk_chain(call, [&](std::string_view next, Node n) {
            if (next == "where") filter_columns(next, n, op.filter_keys);
            else if (next == "set" || next == "values") object_keys(first_arg(n), op.data_keys);
        });
        op.style = "drizzle";
        finish(op, outer);
        return true;
    }
    return false;
}

bool detect_supabase(Node call, Node callee, const DbFileContext& ctx, DbOp& op) {
    const DatabaseKnowledge* db = ctx.knowledge->database("supabase");
    if (!db || callee.field("property").text() != "from") return false;
    Node obj = unwrap(callee.field("object"));
    std::string loose = loose_path(obj);
    if (loose.find("storage") != std::string::npos) return false;  // storage buckets, not tables
    if (!is_supabase_root(chain_root(obj), ctx)) return false;
    std::string table = string_value(first_arg(call));
    if (table.empty()) return false;
    std::string_view next;
    Node op_call = chained(call, next);
    if (!op_call) return false;
    DbOp::Kind kind;
    if (!known_kind(*db, next, kind)) return false;
    op.kind = kind;
    op.method = std::string(next);
    op.client = loose;
    op.model = table;
    if (kind == DbOp::Kind::Write) object_keys(first_arg(op_call), op.data_keys);
    Node outer = walk_chain(op_call, [&](std::string_view next, Node n) {
        if (db->limit_methods.count(next)) op.bound = DbOp::Bound::Bounded;
        if (next == "eq" || next == "match") {
            filter_columns(next, n, op.filter_keys);
            if (string_value(first_arg(n)) == "id") op.bound = DbOp::Bound::Bounded;
        }
    });
    op.style = "supabase";
    finish(op, outer);
    return true;
}

bool detect_kysely(Node call, Node callee, const DbFileContext& ctx, DbOp& op) {
    const DatabaseKnowledge* db = ctx.knowledge->database("kysely");
    if (!db) return false;
    std::string method(callee.field("property").text());
    DbOp::Kind kind;
    if (!known_kind(*db, method, kind)) return false;
    Node obj = unwrap(callee.field("object"));
    if (!is_client_root(chain_root(obj), ctx)) return false;
    if (!first_arg(call).is("string")) return false;  // db.selectFrom("person")
    op.kind = kind;
    op.method = method;
    op.client = path_text(obj);
    op.model = string_value(first_arg(call));
    bool grouped = false;
    Node outer = walk_chain(call, [&](std::string_view next, Node) {
        if (db->limit_methods.count(next)) op.bound = DbOp::Bound::Bounded;
        if (next == "executeTakeFirst" || next == "executeTakeFirstOrThrow") {
            if (op.kind == DbOp::Kind::List) op.kind = DbOp::Kind::Read;
        }
        if (next == "groupBy") grouped = true;  // rows per group: a report, not the rows
    });
    if (grouped && (op.kind == DbOp::Kind::List || op.kind == DbOp::Kind::Read)) op.kind = DbOp::Kind::Aggregate;
    op.style = "kysely";
    finish(op, outer);
    return true;
}

bool is_js_global(std::string_view name) {
    static const char* globals[] = {"Object", "Array", "Promise", "Math", "JSON", "Date", "Response",
                                    "NextResponse", "URL", "Map", "Set", "Reflect", "Intl", "Buffer",
                                    "Number", "String", "Symbol", "Error", "Headers", "Request", "FormData",
                                    "URLSearchParams", "WeakMap", "BigInt", "Boolean", "RegExp", "Atomics"};
    for (const char* g : globals)
        if (name == g) return true;
    return false;
}

bool detect_mongoose(Node call, Node callee, const DbFileContext& ctx, DbOp& op) {
    const DatabaseKnowledge* db = ctx.knowledge->database("mongoose");
    if (!db) return false;
    std::string method(callee.field("property").text());
    DbOp::Kind kind;
    if (!known_kind(*db, method, kind)) return false;
    Node obj = unwrap(callee.field("object"));
    std::string root = chain_root(obj);
    if (root.empty() || is_js_global(root)) return false;
    bool model_import = false;
    if (ctx.imports)
        for (const auto& imp : *ctx.imports)
            if (imp.local == root && lower(imp.specifier).find("model") != std::string::npos) model_import = true;
    // `Model.find()`: a capitalised model called directly (not `openai.vectorStores.create()`)
    bool capitalized = std::isupper(static_cast<unsigned char>(root[0])) && path_text(obj) == root;
    if (!capitalized || !(model_import || ctx.imports_mongoose)) return false;
    op.kind = kind;
    op.method = method;
    op.client = root;
    op.model = root;
    Node outer = walk_chain(call, [&](std::string_view next, Node) {
        if (db->limit_methods.count(next)) op.bound = DbOp::Bound::Bounded;
    });
    op.style = "mongoose";
    finish(op, outer);
    return true;
}

bool detect_typeorm(Node call, Node callee, const DbFileContext& ctx, DbOp& op) {
    const DatabaseKnowledge* db = ctx.knowledge->database("typeorm");
    if (!db || !ctx.imports_typeorm) return false;
    std::string method(callee.field("property").text());
    DbOp::Kind kind;
    if (!known_kind(*db, method, kind)) return false;
    Node obj = unwrap(callee.field("object"));
    std::string loose = lower(loose_path(obj));
    bool repo = loose.find("repositor") != std::string::npos || loose.ends_with("repo") ||
                loose.ends_with("manager") || loose.find("getrepository") != std::string::npos;
    if (!repo) return false;
    op.kind = kind;
    op.method = method;
    op.client = loose_path(obj);
    if (obj.is("call_expression")) op.model = path_text(first_arg(obj));  // getRepository(User)
    if (kind == DbOp::Kind::List) op.bound = object_arg_bound(call, db->limit_args);
    op.style = "typeorm";
    finish(op, call);
    return true;
}

}  // namespace

bool detect_db_op(Node call, const DbFileContext& ctx, DbOp& op) {
    if (!ctx.knowledge) return false;
    g_parent = &ctx.parent;
    Node callee = unwrap(call.field("function"));
    if (!callee.is("member_expression") || !ctx.knowledge->is_db_method(callee.field("property").text())) return false;
    return detect_prisma(call, callee, ctx, op) || detect_drizzle(call, callee, ctx, op) ||
           detect_supabase(call, callee, ctx, op) || detect_kysely(call, callee, ctx, op) ||
           detect_mongoose(call, callee, ctx, op) || detect_typeorm(call, callee, ctx, op);
}

bool is_transaction_call(Node call, const DbFileContext& ctx) {
    if (!ctx.knowledge) return false;
    Node callee = unwrap(call.field("function"));
    if (!callee.is("member_expression")) return false;
    std::string method(callee.field("property").text());
    if (!ctx.knowledge->is_db_method(method)) return false;
    Node obj = unwrap(callee.field("object"));
    for (const char* style : {"prisma", "drizzle", "kysely", "typeorm", "mongoose"}) {
        const DatabaseKnowledge* db = ctx.knowledge->database(style);
        if (!db || !db->transaction.count(method)) continue;
        if (std::string_view(style) == "mongoose") return true;  // session.withTransaction(cb)
        if (is_client_root(chain_root(obj), ctx)) return true;
    }
    // Kysely: db.transaction().execute(async (trx) => ...)
    if (method == "execute" && obj.is("call_expression")) {
        Node inner = unwrap(obj.field("function"));
        if (inner.is("member_expression") && inner.field("property").text() == "transaction" &&
            is_client_root(chain_root(inner.field("object")), ctx))
            return true;
    }
    return false;
}

std::string DbOp::describe() const {
    if (style == "prisma") return "`" + client + "." + (model.empty() ? "" : model + ".") + method + "()`";
    if (style == "drizzle") {
        if (method == "select" || method == "selectDistinct")
            return "`" + method + "().from(" + model + ")`";
        if (method == "findMany" || method == "findFirst") return "`" + client + ".query." + model + "." + method + "()`";
        return "`" + client + "." + method + "(" + model + ")`";
    }
    if (style == "supabase") return "`from(\"" + model + "\")." + method + "()`";
    if (style == "kysely") return "`" + method + "(\"" + model + "\")`";
    return "`" + client + "." + method + "()`";
}

}  // namespace nextguard::analysis
