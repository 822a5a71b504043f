#include <algorithm>
#include <array>
#include <cctype>
#include <tuple>
#include <unordered_map>

#include "analysis/db_ops.hpp"
#include "analysis/facts.hpp"
#include "analysis/knowledge.hpp"
#include "analysis/local_check.hpp"
#include "analysis/node_util.hpp"
#include "analysis/taint.hpp"
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

class Extractor final : public LocalContext {
public:
    Extractor(const syntax::Tree& tree, const std::string& rel, const Knowledge& knowledge,
              const std::vector<const LocalCheck*>& checks)
        : tree_(tree) {
        facts_.rel = rel;
        db_.knowledge = &knowledge;
        db_.imports = &facts_.imports;
        db_.parent = [this](Node n) { return up(n); };
        for (const LocalCheck* c : checks)
            for (syntax::Kind k : c->kinds()) checks_[static_cast<size_t>(k)].push_back(c);
    }

    // ---- LocalContext: what a local check sees ----
    const std::string& file() const override { return facts_.rel; }
    int function() const override { return current_fn_; }
    bool is_parameter(std::string_view name) const override {
        for (int f = current_fn_; f >= 0 && f < static_cast<int>(fn_nodes_.size()); f = facts_.functions[f].parent) {
            std::vector<std::string> names;
            Node params = fn_nodes_[f].field("parameters");
            if (params)
                for (Node p : syntax::named_children(params)) pattern_names(p.field("pattern") ? p.field("pattern") : p, names);
            else if (Node single = fn_nodes_[f].field("parameter"))
                pattern_names(single, names);
            if (std::find(names.begin(), names.end(), name) != names.end()) return true;
        }
        return false;
    }
    const std::vector<Import>& imports() const override { return facts_.imports; }
    const Import* import_of(std::string_view local) const override {
        for (const auto& imp : facts_.imports)
            if (imp.local == local) return &imp;
        return nullptr;
    }
    const Knowledge& knowledge() const override { return *db_.knowledge; }
    bool use_server_module() const override { return facts_.use_server; }
    void report(std::string_view rule, Node at, std::string message) override {
        // one finding of a rule per place (two cues of one literal: its key and its format)
        for (const auto& f : facts_.local_findings)
            if (f.rule == rule && f.range == at.range()) return;
        LocalFinding f;
        f.rule = std::string(rule);
        f.range = at.range();
        f.message = std::move(message);
        f.statement = normalize(at.text().substr(0, 400));
        f.function = current_fn_;
        facts_.local_findings.push_back(std::move(f));
    }

    FileFacts run() {
        Node root = tree_.root();
        facts_.bytes = tree_.source().size();
        prepass(root);
        // A "use client" module runs in the browser: nothing in its functions is server
        // behaviour (no entry point, no database access), so only its module level is read.
        if (!facts_.use_client) walk(root);
        // Argument shapes, shallow: the functions and names handed over (wrappers, `.use(fn)`).
        for (auto& [index, args] : pending_args_)
            for (Node a : syntax::named_children(args)) {
                Node u = unwrap(a);
                ValueRef v;
                if (u.kind_id() == syntax::Kind::Identifier) {
                    v.kind = ValueRef::Kind::Identifier;
                    v.name = std::string(u.text());
                } else if (is_function_kind(u.kind_id())) {
                    v = value_ref(u, kMaxValueDepth);
                }
                facts_.calls[index].args.push_back(std::move(v));
            }
        for (auto& [name, key, call] : pending_procedures_) {
            Procedure p;
            p.name = std::move(name);
            p.kind = std::string(unwrap(call.field("function")).field("property").text());
            p.chain = value_ref(call);
            p.range = key.range();
            facts_.procedures.push_back(std::move(p));
        }
        for (size_t i = 0; i < fn_nodes_.size(); ++i) note_return(fn_nodes_[i], facts_.functions[i]);
        bound_by_later_limits();
        module_level(root);
        if (!facts_.use_client) extract_taint(fn_nodes_, taint_nodes_, *db_.knowledge, facts_);
        return std::move(facts_);
    }

private:
    const syntax::Tree& tree_;
    FileFacts facts_;
    std::array<std::vector<const LocalCheck*>, 256> checks_;  // by node Kind
    int current_fn_ = -1;
    std::unordered_map<const void*, int> fn_by_node_;
    std::vector<Node> fn_nodes_;  // the node of each function, for the taint pass
    std::vector<std::vector<Node>> taint_nodes_;  // per function: declarators, assignments, ifs, calls
    /// The walk's current node and its ancestors (root first): parents without
    /// tree-sitter's parent lookups, which are linear in depth.
    Node current_;
    std::vector<Node> path_;

    /// The parent of the current node or of one of its ancestors (else tree-sitter's lookup).
    Node up(Node n) const {
        if (n.id() == current_.id()) return path_.empty() ? Node() : path_.back();
        for (size_t i = path_.size(); i-- > 0;)
            if (path_[i].id() == n.id()) return i > 0 ? path_[i - 1] : Node();
        return n.parent();
    }
    DbFileContext db_;
    /// Per function: names bound from call results (for Deref facts).
    std::unordered_map<int, std::vector<std::string>> call_names_;
    std::vector<std::pair<uint32_t, uint32_t>> config_spans_;  ///< arguments of configuration calls
    /// Per function: names bound from a part of a parameter, and the parameter's index.
    std::unordered_map<int, std::vector<std::pair<std::string, int>>> param_derived_;
    /// Calls whose argument shapes are read after the walk, when every function has its id.
    std::vector<std::pair<size_t, Node>> pending_args_;
    int next_group_ = 0;
    /// The Branch group of the handlers each function registers (note_registration).
    std::unordered_map<int, int> registration_group_;
    /// `else if` statements and the group of the `if` they continue.
    std::unordered_map<const void*, int> else_if_group_;
    /// Byte spans of try bodies that have a catch, and of catch clauses.
    std::vector<std::pair<uint32_t, uint32_t>> try_spans_, catch_spans_;
    /// The first (outermost) call starting at each byte: a chain's calls share their start.
    std::unordered_map<uint32_t, int> first_call_at_;
    /// Byte spans of try bodies whose catch does not leave the function.
    std::vector<std::pair<uint32_t, uint32_t>> swallowing_tries_;
    /// tRPC procedures (the pair and the call), read after the walk too.
    std::vector<std::tuple<std::string, Node, Node>> pending_procedures_;  // name, its node, the call

