#include <algorithm>
#include <unordered_map>

#include "analysis/facts.hpp"
#include "syntax/tree.hpp"

namespace nextguard::analysis {

using syntax::Node;

const Binding* FileFacts::binding(std::string_view name) const {
    for (const auto& b : bindings)
        if (b.name == name) return &b;
    return nullptr;
}

namespace {

constexpr int kMaxValueDepth = 8;
/// Syntax nesting beyond this is not analyzed (real code stays far below; it also bounds
/// the cost of tree-sitter's parent lookups, which are linear in depth).
constexpr uint32_t kMaxDepth = 2000;

bool is_function_kind(syntax::Kind k) {
    using K = syntax::Kind;
    return k == K::FunctionDeclaration || k == K::FunctionExpression || k == K::ArrowFunction ||
           k == K::MethodDefinition || k == K::GeneratorFunctionDeclaration || k == K::GeneratorFunction;
}

/// Leaves, parameter lists and destructuring patterns (read by add_function; a default
/// value there is not followed) and TypeScript-only syntax: the walk skips them (types
/// are a large share of the nodes in typed code). Imports are read at module level.
bool is_leaf_or_type(syntax::Kind k) {
    using K = syntax::Kind;
    switch (k) {
        case K::ArrayPattern: case K::FormalParameters: case K::JsxClosingElement: case K::JsxText:
        case K::ObjectPattern: case K::Regex:
        case K::AmbientDeclaration: case K::Comment: case K::Identifier: case K::ImportStatement:
        case K::InterfaceDeclaration: case K::Number: case K::PropertyIdentifier:
        case K::ShorthandPropertyIdentifier: case K::String: case K::TypeAliasDeclaration:
        case K::TypeAnnotation: case K::TypeArguments: case K::TypeIdentifier: case K::TypeParameters:
            return true;
        default: return false;
    }
}

/// The value of a string literal node without quotes (no escape processing beyond the raw text).
std::string string_value(Node n) {
    if (!n) return {};
    if (n.is("string")) {
        auto t = n.text();
        if (t.size() >= 2) return std::string(t.substr(1, t.size() - 2));
        return {};
    }
    if (n.is("template_string") && n.named_child_count() == 0) {
        auto t = n.text();
        if (t.size() >= 2) return std::string(t.substr(1, t.size() - 2));
    }
    return {};
}

/// Strips parentheses, `await`, TS `as`/`satisfies`/non-null wrappers around an expression.
Node unwrap(Node n) {
    for (int i = 0; i < 32 && n; ++i) {
        auto k = n.kind();
        if (k == "parenthesized_expression" || k == "await_expression" || k == "non_null_expression" ||
            k == "as_expression" || k == "satisfies_expression" || k == "type_assertion") {
            Node inner = n.named_child(0);
            if (k == "type_assertion") inner = n.named_child(n.named_child_count() - 1);
            if (!inner) break;
            n = inner;
        } else {
            break;
        }
    }
    return n;
}

/// "a.b.c" for identifier/member chains (also `this`), "" for anything else.
std::string path_text(Node n, int depth = 0) {
    n = unwrap(n);
    if (!n || depth > 16) return {};
    auto k = n.kind();
    if (k == "identifier" || k == "this" || k == "property_identifier" || k == "private_property_identifier")
        return std::string(n.text());
    if (k == "member_expression") {
        std::string obj = path_text(n.field("object"), depth + 1);
        Node prop = n.field("property");
        if (obj.empty() || !prop) return {};
        return obj + "." + std::string(prop.text());
    }
    return {};
}

/// Source text with runs of whitespace folded to one space, capped in length.
std::string normalize(std::string_view text) {
    std::string out;
    out.reserve(std::min<size_t>(text.size(), 300));
    bool space = false;
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
        if (out.size() >= 300) break;
    }
    return out;
}

/// The key of an object `pair` as a plain name ("take", "id"), or "".
std::string pair_key(Node pair) {
    Node key = pair.field("key");
    if (!key) return {};
    if (key.is("property_identifier") || key.is("identifier")) return std::string(key.text());
    if (key.is("string")) return string_value(key);
    return {};
}

class Extractor {
public:
    Extractor(const syntax::Tree& tree, const std::string& rel) : tree_(tree) { facts_.rel = rel; }