    /// True when the module's directive prologue holds "use client".
    /// Imports, the module's directives ("use server", "use client") and module-level
    /// client bindings, needed while walking.
    void prepass(Node root) {
        for (Node st : syntax::named_children(root)) {
            auto k = st.kind();
            if (k == "comment" || k == "hash_bang_line") continue;
            if (k != "expression_statement" || !st.named_child(0).is("string")) break;
            std::string d = string_value(st.named_child(0));
            if (d == "use server") facts_.use_server = true;
            else if (d == "use client") facts_.use_client = true;
        }
        for (Node st : syntax::named_children(root)) {
            if (st.is("import_statement")) on_import(st);
            Node decl = st.is("export_statement") ? st.field("declaration") : st;
            if (!decl.is("lexical_declaration") && !decl.is("variable_declaration")) continue;
            for (Node d : syntax::named_children(decl)) {
                if (!d.is("variable_declarator")) continue;
                Node value = d.field("value");
                auto t = value.text();
                static const char* clients[] = {"PrismaClient", "drizzle(", "new Kysely", "createClient(",
                                                "createServerClient(", "new DataSource"};
                for (const char* c : clients) {
                    if (t.find(c) != std::string_view::npos) {
                        std::vector<std::string> names;
                        pattern_names(d.field("name"), names);
                        for (auto& n : names) db_.client_locals.push_back(n);
                        break;
                    }
                }
            }
        }
        for (const auto& imp : facts_.imports) {
            if (imp.specifier == "mongoose") db_.imports_mongoose = true;
            if (imp.specifier == "typeorm") db_.imports_typeorm = true;
        }
    }

    // ---- the walk: functions, calls, queries ----

    /// Pre-order walk with a tree cursor (O(1) per step, no recursion). `scopes` holds the
    /// enclosing function of each open level.
    void walk(Node root) {
        syntax::Cursor cursor(root);
        std::vector<int> scopes{-1};
        bool too_deep = false;
        for (;;) {
            Node n = cursor.node();
            current_ = n;
            int fn = scopes.back();
            bool descend = false;
            if (n.is_named()) {
                syntax::Kind k = n.kind_id();
                if (!checks_[static_cast<size_t>(k)].empty()) {  // local checks registered for this kind
                    current_fn_ = is_function_kind(k) ? static_cast<int>(facts_.functions.size()) : fn;
                    for (const LocalCheck* c : checks_[static_cast<size_t>(k)]) c->visit(n, *this);
                }
                if (is_function_kind(k)) fn = add_function(n, fn);
                else if (k == syntax::Kind::CallExpression) on_call(n, fn);
                else if (k == syntax::Kind::IfStatement) on_if(n, fn);
                if (fn >= 0 && k == syntax::Kind::VariableDeclarator) on_derived(n, fn);
                if (fn >= 0 && (k == syntax::Kind::CallExpression || k == syntax::Kind::IfStatement ||
                                k == syntax::Kind::VariableDeclarator || k == syntax::Kind::AssignmentExpression ||
                                k == syntax::Kind::ReturnStatement))
                    taint_nodes_[fn].push_back(n);
                else if (k == syntax::Kind::TryStatement) on_try(n, fn);
                else if (k == syntax::Kind::SwitchStatement) on_switch(n, fn);
                else if (k == syntax::Kind::Loop) on_loop(n, fn);
                else if (k == syntax::Kind::TernaryExpression) on_ternary(n, fn);
                else if (k == syntax::Kind::CatchClause) catch_spans_.emplace_back(n.start_byte(), n.end_byte());
                else if (k == syntax::Kind::MemberExpression) on_member(n, fn);
                // `for (const x of items)`: x holds an element of items (taint)
                if (fn >= 0 && k == syntax::Kind::Loop) taint_nodes_[fn].push_back(n);
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
                path_.push_back(n);
                continue;
            }
            while (!cursor.next_sibling()) {
                if (scopes.size() <= 1 || !cursor.parent()) return;
                scopes.pop_back();
                path_.pop_back();
            }
        }
    }

    int add_function(Node n, int parent) {
        Function f;
        f.parent = parent;
        f.range = n.range();
        f.start = n.start_byte();
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
        // `items.map(async (item) => ...)`: a callback run per item
        Node args = up(n);
        if (args.is("arguments")) {
            Node call = up(args);
            Node callee = call.is("call_expression") ? unwrap(call.field("function")) : Node();
            if (callee.is("member_expression")) {
                auto m = callee.field("property").text();
                f.per_item = m == "map" || m == "forEach" || m == "flatMap";
                // `Promise.allSettled(items.map(...))`: items handled independently
                Node outer_args = up(call);
                Node outer = outer_args.is("arguments") ? up(outer_args) : Node();
                if (outer.is("call_expression") && path_text(outer.field("function")) == "Promise.allSettled") {
                    f.per_item = false;
                    f.settled = true;
                }
            }
        }
        f.returned_member = returned_member(n);
        f.deferred = in_config(n.start_byte());
        int id = static_cast<int>(facts_.functions.size());
        facts_.functions.push_back(std::move(f));
        fn_by_node_[n.id()] = id;
        fn_nodes_.push_back(n);
        taint_nodes_.emplace_back();
        return id;
    }

    /// `let qb = db.selectFrom("t")...; ... qb = qb.limit(perPage)`: a query builder held in
    /// a variable and bounded by a later statement.
    void bound_by_later_limits() {
        for (auto& op : facts_.db_ops) {
            if (op.kind != DbOp::Kind::List || op.bound != DbOp::Bound::None || op.call < 0 || op.style == "prisma")
                continue;
            const DatabaseKnowledge* db = db_.knowledge->database(op.style);
            if (!db) continue;
            const auto& held = facts_.calls[op.call].assigned;
            if (held.empty()) continue;
            for (const Call& c : facts_.calls) {
                if (c.function != op.function || c.start <= op.start || c.loose.empty()) continue;
                if (std::find(held.begin(), held.end(), c.root) == held.end()) continue;
                // any method of the chain: `qb.orderBy(...).limit(n).offset(m)`
                std::string_view rest = c.loose;
                bool limited = false;
                for (size_t dot; !limited && (dot = rest.find('.')) != std::string_view::npos;) {
                    rest.remove_prefix(dot + 1);
                    limited = db->limit_methods.count(rest.substr(0, rest.find('.'))) > 0;
                }
                if (limited) {
                    op.bound = DbOp::Bound::Bounded;
                    break;
                }
            }
        }
    }

    /// Function::returned_member: `n` is a method or property value of an object literal
    /// that its enclosing function returns (`return { m() {} }`, `() => ({ m: () => {} })`)
    /// or keeps in a variable (`const authOptions = { callbacks: { signIn() {} } }`): made,
    /// not run.
    bool returned_member(Node n) {
        Node member = n.is("method_definition") ? n : up(n);
        if (!member.is("method_definition") && !(member.is("pair") && member.field("value").id() == n.id())) return false;
        Node object = up(member);
        if (!object.is("object")) return false;
        // through nested options objects: `{ callbacks: { signIn() {} } }`
        for (int depth = 0; depth < 8 && up(object).is("pair") && up(up(object)).is("object"); ++depth)
            object = up(up(object));
        Node p = up(object);
        while (p && (p.kind_id() == syntax::Kind::ParenthesizedExpression || p.kind_id() == syntax::Kind::AsExpression ||
                     p.kind_id() == syntax::Kind::SatisfiesExpression))
            p = up(p);
        if (p.is("return_statement") || p.is("variable_declarator")) return true;
        return p.is("arrow_function") && unwrap(p.field("body")).id() == object.id();
    }

    /// A call of a library configuration function (knowledge "configs"): its arguments are
    /// options whose functions and calls run later (Function::deferred, Call::deferred).
    void note_config(Node call, Node callee) {
        Node args = call.field("arguments");
        if (!args || args.named_child_count() == 0) return;
        // cheap filter on the callee's last name before its path is built
        std::string_view text = callee.text();
        bool candidate = false;
        for (const auto& lib : db_.knowledge->libraries)
            for (const auto& p : lib.configs) candidate = candidate || may_call(text, p);
        if (!candidate) return;
        std::string loose = loose_path(callee);
        if (loose.empty()) return;
        for (const auto& lib : db_.knowledge->libraries)
            for (const auto& p : lib.configs)
                if (calls_pattern(p, loose, facts_.imports)) {
                    config_spans_.emplace_back(args.start_byte(), args.end_byte());
                    return;
                }
    }

    bool in_config(uint32_t at) const {
        for (auto [b, e] : config_spans_)
            if (at >= b && at < e) return true;
        return false;
    }

    /// Function::returns: a returned call or name (builders made by a function).
    void note_return(Node fn, Function& f) {
        Node body = fn.field("body");
        Node value;
        if (body && !body.is("statement_block")) {
            value = body;
        } else if (body) {
            for (Node st : syntax::named_children(body))
                if (st.is("return_statement") && st.named_child_count() > 0) {
                    value = st.named_child(0);
                    break;
                }
        }
        Node u = unwrap(value);
        if (!u || (u.kind_id() != syntax::Kind::CallExpression && u.kind_id() != syntax::Kind::Identifier)) return;
        f.returns.push_back(value_ref(u));
    }

    /// The name a function expression gets from where it is assigned.
    std::string assigned_name(Node n) {
        Node p = up(n);
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
                p = up(p);
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
        bool through_calls = false;
        c.loose = loose_path(callee, &through_calls);
        c.callee = through_calls ? std::string() : c.loose;
        c.root = c.loose.substr(0, c.loose.find('.'));
        c.start = n.start_byte();
        c.line = n.start().line;
        c.end = n.end_byte();
        assigned_names(n, c.assigned);
        // Clients made inside functions: `const admin = createAdminClient()`.
        if (!c.root.empty() && c.loose.size() == c.root.size() && c.root.size() > 6 &&
            (c.root[0] == 'c' || c.root.find("upabase") != std::string::npos)) {
            std::string l = lower(c.root);
            bool factory = (l.rfind("create", 0) == 0 && l.size() > 6 && l.find("client") != std::string::npos) ||
                           l.find("supabase") != std::string::npos;
            if (factory) db_.client_locals.insert(db_.client_locals.end(), c.assigned.begin(), c.assigned.end());
        }
        for (auto [b, e] : swallowing_tries_)
            if (c.start >= b && c.start < e) c.swallowed = true;
        for (auto [b, e] : try_spans_)
            if (c.start >= b && c.start < e) c.in_try = true;
        for (auto [b, e] : catch_spans_)
            if (c.start >= b && c.start < e) c.in_catch = true;
        c.deferred = in_config(c.start);
        note_config(n, callee);
        c.fallback = is_fallback(n);
        note_registration(n, callee, fn);
        if (!c.assigned.empty() && fn >= 0) {
            auto& names = call_names_[fn];
            names.insert(names.end(), c.assigned.begin(), c.assigned.end());
        }
        Node args = n.field("arguments");
        if (args && args.named_child_count() > 0) pending_args_.emplace_back(facts_.calls.size(), args);
        maybe_procedure(n, unwrap(callee));
        first_call_at_.try_emplace(c.start, static_cast<int>(facts_.calls.size()));  // pre-order: the outermost
        facts_.calls.push_back(std::move(c));

        const Call& made = facts_.calls.back();
        if (made.loose == "Promise.all" || made.loose == "Promise.allSettled" || made.loose.find("ransaction") != std::string::npos)
            maybe_batch_run(n, fn);
        if (is_transaction_call(n, db_) || (made.callee == "transaction" && is_wrapped_transaction(n))) {
            facts_.transactions.emplace_back(n.start_byte(), n.end_byte());
        }
        DbOp op;
        if (detect_db_op(n, db_, op)) {
            op.function = fn;
            op.deferred = is_deferred(n, op.batch);
            op.idempotent = is_ensure_exists(n, op) || made.fallback;
            // A chain's calls all start where the operation does: the call's try flags are its own.
            op.call = first_call_at_.at(op.start);
            op.in_try = made.in_try;
            op.best_effort = made.swallowed || chained_catch(n) ||
                             std::any_of(catch_spans_.begin(), catch_spans_.end(),
                                         [&](const auto& sp) { return op.start >= sp.first && op.start < sp.second; });
            for (auto [b, e] : facts_.transactions)
                if (op.start >= b && op.start < e && !(b == n.start_byte() && e == n.end_byte())) op.in_transaction = true;
            facts_.db_ops.push_back(std::move(op));
        }
    }