    FileFacts run() {
        Node root = tree_.root();
        facts_.bytes = tree_.source().size();
        walk(root);
        module_level(root);
        return std::move(facts_);
    }

private:
    const syntax::Tree& tree_;
    FileFacts facts_;
    std::unordered_map<const void*, int> fn_by_node_;
    uint32_t syntax_errors_ = 0;

    // ---- the walk: functions, calls, queries ----

    /// Pre-order walk with a tree cursor (O(1) per step, no recursion). `scopes` holds the
    /// enclosing function of each open level.
    void walk(Node root) {
        syntax::Cursor cursor(root);
        std::vector<int> scopes{-1};
        bool too_deep = false;
        const bool has_errors = root.has_error();  // most files have none: skip the checks
        for (;;) {
            Node n = cursor.node();
            int fn = scopes.back();
            bool descend = false;
            if (has_errors && (n.is_error() || n.is_missing())) note_syntax_error(n);
            if (n.is_named()) {
                syntax::Kind k = n.kind_id();
                if (is_function_kind(k)) fn = add_function(n, fn);
                else if (k == syntax::Kind::CallExpression) on_call(n, fn);
                descend = !is_leaf_or_type(k);
            }
            if (descend && scopes.size() > kMaxDepth) {
                descend = false;
                if (!too_deep) {
                    too_deep = true;
                    facts_.notices.push_back({Severity::Warning, facts_.rel, n.start().line,
                                              "nesting deeper than " + std::to_string(kMaxDepth) +
                                                  " levels; the innermost code was not analyzed"});
                }
            }
            if (descend && cursor.first_child()) {
                scopes.push_back(fn);
                continue;
            }
            while (!cursor.next_sibling()) {
                if (scopes.size() <= 1 || !cursor.parent()) return;
                scopes.pop_back();
            }
        }
    }

    void note_syntax_error(Node n) {
        if (syntax_errors_++ > 0) return;  // one notice per file is enough
        Notice note;
        note.level = Severity::Warning;
        note.file = facts_.rel;
        note.line = n.start().line;
        note.message = n.is_missing() ? "syntax error: missing " + std::string(n.kind()) +
                                            "; analyzed what could be parsed"
                                      : std::string("syntax error; analyzed what could be parsed");
        facts_.notices.push_back(std::move(note));
    }

    int add_function(Node n, int parent) {
        Function f;
        f.parent = parent;
        f.range = n.range();
        for (Node ch : syntax::children(n)) {
            if (!ch.is_named() && ch.text() == "async") f.is_async = true;
        }
        Node name = n.field("name");
        if (name) f.name = std::string(name.text());
        else f.name = assigned_name(n);
        Node params = n.field("parameters");
        if (params) {
            for (Node p : syntax::named_children(params)) {
                Node pat = p.field("pattern");
                f.params.emplace_back((pat ? pat : p).text());
            }
        } else if (Node single = n.field("parameter")) {
            f.params.emplace_back(single.text());
        }
        Node body = n.field("body");
        if (body && body.is("statement_block")) {
            for (Node st : syntax::named_children(body)) {
                if (st.is("comment")) continue;
                if (st.is("expression_statement") && string_value(st.named_child(0)) == "use server")
                    f.use_server = true;
                break;
            }
        }
        int id = static_cast<int>(facts_.functions.size());
        facts_.functions.push_back(std::move(f));
        fn_by_node_[n.id()] = id;
        return id;
    }