    /// The create of a get-or-create: the call is the fallback of a value that may already
    /// be there (`user.premium || await createPremium()`, `found ?? await db.x.create()`,
    /// `id ? { id } : await create()`), the other operand being a value, not a call.
    bool is_fallback(Node call) const {
        Node child = call, p = up(call);
        while (p && (p.is("await_expression") || p.is("parenthesized_expression"))) child = p, p = up(p);
        auto no_call = [](Node other) {  // what is there already: a name, a property, an object
            Node u = unwrap(other);
            return u.is("identifier") || u.is("member_expression") || u.is("subscript_expression") || u.is("object");
        };
        if (p.is("binary_expression")) {
            auto op = p.field("operator").text();
            return (op == "||" || op == "??") && p.field("right").id() == child.id() && no_call(p.field("left"));
        }
        if (p.is("ternary_expression")) {
            Node cons = p.field("consequence"), alt = p.field("alternative");
            if (alt.id() == child.id()) return no_call(cons);
            if (cons.id() == child.id()) return no_call(alt);
        }
        return false;
    }

    /// `createMany({ skipDuplicates: true })`, `upsert({ update: {} })`.
    static bool is_ensure_exists(Node call, const DbOp& op) {
        Node arg = unwrap(call.field("arguments").named_child(0));
        if (!arg.is("object")) return false;
        if (op.method == "createMany" || op.method == "createManyAndReturn")
            return object_value(arg, "skipDuplicates").text() == "true";
        if (op.method == "upsert") {
            Node update = unwrap(object_value(arg, "update"));
            if (!update.is("object")) return false;
            for (Node m : syntax::named_children(update))  // `update: { /* nothing */ }` is empty too
                if (!m.is("comment")) return false;
            return true;
        }
        return false;
    }

    /// `prisma.x.deleteMany(...).catch(() => {})`: a fire-and-forget write.
    bool chained_catch(Node call) const {
        Node member = up(call);
        if (!member.is("member_expression")) return false;
        auto m = member.field("property").text();
        return m == "catch";
    }

    /// `transaction([...])` / `transaction(async (tx) => ...)` through a project's own
    /// wrapper (umami: `const { client, transaction } = prisma`).
    static bool is_wrapped_transaction(Node call) {
        Node callee = unwrap(call.field("function"));
        if (!callee.is("identifier") || callee.text() != "transaction") return false;
        Node arg = unwrap(call.field("arguments").named_child(0));
        return arg.is("array") || arg.is("arrow_function") || arg.is("function_expression") || arg.is("identifier");
    }

    /// A query built but not run where it stands: an element of an array that is not
    /// handed to Promise.all, a `.push()` argument, or a variable initialised without await.
    bool is_deferred(Node call, std::string& batch) const {
        Node p = up(call);
        while (p.is("parenthesized_expression") || p.is("as_expression") || p.is("satisfies_expression")) p = up(p);
        if (p.is("variable_declarator")) return true;
        if (p.is("array")) {
            Node holder = up(p);
            while (holder.is("parenthesized_expression") || holder.is("as_expression")) holder = up(holder);
            if (holder.is("variable_declarator")) {  // const writes = [op, ...]
                batch = std::string(holder.field("name").text());
                return true;
            }
            Node outer = holder.is("arguments") ? up(holder) : Node();
            std::string callee = outer.is("call_expression") ? path_text(outer.field("function")) : std::string();
            return !(callee == "Promise.all" || callee == "Promise.allSettled" || callee == "Promise.race" ||
                     callee == "waitUntil" || callee == "Promise.any");
        }
        if (p.is("arguments")) {
            Node outer = up(p);
            Node callee = outer.is("call_expression") ? unwrap(outer.field("function")) : Node();
            if (callee.is("member_expression")) {
                auto m = callee.field("property").text();
                if (m == "push" || m == "unshift" || m == "concat") {
                    batch = path_text(callee.field("object"));
                    return true;
                }
            }
        }
        return false;
    }

    /// `Promise.all(writes)`, `prisma.$transaction(writes)`, `transaction(writes)`: a batch runs.
    void maybe_batch_run(Node call, int fn) {
        Node arg = unwrap(call.field("arguments").named_child(0));
        if (!arg.is("identifier")) return;
        std::string callee = path_text(call.field("function"));
        bool concurrent = callee == "Promise.all" || callee == "Promise.allSettled";
        bool atomic = is_transaction_call(call, db_) || is_wrapped_transaction(call);
        if (!concurrent && !atomic) return;
        facts_.batch_runs.push_back({fn, std::string(arg.text()), call.start_byte(), atomic});
    }

    /// Names bound from a call's result: `const x = await f()`, `const { a, b: { c } } = f()`,
    /// `x = await f()`, `const x = t ? f(t) : null`.
    void assigned_names(Node call, std::vector<std::string>& out) const {
        Node child = call;
        Node p = up(call);
        for (int i = 0; i < 6 && p; ++i) {
            auto k = p.kind();
            bool arm = k == "ternary_expression" && p.field("condition").id() != child.id();
            // `yield* Effect.tryPromise(...)`: a generator's await
            if (arm || k == "await_expression" || k == "yield_expression" || k == "parenthesized_expression" ||
                k == "as_expression" || k == "non_null_expression" || k == "satisfies_expression") {
                child = p;
                p = up(p);
                continue;
            }
            if (k == "variable_declarator") pattern_names(p.field("name"), out);
            else if (k == "assignment_expression") pattern_names(p.field("left"), out);
            return;
        }
    }

    /// `c ? a() : b()`: two arms that never both run.
    void on_ternary(Node n, int fn) {
        int group = next_group_++;
        for (const char* f : {"consequence", "alternative"}) {
            Node arm = n.field(f);
            if (!arm) continue;
            Branch b;
            b.function = fn;
            b.start = arm.start_byte();
            b.end = arm.end_byte();
            b.group = group;
            facts_.branches.push_back(std::move(b));
        }
    }

    void on_loop(Node n, int fn) {
        Node body = n.field("body");
        if (body) facts_.loops.push_back({fn, body.start_byte(), body.end_byte()});
    }

    /// `try { ... } catch { <no exit> }`: what throws in the body is swallowed.
    void on_try(Node n, int fn) {
        Node body = n.field("body");
        Node handler = n.field("handler");
        if (!body || !handler) return;
        // `catch (e) { res.status(500).json(...) }`: the failure is reported, not tolerated
        bool catch_exits = exits(handler.field("body")) || responds_error(handler.field("body"));
        if (!catch_exits) swallowing_tries_.emplace_back(body.start_byte(), body.end_byte());
        try_spans_.emplace_back(body.start_byte(), body.end_byte());
        // the body and the catch: the catch runs when the body failed
        int group = next_group_++;
        for (Node arm : {body, handler}) {
            Branch b;
            b.function = fn;
            b.start = arm.start_byte();
            b.end = arm.end_byte();
            b.group = group;
            b.exits = arm.id() == handler.id() ? catch_exits : exits(body);
            facts_.branches.push_back(std::move(b));
        }
    }

    /// A comparison with `process.env.X` where X names a secret (SECRET, KEY, TOKEN,
    /// PASSWORD, SIGNATURE): a shared-secret check. `process.env.NODE_ENV !== "production"` is not.
    static bool compares_env_secret(std::string_view t) {
        bool compares = t.find("!=") != std::string_view::npos || t.find("==") != std::string_view::npos;
        if (!compares) return false;
        // `process.env.X`, or a validated env object (`env.X` of t3-env and the like)
        for (size_t at = t.find("env."); at != std::string_view::npos; at = t.find("env.", at + 1)) {
            bool word = at == 0 || !(std::isalnum(static_cast<unsigned char>(t[at - 1])) || t[at - 1] == '_');
            if (!word && !(at >= 8 && t.substr(at - 8, 8) == "process.")) continue;
            size_t b = at + 4, e = b;
            while (e < t.size() && (std::isalnum(static_cast<unsigned char>(t[e])) || t[e] == '_')) ++e;
            std::string name(t.substr(b, e - b));
            for (char& ch : name) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
            for (const char* w : {"SECRET", "KEY", "TOKEN", "PASSWORD", "SIGNATURE"})
                if (name.find(w) != std::string::npos) return true;
        }
        return false;
    }

    /// Upper-case HTTP method names among the string literals directly in `n`.
    static void method_literals(Node n, std::vector<std::string>& out) {
        for (Node ch : syntax::named_children(n)) {
            std::string v = string_value(ch);
            if (v == "GET" || v == "POST" || v == "PUT" || v == "PATCH" || v == "DELETE" || v == "HEAD" || v == "OPTIONS")
                out.push_back(v);
        }
    }

    /// Records the consequence of an `if` as a Branch; returns whether it exits.
    bool record_branch(Node n, Node cond, Node cons, int fn) {
        Branch b;
        b.function = fn;
        b.start = cons.start_byte();
        b.end = cons.end_byte();
        if (auto it = else_if_group_.find(n.id()); it != else_if_group_.end()) b.group = it->second;
        else b.group = next_group_++;
        b.exits = exits(cons);
        // The else arm: `else { ... }` (an `else if` records its own branch, in the same group).
        if (Node alt = n.field("alternative")) {
            Node body = alt.named_child(0);
            if (body && !body.is("if_statement")) {
                Branch a;
                a.function = fn;
                a.start = body.start_byte();
                a.end = body.end_byte();
                a.group = b.group;
                a.exits = exits(body);
                facts_.branches.push_back(std::move(a));
            } else if (body) {
                else_if_group_[body.id()] = b.group;
            }
        }
        Node c = unwrap(cond);
        b.negated = c.is("unary_expression") && c.text().substr(0, 1) == "!";
        if (c.is("binary_expression")) {
            auto op = c.field("operator").text();
            if (op == "===" || op == "==") {
                Node l = unwrap(c.field("left")), r = unwrap(c.field("right"));
                if (r.is("string")) b.subject = path_text(l), b.value = string_value(r);
                else if (l.is("string")) b.subject = path_text(r), b.value = string_value(l);
            }
        }
        // callees of calls in the condition (shallow: the condition itself or its negation)
        Node inner = b.negated ? unwrap(c.named_child(0)) : c;
        if (inner.is("call_expression")) b.condition_calls.push_back(path_text(inner.field("function")));
        // `req.method === "POST"` (either side), possibly `||`-joined
        auto t = c.text();
        if (t.find(".method") != std::string_view::npos && t.find("!=") == std::string_view::npos) {
            std::vector<Node> todo{c};
            while (!todo.empty() && b.methods.size() < 8) {
                Node x = todo.back();
                todo.pop_back();
                if (x.is("binary_expression")) {
                    method_literals(x, b.methods);
                    for (Node ch : syntax::named_children(x))
                        if (ch.is("binary_expression") || ch.is("parenthesized_expression")) todo.push_back(unwrap(ch));
                }
            }
        }
        bool exits_here = b.exits;
        facts_.branches.push_back(std::move(b));
        return exits_here;
    }