    /// The name a function expression gets from where it is assigned.
    std::string assigned_name(Node n) {
        Node p = n.parent();
        // Look through wrapping calls: `const POST = withAuth(async () => ...)`.
        for (int i = 0; i < 8 && p; ++i) {
            auto k = p.kind();
            if (k == "variable_declarator") return std::string(p.field("name").text());
            if (k == "pair") return pair_key(p);
            if (k == "assignment_expression") return path_text(p.field("left"));
            if (k == "public_field_definition") return std::string(p.field("name").text());
            if (k == "export_statement") return "default";
            if (k == "arguments" || k == "call_expression" || k == "parenthesized_expression" ||
                k == "as_expression" || k == "satisfies_expression" || k == "await_expression") {
                p = p.parent();
                continue;
            }
            break;
        }
        return {};
    }

    void on_call(Node n, int fn) {
        Node callee = n.field("function");
        Call c;
        c.function = fn;
        c.callee = path_text(callee);
        c.range = n.range();
        facts_.calls.push_back(c);
        detect_list_query(n, callee, fn);
    }

    // ---- list queries (Prisma, Drizzle) ----

    void detect_list_query(Node call, Node callee, int fn) {
        callee = unwrap(callee);
        if (!callee.is("member_expression")) return;
        std::string_view method = callee.field("property").text();
        if (method == "findMany") {
            // prisma.<model>.findMany(...) or db.query.<table>.findMany(...)
            Node model_expr = unwrap(callee.field("object"));
            if (!model_expr.is("member_expression")) return;
            std::string model(model_expr.field("property").text());
            Node client_expr = unwrap(model_expr.field("object"));
            ListQuery q;
            q.function = fn;
            q.range = call.range();
            q.statement = normalize(call.text());
            if (client_expr.is("member_expression") && client_expr.field("property").text() == "query") {
                q.api = ListQuery::Api::DrizzleQueryFindMany;
                q.client = path_text(client_expr.field("object"));
                q.model = model;
                q.bound = object_arg_bound(call, "limit");
            } else {
                q.api = ListQuery::Api::PrismaFindMany;
                q.client = path_text(client_expr);
                if (q.client.empty()) return;
                q.model = model;
                q.bound = object_arg_bound(call, "take");
            }
            facts_.list_queries.push_back(std::move(q));
            return;
        }
        if (method == "from") {
            Node select_call = unwrap(callee.field("object"));
            if (!select_call.is("call_expression")) return;
            Node select_callee = unwrap(select_call.field("function"));
            if (!select_callee.is("member_expression")) return;
            auto sel = select_callee.field("property").text();
            if (sel != "select" && sel != "selectDistinct") return;
            if (is_aggregate_selection(select_call)) return;
            ListQuery q;
            q.api = ListQuery::Api::DrizzleSelect;
            q.function = fn;
            q.client = path_text(select_callee.field("object"));
            Node args = call.field("arguments");
            if (args && args.named_child_count() > 0) q.model = path_text(args.named_child(0));
            // Walk up the method chain: db.select().from(t).where(..).orderBy(..).limit(n)
            Node outer = call;
            q.bound = ListQuery::Bound::None;
            for (int i = 0; i < 64; ++i) {
                Node member = outer.parent();
                if (!member.is("member_expression")) break;
                Node next_call = member.parent();
                if (!next_call.is("call_expression")) break;
                auto m = member.field("property").text();
                if (m == "limit") q.bound = ListQuery::Bound::Bounded;
                else if (m == "$dynamic" && q.bound == ListQuery::Bound::None) q.bound = ListQuery::Bound::Unknown;
                else if (m == "where" && where_is_unique(next_call)) q.bound = ListQuery::Bound::Bounded;
                outer = next_call;
            }
            q.range = outer.range();
            q.statement = normalize(outer.text());
            facts_.list_queries.push_back(std::move(q));
        }
    }