    /// `switch (req.method) { case "GET": ... }`: each case a Branch.
    void on_switch(Node n, int fn) {
        Node value = n.field("value");
        bool on_method = ends_with_method(value.text());
        Node body = n.field("body");
        int group = next_group_++;
        for (Node c : syntax::named_children(body)) {
            if (!c.is("switch_case") && !c.is("switch_default")) continue;
            Branch b;
            b.function = fn;
            b.start = c.start_byte();
            b.end = c.end_byte();
            b.group = group;
            std::string v = string_value(unwrap(c.field("value")));
            if (on_method && !v.empty()) b.methods.push_back(v);
            for (Node st : syntax::named_children(c))
                if (st.is("return_statement") || st.is("throw_statement")) b.exits = true;
            facts_.branches.push_back(std::move(b));
        }
    }

    /// `handlers.handle("getCap", fn).handle("deleteCap", fn2)`, `app.post("/x", fn)`: a
    /// handler registered under a name runs when that name is asked for; the handlers one
    /// function registers are alternatives (a Branch group of their own), never a sequence.
    void note_registration(Node call, Node callee, int fn) {
        static constexpr std::string_view verbs[] = {"handle", "handleRaw", "on", "once", "get", "post", "put",
                                                     "patch", "delete", "all", "route", "register", "addListener",
                                                     "addEventListener"};
        Node m = unwrap(callee);
        if (!m.is("member_expression")) return;
        std::string_view verb = m.field("property").text();
        if (std::find(std::begin(verbs), std::end(verbs), verb) == std::end(verbs)) return;
        Node args = call.field("arguments");
        if (!args || args.named_child_count() < 2) return;
        Node name = args.named_child(0);
        if (!name.is("string") && !name.is("template_string")) return;
        for (Node a : syntax::named_children(args)) {
            Node h = unwrap(a);
            if (!h.is("arrow_function") && !h.is("function_expression") && !h.is("function")) continue;
            auto [it, fresh] = registration_group_.try_emplace(fn, next_group_);
            if (fresh) ++next_group_;
            Branch b;
            b.function = fn;
            b.start = h.start_byte();
            b.end = h.end_byte();
            b.group = it->second;
            b.registered = true;
            facts_.branches.push_back(std::move(b));
        }
    }

    static bool ends_with_method(std::string_view t) {
        while (!t.empty() && (t.back() == ')' || t.back() == ' ')) t.remove_suffix(1);
        return t.size() >= 7 && t.substr(t.size() - 7) == ".method";
    }

    /// `if (cond) <exit>`: a guard; every `if`: a branch.
    void on_if(Node n, int fn) {
        Node cons = n.field("consequence");
        Node cond = n.field("condition");
        if (!record_branch(n, cond, cons, fn)) return;
        Guard g;
        g.function = fn;
        g.start = n.start_byte();
        g.condition_end = cond.end_byte();
        g.line = n.start().line;
        identifiers_in(cond, g.names);
        g.throws = throws(cons);
        // What the exit says: the block's own statements (`res.status(401).json(..); return;`),
        // not those of nested blocks (a method-dispatch `if` holding a session check).
        std::vector<Node> own;
        if (cons.is("statement_block")) {
            for (Node ch : syntax::named_children(cons))
                if (ch.is("expression_statement") || ch.is("return_statement") || ch.is("throw_statement"))
                    own.push_back(ch);
        } else {
            own.push_back(cons);
        }
        for (Node st : own) {
            // `if (found) return found;`: hands back what the condition tested
            if (st.is("return_statement"))
                if (Node v = unwrap(st.named_child(0));
                    v.is("identifier") && std::find(g.names.begin(), g.names.end(), v.text()) != g.names.end())
                    g.returns_tested = true;
            auto exit_text = st.text();
            for (const char* word : {"401", "403", "nauthorized", "NAUTHORIZED", "orbidden", "ORBIDDEN", "nauthenticated"})
                if (exit_text.find(word) != std::string_view::npos) g.rejects = true;
            for (const char* word : {"429", "oo many requests", "OO_MANY_REQUESTS", "ooManyRequests", "ate limit", "ateLimit"})
                if (exit_text.find(word) != std::string_view::npos) g.throttles = true;
        }
        g.env_compare = compares_env_secret(cond.text());
        g.truthy = tests_truthy(cond);
        pinned_paths(cond, g.pinned);
        if (g.throws && fn >= 0) note_checked_params(fn, g.names);
        facts_.guards.push_back(std::move(g));
    }

    /// Guard::pinned: the operands of an inequality that is the condition or one of its
    /// `||` alternatives (the exit is taken unless they are equal), when the other operand
    /// is a value, not null or undefined (`if (x != null)` is a presence check).
    static void pinned_paths(Node cond, std::vector<std::string>& out, int depth = 0) {
        Node c = unwrap(cond);
        if (!c.is("binary_expression") || depth > 16) return;
        auto op = c.field("operator").text();
        Node l = unwrap(c.field("left")), r = unwrap(c.field("right"));
        if (op == "||") {
            pinned_paths(l, out, depth + 1);
            pinned_paths(r, out, depth + 1);
            return;
        }
        if (op != "!==" && op != "!=") return;
        auto absent = [](Node n) { return n.is("null") || n.is("undefined") || n.text() == "undefined"; };
        if (absent(l) || absent(r)) return;
        for (Node side : {l, r})
            if (std::string p = path_text(side); !p.empty()) out.push_back(std::move(p));
    }

    /// `if (x)`, `if (x.count)`, `if (x.count > 0)`, `if (x.length !== 0)`, `if (n >= 1)`:
    /// the condition holds when the value tested is there or non-zero.
    static bool tests_truthy(Node cond) {
        Node c = unwrap(cond);
        if (c.is("identifier") || c.is("member_expression")) return true;
        if (!c.is("binary_expression")) return false;
        auto op = c.field("operator").text();
        auto right = unwrap(c.field("right")).text();
        return ((op == ">" || op == "!==" || op == "!=") && right == "0") || (op == ">=" && right == "1");
    }

    /// True when a statement leaves the function: return, throw, or a call to one of Next.js's
    /// throwing navigation helpers; for a block, when any of its top-level statements does.
    static bool exits(Node st) {
        if (!st) return false;
        if (st.is("else_clause")) return false;
        if (st.is("return_statement") || st.is("throw_statement")) return true;
        if (st.is("expression_statement")) return calls_navigation_exit(st);
        if (st.is("statement_block")) {
            for (Node ch : syntax::named_children(st))
                if (exits(ch)) return true;
        }
        if (st.is("try_statement")) {
            Node handler = st.field("handler");
            return exits(st.field("body")) && handler && exits(handler.field("body"));
        }
        return false;
    }

    /// A block that answers with an error status through a Pages Router response
    /// (`res.status(500).json(...)`, `return res.status(400).end()` is an exit already).
    static bool responds_error(Node block) {
        if (!block || !block.is("statement_block")) return false;
        for (Node st : syntax::named_children(block)) {
            if (!st.is("expression_statement")) continue;
            std::string_view t = st.text();
            for (std::string_view res : {"res.status(", "response.status("})
                if (t.starts_with(res) && t.size() > res.size() && (t[res.size()] == '4' || t[res.size()] == '5'))
                    return true;
            // `errorHandler(error, res)`: the error and the response handed to a function
            // that answers with it
            Node call = unwrap(st.named_child(0));
            if (call.is("await_expression")) call = unwrap(call.named_child(0));
            if (!call.is("call_expression")) continue;
            std::vector<Node> args = syntax::named_children(call.field("arguments"));
            bool error = false, response = false;
            for (Node a : args) {
                std::string_view name = unwrap(a).text();
                error = error || name == "error" || name == "err" || name == "e";
                response = response || name == "res" || name == "response";
            }
            if (error && response) return true;
        }
        return false;
    }

    /// True when a statement leaves by throwing: throw, or Next.js's redirect()/notFound()...
    static bool throws(Node st) {
        if (!st) return false;
        if (st.is("throw_statement")) return true;
        if (st.is("expression_statement") || st.is("return_statement")) return calls_navigation_exit(st);
        if (st.is("statement_block"))
            for (Node ch : syntax::named_children(st))
                if (throws(ch)) return true;
        return false;
    }

    /// `name: <procedure chain>.mutation(fn)` inside an object literal, or a module-level
    /// `const name = <procedure chain>.mutation(fn)` mounted in a router elsewhere: a tRPC
    /// procedure.
    void maybe_procedure(Node call, Node callee) {
        if (!callee.is("member_expression")) return;
        auto method = callee.field("property").text();
        if (method != "mutation" && method != "query" && method != "subscription") return;
        Node object = unwrap(callee.field("object"));
        if (!object.is("call_expression") && !object.is("identifier") && !object.is("member_expression")) return;
        Node parent = up(call);
        if (parent.is("pair") && parent.field("value").id() == call.id()) {
            pending_procedures_.emplace_back(pair_key(parent), parent.field("key"), call);
            return;
        }
        // A standalone procedure: its resolver is a function, and it is declared at module
        // level (not a client's `trpc.post.list.query(input)`).
        Node first = syntax::named_children(call.field("arguments")).empty()
                         ? Node()
                         : unwrap(call.field("arguments").named_child(0));
        if (!first || !is_function_kind(first.kind_id())) return;
        if (!parent.is("variable_declarator") || parent.field("value").id() != call.id()) return;
        Node name = parent.field("name");
        Node decl = up(parent);
        Node top = decl ? up(decl) : Node();
        if (top.is("export_statement")) top = up(top);
        if (!name.is("identifier") || !top.is("program")) return;
        pending_procedures_.emplace_back(std::string(name.text()), name, call);
    }

    /// Function::checked_params: the parameters a throwing guard reading `names` tests.
    void note_checked_params(int fn, const std::vector<std::string>& names) {
        auto& f = facts_.functions[static_cast<size_t>(fn)];
        auto mark = [&](int i) {
            if (std::find(f.checked_params.begin(), f.checked_params.end(), i) == f.checked_params.end())
                f.checked_params.push_back(i);
        };
        for (const auto& n : names) {
            for (size_t i = 0; i < f.params.size(); ++i)
                if (f.params[i] == n) mark(static_cast<int>(i));
            for (const auto& [name, idx] : param_derived_[fn])
                if (name == n) mark(idx);
        }
    }