    /// Looks at the first argument of a query call for a bounding key.
    ListQuery::Bound object_arg_bound(Node call, std::string_view bound_key) {
        Node args = call.field("arguments");
        if (!args || args.named_child_count() == 0) return ListQuery::Bound::None;
        Node arg = unwrap(args.named_child(0));
        if (!arg.is("object")) return ListQuery::Bound::Unknown;
        for (Node p : syntax::named_children(arg)) {
            if (p.is("spread_element")) return ListQuery::Bound::Unknown;
            std::string key = p.is("pair") ? pair_key(p)
                              : p.is("shorthand_property_identifier") ? std::string(p.text())
                                                                       : std::string();
            if (key == bound_key) return ListQuery::Bound::Bounded;
            if (key == "where" && p.is("pair") && where_object_is_unique(unwrap(p.field("value"))))
                return ListQuery::Bound::Bounded;
        }
        return ListQuery::Bound::None;
    }

    /// `where: { id }`, `where: { id: x }` or a compound unique key `where: { userId_teamId: {...} }`.
    static bool where_object_is_unique(Node obj) {
        if (!obj.is("object")) return false;
        for (Node p : syntax::named_children(obj)) {
            std::string key = p.is("pair") ? pair_key(p)
                              : p.is("shorthand_property_identifier") ? std::string(p.text())
                                                                       : std::string();
            if (key == "id") {
                // `id: { in: ids }` still returns a list; `id: x` or `id: { equals: x }` does not.
                Node v = p.is("pair") ? unwrap(p.field("value")) : Node();
                if (v.is("object")) {
                    bool in = false;
                    for (uint32_t j = 0; j < v.named_child_count(); ++j)
                        if (pair_key(v.named_child(j)) == "in") in = true;
                    if (in) continue;
                }
                return true;
            }
            if (key.find('_') != std::string::npos && key.front() != '_' && p.is("pair") &&
                unwrap(p.field("value")).is("object"))
                return true;
        }
        return false;
    }

    /// Drizzle `.where(eq(t.id, x))`.
    static bool where_is_unique(Node where_call) {
        Node args = where_call.field("arguments");
        if (!args || args.named_child_count() == 0) return false;
        Node cond = unwrap(args.named_child(0));
        if (!cond.is("call_expression") || path_text(cond.field("function")) != "eq") return false;
        Node eargs = cond.field("arguments");
        if (!eargs || eargs.named_child_count() == 0) return false;
        std::string col = path_text(eargs.named_child(0));
        return col.size() > 3 && col.substr(col.size() - 3) == ".id";
    }

    /// `db.select({ n: count() })`: an aggregate, not a list.
    static bool is_aggregate_selection(Node select_call) {
        Node args = select_call.field("arguments");
        if (!args || args.named_child_count() == 0) return false;
        Node obj = unwrap(args.named_child(0));
        if (!obj.is("object") || obj.named_child_count() == 0) return false;
        for (Node p : syntax::named_children(obj)) {
            if (!p.is("pair")) return false;
            Node v = unwrap(p.field("value"));
            std::string callee;
            if (v.is("call_expression")) callee = path_text(v.field("function"));
            else if (v.is("call_expression") || v.is("template_string")) callee = "";
            static const char* aggregates[] = {"count", "countDistinct", "sum", "sumDistinct", "avg",
                                               "avgDistinct", "min", "max"};
            bool agg = std::find(std::begin(aggregates), std::end(aggregates), callee) != std::end(aggregates);
            if (!agg && v.is("call_expression")) {
                // sql<number>`count(*)`
                Node f = unwrap(v.field("function"));
                if (f.is("identifier") && f.text() == "sql") {
                    auto t = v.text();
                    agg = t.find("count(") != std::string_view::npos || t.find("sum(") != std::string_view::npos;
                }
            }
            if (!agg) return false;
        }
        return true;
    }

    // ---- module level: directives, imports, exports, bindings ----