    /// `const userId = session?.user?.id`, `const { user } = session`: names bound from a
    /// part of a call's result (Call::derived), in the same function.
    void on_derived(Node decl, int fn) {
        Node value = unwrap(decl.field("value"));
        if (!value || !(value.is("member_expression") || value.is("identifier") || value.is("call_expression"))) return;
        std::string root = value.is("identifier") ? std::string(value.text()) : chain_root(value);
        if (root.empty()) return;
        // from a parameter, or from a name derived from one
        const auto& params = facts_.functions[static_cast<size_t>(fn)].params;
        int param = -1;
        for (size_t i = 0; i < params.size(); ++i)
            if (params[i] == root) param = static_cast<int>(i);
        for (const auto& [name, idx] : param_derived_[fn])
            if (name == root) param = idx;
        if (param >= 0) {
            std::vector<std::string> names;
            pattern_names(decl.field("name"), names);
            for (auto& n : names) param_derived_[fn].emplace_back(std::move(n), param);
            return;
        }
        if (value.is("call_expression")) {
            // `const isAdmin = session?.user?.role.includes("ADMIN")`: a test of the result
            Node callee = unwrap(value.field("function"));
            if (!callee.is("member_expression")) return;
        }
        // only names bound from a call's result (or derived from one) lead anywhere
        auto known = call_names_.find(fn);
        if (known == call_names_.end() || std::find(known->second.begin(), known->second.end(), root) == known->second.end())
            return;
        size_t scanned = 0;
        for (auto it = facts_.calls.rbegin(); it != facts_.calls.rend() && scanned < 200; ++it, ++scanned) {
            Call& c = *it;
            if (c.function != fn) continue;
            auto has = [&](const std::vector<std::string>& v) { return std::find(v.begin(), v.end(), root) != v.end(); };
            if (!has(c.assigned) && !has(c.derived)) continue;
            size_t before = c.derived.size();
            pattern_names(decl.field("name"), c.derived);
            // derived names lead on in turn (`const user = session?.user; const id = user?.id`)
            known->second.insert(known->second.end(), c.derived.begin() + static_cast<long>(before), c.derived.end());
            return;
        }
    }

    /// `name.x` without `?.`, where `name` holds a call's result.
    void on_member(Node n, int fn) {
        if (fn < 0) return;
        auto it = call_names_.find(fn);
        if (it == call_names_.end()) return;
        Node obj = n.field("object");
        if (!obj.is("identifier")) return;
        std::string_view name = obj.text();
        if (std::find(it->second.begin(), it->second.end(), name) == it->second.end()) return;
        for (Node ch : syntax::children(n))
            if (ch.is("optional_chain")) return;
        facts_.derefs.push_back({fn, std::string(name), n.start_byte()});
    }

    // ---- module level: directives, imports, exports, bindings ----

    ValueRef value_ref(Node n, int depth = 0) {
        ValueRef v;
        n = unwrap(n);
        if (!n) return v;
        if (depth > kMaxValueDepth) return v;
        auto k = n.kind();
        if (is_function_kind(n.kind_id())) {
            v.kind = ValueRef::Kind::Function;
            auto it = fn_by_node_.find(n.id());
            v.function = it == fn_by_node_.end() ? -1 : it->second;
        } else if (k == "identifier") {
            v.kind = ValueRef::Kind::Identifier;
            v.name = std::string(n.text());
        } else if (k == "string" || k == "array") {
            v.kind = ValueRef::Kind::Strings;
            if (k == "string") v.strings.push_back(string_value(n));
            else
                for (Node e : syntax::named_children(n)) {
                    if (!e.is("string") || v.strings.size() >= 64) {
                        v.kind = ValueRef::Kind::Other;
                        v.strings.clear();
                        break;
                    }
                    v.strings.push_back(string_value(e));
                }
        } else if (k == "object") {
            // `{ addMessage() {...}, remove: removeFn }`: its function-valued members
            v.kind = ValueRef::Kind::Object;
            for (Node p : syntax::named_children(n)) {
                if (v.args.size() >= 64) break;
                if (p.is("method_definition")) {
                    auto it = fn_by_node_.find(p.id());
                    ValueRef m;
                    m.kind = ValueRef::Kind::Function;
                    m.function = it == fn_by_node_.end() ? -1 : it->second;
                    v.strings.emplace_back(p.field("name").text());
                    v.args.push_back(std::move(m));
                } else if (p.is("pair")) {
                    std::string key = pair_key(p);
                    if (key.empty()) continue;
                    v.strings.push_back(key);
                    v.args.push_back(value_ref(p.field("value"), depth + 1));
                } else if (p.is("shorthand_property_identifier")) {
                    v.strings.emplace_back(p.text());
                    ValueRef m;
                    m.kind = ValueRef::Kind::Identifier;
                    m.name = std::string(p.text());
                    v.args.push_back(std::move(m));
                }
            }
        } else if (k == "call_expression") {
            v.kind = ValueRef::Kind::Call;
            Node callee = unwrap(n.field("function"));
            v.name = path_text(callee);
            v.root = chain_root(callee);
            if (callee.is("member_expression")) {
                v.method = std::string(callee.field("property").text());
                // a chained builder: client.inputSchema(s).action(fn) -> "<chain>.action"
                if (v.name.empty()) v.name = "." + v.method;
                Node obj = unwrap(callee.field("object"));
                if (obj.is("call_expression")) v.receiver.push_back(value_ref(obj, depth + 1));
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
            if (prologue && k == "expression_statement" && st.named_child(0).is("string")) continue;  // read by the prepass
            prologue = false;
            if (k == "import_statement") continue;  // read by the prepass
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
            if (name.is("object_pattern") || name.is("array_pattern")) {
                // `export const { auth, handlers } = NextAuth(config)`
                std::vector<std::string> names;
                pattern_names(name, names);
                ValueRef value = value_ref(d.field("value"));
                for (auto& n : names) {
                    if (exported) facts_.exports.push_back({n, "", "", value, d.range()});
                    facts_.bindings.push_back({n, value, true});
                }
                continue;
            }
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
            // Overload signatures and type declarations export no value.
            if (k == "function_signature" || k == "interface_declaration" || k == "type_alias_declaration" ||
                k == "ambient_declaration")
                return;
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
        bool star = false, has_namespace = false;
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
                has_namespace = true;
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
        if (star && !from.empty() && !has_namespace) {
            Export e;
            e.name = "*";
            e.from = from;
            e.range = st.range();
            facts_.exports.push_back(std::move(e));
        }
    }
};

}  // namespace

FileFacts extract_facts(const syntax::Tree& tree, const std::string& rel, const Knowledge& knowledge,
                        const std::vector<const LocalCheck*>& checks) {
    return Extractor(tree, rel, knowledge, checks).run();
}

FileFacts extract_facts(const syntax::Tree& tree, const std::string& rel) {
    return extract_facts(tree, rel, Knowledge::builtin());
}

}  // namespace nextguard::analysis