    ValueRef value_ref(Node n, int depth = 0) {
        ValueRef v;
        n = unwrap(n);
        if (!n) return v;
        v.range = n.range();
        if (depth > kMaxValueDepth) return v;
        auto k = n.kind();
        if (is_function_kind(n.kind_id())) {
            v.kind = ValueRef::Kind::Function;
            auto it = fn_by_node_.find(n.id());
            v.function = it == fn_by_node_.end() ? -1 : it->second;
        } else if (k == "identifier") {
            v.kind = ValueRef::Kind::Identifier;
            v.name = std::string(n.text());
        } else if (k == "call_expression") {
            v.kind = ValueRef::Kind::Call;
            Node callee = unwrap(n.field("function"));
            v.name = path_text(callee);
            if (v.name.empty() && callee.is("member_expression")) {
                // a chained builder: client.inputSchema(s).action(fn) -> "<chain>.action"
                v.name = "." + std::string(callee.field("property").text());
            }
            Node args = n.field("arguments");
            for (Node a : syntax::named_children(args)) v.args.push_back(value_ref(a, depth + 1));
        }
        return v;
    }

    void module_level(Node root) {
        bool prologue = true;
        for (Node st : syntax::named_children(root)) {
            auto k = st.kind();
            if (k == "comment" || k == "hash_bang_line") continue;
            if (prologue && k == "expression_statement") {
                std::string d = string_value(st.named_child(0));
                if (st.named_child(0).is("string")) {
                    if (d == "use server") facts_.use_server = true;
                    else if (d == "use client") facts_.use_client = true;
                    continue;
                }
            }
            prologue = false;
            if (k == "import_statement") on_import(st);
            else if (k == "export_statement") on_export(st);
            else if (k == "lexical_declaration" || k == "variable_declaration") on_declaration(st, false);
            else if (k == "function_declaration" || k == "generator_function_declaration") on_function_decl(st);
        }
    }

    void on_import(Node st) {
        std::string spec = string_value(st.field("source"));
        bool type_only = false;
        Node clause;
        for (Node ch : syntax::children(st)) {
            if (!ch.is_named() && ch.text() == "type") type_only = true;
            if (ch.is("import_clause")) clause = ch;
        }
        uint32_t line = st.start().line;
        if (spec == "server-only") facts_.server_only = true;
        if (!clause) return;
        for (Node part : syntax::named_children(clause)) {
            if (part.is("identifier")) {
                facts_.imports.push_back({spec, "default", std::string(part.text()), type_only, line});
            } else if (part.is("namespace_import")) {
                Node id = part.named_child(0);
                facts_.imports.push_back({spec, "*", std::string(id.text()), type_only, line});
            } else if (part.is("named_imports")) {
                for (Node s : syntax::named_children(part)) {
                    if (!s.is("import_specifier")) continue;
                    bool spec_type = type_only;
                    for (uint32_t q = 0; q < s.child_count(); ++q)
                        if (!s.child(q).is_named() && s.child(q).text() == "type") spec_type = true;
                    Node name = s.field("name"), alias = s.field("alias");
                    std::string imported = name.is("string") ? string_value(name) : std::string(name.text());
                    std::string local = alias ? std::string(alias.text()) : imported;
                    facts_.imports.push_back({spec, imported, local, spec_type, line});
                }
            }
        }
    }

    void on_function_decl(Node decl) {
        Binding b;
        b.name = std::string(decl.field("name").text());
        b.value = value_ref(decl);
        facts_.bindings.push_back(std::move(b));
    }

    /// `const a = ..., b = ...`: bindings, and exports when `exported`.
    void on_declaration(Node decl, bool exported) {
        for (Node d : syntax::named_children(decl)) {
            if (!d.is("variable_declarator")) continue;
            Node name = d.field("name");
            if (!name.is("identifier")) continue;
            Binding b;
            b.name = std::string(name.text());
            b.value = value_ref(d.field("value"));
            if (exported) {
                Export e;
                e.name = b.name;
                e.value = b.value;
                e.range = d.range();
                facts_.exports.push_back(e);
            }
            if (b.name == "config" && exported) on_config(d.field("value"));
            facts_.bindings.push_back(std::move(b));
        }
    }

    /// `export const config = { matcher: ... }` (middleware).
    void on_config(Node value) {
        value = unwrap(value);
        if (!value.is("object")) return;
        for (Node p : syntax::named_children(value)) {
            if (!p.is("pair") || pair_key(p) != "matcher") continue;
            auto& mc = facts_.middleware_config;
            mc.present = true;
            mc.range = p.range();
            Node v = unwrap(p.field("value"));
            auto add = [&](Node item) {
                item = unwrap(item);
                if (item.is("string") || item.is("template_string")) {
                    mc.matchers.push_back(string_value(item));
                } else if (item.is("object")) {
                    for (Node q : syntax::named_children(item)) {
                        if (q.is("pair") && pair_key(q) == "source") mc.matchers.push_back(string_value(unwrap(q.field("value"))));
                    }
                }
            };
            if (v.is("array")) {
                for (uint32_t j = 0; j < v.named_child_count(); ++j) add(v.named_child(j));
            } else {
                add(v);
            }
        }
    }

    void on_export(Node st) {
        Node source = st.field("source");
        std::string from = source ? string_value(source) : std::string();
        Node decl = st.field("declaration");
        Node value = st.field("value");
        bool is_default = false;
        for (Node ch : syntax::children(st)) {
            if (!ch.is_named() && ch.text() == "default") is_default = true;
        }
        if (decl) {
            auto k = decl.kind();
            if (k == "lexical_declaration" || k == "variable_declaration") {
                on_declaration(decl, true);
                return;
            }
            Export e;
            e.range = decl.range();
            Node name = decl.field("name");
            e.name = is_default ? "default" : std::string(name.text());
            e.value = value_ref(decl);
            if (name && (k == "function_declaration" || k == "generator_function_declaration" ||
                         k == "class_declaration")) {
                facts_.bindings.push_back({std::string(name.text()), e.value});
            }
            facts_.exports.push_back(std::move(e));
            return;
        }
        if (is_default && value) {
            Export e;
            e.name = "default";
            e.range = value.range();
            e.value = value_ref(value);
            facts_.exports.push_back(std::move(e));
            return;
        }
        bool star = false;
        for (Node ch : syntax::children(st)) {
            if (ch.is("export_clause")) {
                for (Node s : syntax::named_children(ch)) {
                    if (!s.is("export_specifier")) continue;
                    Node name = s.field("name"), alias = s.field("alias");
                    Export e;
                    e.local = name.is("string") ? string_value(name) : std::string(name.text());
                    e.name = alias ? (alias.is("string") ? string_value(alias) : std::string(alias.text())) : e.local;
                    e.from = from;
                    e.range = s.range();
                    facts_.exports.push_back(std::move(e));
                }
            } else if (ch.is("namespace_export")) {
                Export e;
                e.name = std::string(ch.named_child(0).text());
                e.local = "*";
                e.from = from;
                e.range = ch.range();
                facts_.exports.push_back(std::move(e));
            } else if (!ch.is_named() && ch.text() == "*") {
                star = true;
            }
        }
        if (star && !from.empty()) {
            bool has_namespace = false;
            for (uint32_t i = 0, c = st.child_count(); i < c; ++i)
                if (st.child(i).is("namespace_export")) has_namespace = true;
            if (!has_namespace) {
                Export e;
                e.name = "*";
                e.from = from;
                e.range = st.range();
                facts_.exports.push_back(std::move(e));
            }
        }
    }
};

}  // namespace

FileFacts extract_facts(const syntax::Tree& tree, const std::string& rel) {
    return Extractor(tree, rel).run();
}

}  // namespace nextguard::analysis
