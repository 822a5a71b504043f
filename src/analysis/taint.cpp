#include "analysis/taint.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <unordered_map>

#include "analysis/node_util.hpp"

namespace nextguard::analysis {

using syntax::Node;

namespace {

using Origins = std::vector<TaintOrigin>;

constexpr int kMaxExprDepth = 24;

void add_all(Origins& to, const Origins& from) {
    for (const auto& o : from)
        if (to.size() < 16) to.push_back(o);
}

/// The names and scope of one function.
/// A declaration whose value is evaluated only when one of its names is read.
struct Pending {
    Node pattern;
    Node value;
    bool evaluated = false;
    /// An assignment (`x = {...x, mode}`): the pending value it replaces, index into
    /// Env::pending, or -1. The name may hold either afterwards (the assignment may sit in
    /// a branch), and the new value may read the old one.
    int previous = -1;
    bool conditional = false;  ///< the assignment may not run (in a branch or loop): the old value stays possible
};

struct Env {
    const Env* parent = nullptr;
    mutable std::unordered_map<std::string, Origins> vars;            // bound from expressions
    mutable std::vector<Pending> pending;                             // declarations not evaluated yet
    std::unordered_map<std::string, int> pending_by_name;             // name -> index into pending (latest)
    std::unordered_map<std::string, std::pair<int, std::string>> params;  // name -> (index, field)
    std::set<std::string> requests;   // request objects (`req`, `request: NextRequest`)
    std::set<std::string> validated;  // cleared by an explicit check that exits
    std::set<std::string> schemas;    // bound to a schema (`const S = z.object(...)`)
    std::set<std::string> objects;    // bound to an object literal the server builds
    std::unordered_map<std::string, std::vector<std::string>> checks;  // `const ok = <check of names>`
};

class TaintPass {
public:
    TaintPass(const std::vector<Node>& fns, const std::vector<std::vector<Node>>& statements, const Knowledge& k,
              FileFacts& facts)
        : fns_(fns), statements_(statements), k_(k), facts_(facts), v_(k.validation()) {
        for (const auto& b : facts.bindings)
            if (b.value.kind == ValueRef::Kind::Call && is_schema_call_name(b.value.root)) module_.schemas.insert(b.name);
        // dynamic route segments of this file (`pages/api/teams/[teamId]/index.ts` -> teamId)
        std::string_view rel = facts.rel;
        for (size_t open = rel.find('['); open != std::string_view::npos; open = rel.find('[', open + 1)) {
            size_t close = rel.find(']', open);
            if (close == std::string_view::npos) break;
            std::string_view name = rel.substr(open + 1, close - open - 1);
            while (!name.empty() && (name.front() == '.' || name.front() == '[')) name.remove_prefix(1);
            route_params_.insert(std::string(name));
        }
    }

    void run() {
        envs_.resize(fns_.size());
        for (size_t i = 0; i < fns_.size(); ++i) scan(static_cast<int>(i));
    }

private:
    const std::vector<Node>& fns_;
    const std::vector<std::vector<Node>>& statements_;
    const Knowledge& k_;
    FileFacts& facts_;
    const ValidationIndex& v_;
    Env module_;
    std::vector<Env> envs_;
    std::unordered_map<uint64_t, int> call_at_;  // (start, end) byte span -> index in facts.calls
    std::set<std::string> route_params_;         // dynamic segments of the file's route
    std::unordered_map<uint32_t, const DbOp*> op_at_;  // Prisma operations by start byte
    mutable Origins closure_;  // lookup()'s answer for an enclosing function's variable

    const Import* import_of(std::string_view local) const {
        for (const auto& imp : facts_.imports)
            if (imp.local == local) return &imp;
        return nullptr;
    }

    /// A name imported from a validation library (`z`, `v`, `yup`, `Joi`, `type`...).
    bool is_schema_call_name(std::string_view root) const {
        const Import* imp = import_of(root);
        return imp && v_.schema_modules.count(imp->specifier);
    }

    // ---- names ----

    /// What a check's condition tests: a field handed to a check or compared
    /// (`isValidUrl(data.url)`, `typeof body.title`) as "data.url", so that its siblings stay
    /// unchecked; a name whose method, length or host, or a field's member, is tested
    /// (`back.startsWith("/")`, `q.length > 39`, `url.hostname.endsWith(...)`), and any
    /// other name, whole.
    static void checked_paths(Node cond, std::vector<std::string>& out) {
        visit_nodes(cond, 400, [&](Node cur) {
            if (cur.is("member_expression")) {
                Node obj = unwrap(cur.field("object"));
                if (!obj.is("identifier")) return true;
                Node parent = cur.parent();
                std::string_view prop = cur.field("property").text();
                // a string's or list's length, a URL's host: about the value itself
                bool whole = prop == "length" || prop == "size" || prop == "hostname" || prop == "host" ||
                             prop == "origin" ||
                             (parent.is("call_expression") && parent.field("function").id() == cur.id()) ||
                             (parent.is("member_expression") && parent.field("object").id() == cur.id());
                if (out.size() < 64)
                    out.push_back(whole ? std::string(obj.text())
                                        : std::string(obj.text()) + "." + std::string(cur.field("property").text()));
                return false;
            }
            if (!cur.is("identifier") && !cur.is("shorthand_property_identifier")) return true;
            if (out.size() < 64) out.emplace_back(cur.text());
            return false;
        });
    }

    /// The function an environment belongs to, or -1 for the module's.
    int owner_of(const Env* e) const {
        return e >= envs_.data() && e < envs_.data() + envs_.size() ? static_cast<int>(e - envs_.data()) : -1;
    }

    const Origins* lookup(const Env& env, const std::string& name, std::pair<int, std::string>* param,
                          int* owner = nullptr) const {
        for (const Env* e = &env; e; e = e->parent) {
            if (e->validated.count(name)) return nullptr;
            if (auto pit = e->pending_by_name.find(name); pit != e->pending_by_name.end()) {
                Pending& p = e->pending[pit->second];
                if (!p.evaluated) evaluate_pending(const_cast<Env&>(*e), pit->second);
            }
            if (auto it = e->vars.find(name); it != e->vars.end()) {
                if (e == &env) return &it->second;
                // a closure reads an enclosing function's variable: its parameters are that one's
                closure_ = it->second;
                for (auto& o : closure_)
                    if (o.kind == TaintOrigin::Kind::Param && o.owner < 0) o.owner = owner_of(e);
                return &closure_;
            }
            if (auto it = e->params.find(name); it != e->params.end()) {
                if (param) *param = it->second;
                if (owner) *owner = e == &env ? -1 : owner_of(e);
                return nullptr;
            }
        }
        return nullptr;
    }

    /// What reading `field` of a value with these origins gives: the request URL's query
    /// parts stay request data, its other parts (origin, pathname) do not; a Pages route
    /// parameter read from `req.query` is a route segment, not free input.
    Origins field_of(const Origins& in, const std::string& field) const {
        Origins out;
        for (auto o : in) {
            if (o.kind == TaintOrigin::Kind::Param) {
                if (o.field.empty()) o.field = field;
                out.push_back(o);
            } else if (o.what == "the request URL") {
                if (field == "searchParams" || field == "search" || field == "href") {
                    o.what = "the query string";
                    out.push_back(o);
                }
            } else if (o.what == "the query string" && route_params_.count(field)) {
                continue;
            } else {
                if (o.what == "the query string" && o.field.empty()) o.field = field;  // which parameter
                out.push_back(o);
            }
        }
        return out;
    }

    bool is_request(const Env& env, std::string_view name) const {
        for (const Env* e = &env; e; e = e->parent)
            if (e->requests.count(std::string(name))) return true;
        return false;
    }

    bool is_schema(const Env& env, Node n) const {
        n = unwrap(n);
        if (n.is("identifier")) {
            std::string name(n.text());
            for (const Env* e = &env; e; e = e->parent)
                if (e->schemas.count(name)) return true;
            if (module_.schemas.count(name)) return true;
            return name.ends_with("Schema") || name.ends_with("schema") || name.ends_with("Validator");
        }
        if (n.is("member_expression")) {
            std::string p(n.field("property").text());
            return p.ends_with("Schema") || p.ends_with("schema");
        }
        if (n.is("call_expression")) return is_schema_call_name(chain_root(n.field("function")));
        return false;
    }

    /// `schema.parse(x)`, `v.parse(schema, x)`, `Value.Check(T, x)`, `User(x)` (arktype).
    /// Schema methods that other APIs have too (superstruct's `create`, `is`, `assert`,
    /// yup's and joi's `validate`): `stripe.checkout.sessions.create(params)` validates nothing.
    static bool common_method(std::string_view m) {
        return m == "create" || m == "is" || m == "assert" || m == "validate" || m == "mask";
    }

    /// A receiver that is a schema: a name bound to one, a name saying so (`userSchema`,
    /// `UserStruct`, `bodyValidator`), or a member of a schema library's import.
    bool schema_like(const Env& env, Node recv) const {
        Node r = unwrap(recv);
        std::string root = chain_root(r);
        if (root.empty()) return false;
        for (const Env* e = &env; e; e = e->parent)
            if (e->schemas.count(root)) return true;
        if (module_.schemas.count(root)) return true;
        if (const Import* imp = import_of(root); imp && v_.schema_modules.count(imp->specifier)) return true;
        std::string path = path_text(r);
        std::string last = lower(path.substr(path.rfind('.') == std::string::npos ? 0 : path.rfind('.') + 1));
        for (std::string_view w : {"schema", "struct", "validator", "validation", "shape"})
            if (last.find(w) != std::string::npos) return true;
        return false;
    }

    bool is_validator_call(const Env& env, Node call) const {
        Node callee = unwrap(call.field("function"));
        // quick filter: the last name must be a schema method, a validator function, or a local name
        std::string_view last = callee.is("member_expression") ? callee.field("property").text()
                                : callee.is("identifier")       ? callee.text()
                                                                : std::string_view();
        if (last.empty()) return false;
        if (callee.is("member_expression") && !v_.schema_methods.count(last) && !v_.validator_names.count(last)) return false;
        std::string loose = loose_path(callee);
        if (callee.is("member_expression")) {
            std::string method(callee.field("property").text());
            std::string root = chain_root(callee);
            static const char* not_schemas[] = {"JSON", "Date", "URL", "Number", "Intl", "path", "qs", "querystring",
                                                "Buffer", "Object", "Math", "crypto", "jwt", "Promise", "Array"};
            bool plain = std::find(std::begin(not_schemas), std::end(not_schemas), root) != std::end(not_schemas);
            if (v_.schema_methods.count(method) && !plain && !is_request(env, root) &&
                (!common_method(method) || schema_like(env, callee.field("object"))))
                return true;
        }
        for (const auto* p : v_.validator_functions) {
            size_t dot = loose.rfind('.');
            std::string last = dot == std::string::npos ? loose : loose.substr(dot + 1);
            if (last != p->name) continue;
            std::string root = loose.substr(0, loose.find('.'));
            const Import* imp = import_of(root);
            if (imp && std::find(p->from.begin(), p->from.end(), imp->specifier) != p->from.end()) return true;
        }
        if (callee.is("identifier")) {
            // arktype: `const User = type({...}); User(x)`
            std::string name(callee.text());
            for (const Env* e = &env; e; e = e->parent)
                if (e->schemas.count(name)) return true;
            if (module_.schemas.count(name)) {
                for (const auto* f : v_.schema_factories) {
                    const Binding* b = facts_.binding(name);
                    const Import* imp = b ? import_of(b->value.root) : nullptr;
                    if (imp && std::find(f->from.begin(), f->from.end(), imp->specifier) != f->from.end()) return true;
                }
            }
        }
        return false;
    }

    // ---- where values come from ----

    Origins request(Node n, const char* what) const {
        TaintOrigin o;
        o.kind = TaintOrigin::Kind::Request;
        o.what = what;
        o.range = n.range();
        return {o};
    }

    Origins origins(const Env& env, Node n, int depth = 0) const {
        Origins out;
        n = unwrap(n);
        if (!n || depth > kMaxExprDepth) return out;
        auto k = n.kind();
        if (k == "identifier" || k == "shorthand_property_identifier") {
            std::pair<int, std::string> param{-1, ""};
            int owner = -1;
            std::string name(n.text());
            if (const Origins* o = lookup(env, name, &param, &owner)) return *o;
            if (param.first >= 0) {
                TaintOrigin o;
                o.kind = TaintOrigin::Kind::Param;
                o.param = param.first;
                o.field = param.second;
                o.owner = owner;
                out.push_back(o);
            }
            return out;
        }
        if (k == "member_expression" || k == "subscript_expression") {
            Node obj = unwrap(n.field("object"));
            std::string prop = k == "member_expression" ? std::string(n.field("property").text()) : std::string();
            std::string root = chain_root(n);
            if (is_request(env, root) && path_text(obj) == root) {
                if (prop == "body") return request(n, "the request body");
                if (prop == "query") return request(n, "the query string");
                if (prop == "url" || prop == "nextUrl") return request(n, "the request URL");
                return out;
            }
            // `if (!isValidUrl(data.url)) return` checked that field, not its siblings
            if (!prop.empty() && obj.is("identifier")) {
                std::string path = std::string(obj.text()) + "." + prop;
                for (const Env* e = &env; e; e = e->parent)
                    if (e->validated.count(path)) return out;
            }
            Origins base = origins(env, obj, depth + 1);
            return prop.empty() ? base : field_of(base, prop);
        }
        if (k == "call_expression") {
            if (is_validator_call(env, n)) return out;
            Node callee = unwrap(n.field("function"));
            Node args = n.field("arguments");
            Node arg0 = args ? unwrap(args.named_child(0)) : Node();
            if (callee.is("member_expression")) {
                std::string method(callee.field("property").text());
                Node recv = unwrap(callee.field("object"));
                std::string root = chain_root(recv);
                bool no_args = !args || args.named_child_count() == 0;
                if (no_args && is_request(env, root) && path_text(recv) == root) {
                    if (method == "json") return request(n, "the JSON body");
                    if (method == "formData") return request(n, "the form data");
                    if (method == "text" || method == "arrayBuffer" || method == "blob") return request(n, "the request body");
                }
                std::string path = path_text(callee);
                if (path == "Object.fromEntries" || path == "Object.assign" || path == "JSON.parse" ||
                    path == "Number.parseInt" || path == "Number.parseFloat" || path == "Number" ||
                    path == "path.join" || path == "path.resolve" || path == "path.normalize" || path == "Buffer.from") {
                    for (Node a : syntax::named_children(args)) add_all(out, origins(env, a, depth + 1));
                    return out;
                }
                if (path == "Math.min") return out;  // bounded
                static const char* passthrough[] = {"get", "getAll", "trim", "toLowerCase", "toUpperCase", "toString",
                                                    "slice", "substring", "split", "replace", "replaceAll", "concat",
                                                    "at", "join", "normalize", "padStart", "valueOf", "entries", "map",
                                                    "filter"};
                for (const char* m : passthrough)
                    if (method == m) return origins(env, recv, depth + 1);
                return out;
            }
            if (callee.is("identifier")) {
                std::string name(callee.text());
                if (name == "String" || name == "Number" || name == "parseInt" || name == "parseFloat" ||
                    name == "decodeURIComponent" || name == "decodeURI" || name == "BigInt" || name == "join" ||
                    name == "resolve")
                    return origins(env, arg0, depth + 1);
            }
            return out;
        }
        if (k == "new_expression") {
            std::string ctor = path_text(n.field("constructor"));
            Node args = n.field("arguments");
            if ((ctor == "URL" || ctor == "URLSearchParams") && args && args.named_child_count() > 0)
                return origins(env, args.named_child(0), depth + 1);  // the base of `new URL(path, base)` is not it
            return out;
        }
        if (k == "template_string") {
            for (Node ch : syntax::named_children(n))
                if (ch.is("template_substitution")) add_all(out, origins(env, ch.named_child(0), depth + 1));
            return out;
        }
        if (k == "binary_expression") {
            // a comparison gives a boolean, not the compared data
            auto op = n.field("operator").text();
            if (op == "===" || op == "!==" || op == "==" || op == "!=" || op == "<" || op == ">" || op == "<=" ||
                op == ">=" || op == "instanceof" || op == "in")
                return out;
            add_all(out, origins(env, n.field("left"), depth + 1));
            add_all(out, origins(env, n.field("right"), depth + 1));
            return out;
        }
        if (k == "ternary_expression") {
            // `typeof x === "string" ? x : ""`: the arm taken when the shape is checked
            if (!condition_validates(code_text(n.field("condition"))))
                add_all(out, origins(env, n.field("consequence"), depth + 1));
            add_all(out, origins(env, n.field("alternative"), depth + 1));
            return out;
        }
        if (k == "object" || k == "array") {
            for (Node ch : syntax::named_children(n)) {
                Node v = ch.is("pair") ? ch.field("value") : ch.is("spread_element") ? ch.named_child(0) : ch;
                add_all(out, origins(env, v, depth + 1));
            }
            return out;
        }
        if (k == "spread_element") return origins(env, n.named_child(0), depth + 1);
        return out;
    }

    // ---- scanning a function ----

    /// Evaluates env.pending[i], after the value it replaces: the name holds either.
    void evaluate_pending(Env& env, int i) const {
        Pending& p = env.pending[i];
        p.evaluated = true;  // also guards against `const a = b, b = a`
        if (p.previous < 0 || !p.pattern.is("identifier")) return evaluate(env, p);
        std::string name(p.pattern.text());
        if (!env.pending[p.previous].evaluated) evaluate_pending(env, p.previous);
        Origins before;
        if (auto it = env.vars.find(name); it != env.vars.end()) before = it->second;
        evaluate(env, p);  // reads of the name in the new value see the old one
        if (p.conditional) add_all(env.vars[name], before);
    }

    /// Evaluates a pending declaration: what its names hold.
    void evaluate(Env& env, const Pending& p) const {
        Origins helper;
        if (helper_with_request(env, p.value, helper)) bind(env, p.pattern, {}, &helper);
        else bind(env, p.pattern, origins(env, p.value), nullptr, unwrap(p.value).is("identifier") ? unwrap(p.value).text() : "");
    }

    /// `source`: the name the value is read from (`const { title } = body`), whose checked
    /// fields (`body.title`) bind clean.
    void bind(Env& env, Node pattern, const Origins& o, const Origins* by_field_default = nullptr,
              std::string_view source = {}) const {
        pattern = unwrap(pattern);
        if (!pattern) return;
        if (pattern.is("identifier")) {
            env.vars[std::string(pattern.text())] = o;
            return;
        }
        if (pattern.is("object_pattern")) {
            for (Node p : syntax::named_children(pattern)) {
                std::string key, name;
                Node target;
                if (p.is("shorthand_property_identifier_pattern")) {
                    key = name = std::string(p.text());
                } else if (p.is("pair_pattern")) {
                    key = pair_key_of(p);
                    target = p.field("value");
                } else if (p.is("object_assignment_pattern")) {
                    Node l = p.field("left");
                    key = name = std::string(l.text());
                } else if (p.is("rest_pattern")) {
                    Node inner = p.named_child(0);
                    if (inner) env.vars[std::string(inner.text())] = o;
                    continue;
                }
                Origins field = field_of(o, key);
                if (!source.empty()) {
                    std::string path = std::string(source) + "." + key;
                    for (const Env* e = &env; e; e = e->parent)
                        if (e->validated.count(path)) field.clear();
                }
                if (by_field_default) {
                    static const char* request_parts[] = {"body", "query", "data", "input", "payload", "fields", "values"};
                    bool part = std::find(std::begin(request_parts), std::end(request_parts), key) != std::end(request_parts);
                    field = part ? *by_field_default : Origins{};
                }
                if (target) bind(env, target, field);
                else if (!name.empty()) env.vars[name] = field;
            }
            return;
        }
        if (pattern.is("array_pattern")) {
            for (Node p : syntax::named_children(pattern)) bind(env, p, o);
        }
    }

    static std::string pair_key_of(Node pair_pattern) {
        Node key = pair_pattern.field("key");
        if (key.is("string")) return string_value(key);
        return std::string(key.text());
    }

    /// `const { body, error } = await parseRequest(request)`: a project helper handed the
    /// request returns request data in its body/query/data...; with a schema argument, validated.
    bool helper_with_request(const Env& env, Node value, Origins& out) const {
        Node call = unwrap(value);
        if (!call.is("call_expression") || is_validator_call(env, call)) return false;
        Node args = call.field("arguments");
        bool has_request = false, has_schema = false;
        for (Node a : syntax::named_children(args)) {
            Node u = unwrap(a);
            if (u.is("identifier") && is_request(env, u.text())) has_request = true;
            if (is_schema(env, u)) has_schema = true;
        }
        if (!has_request) return false;
        if (!has_schema) out = request(call, "the request (through a helper)");
        return true;
    }

    void params_of(Node fn, Env& env) {
        Node params = fn.field("parameters");
        std::vector<Node> list;
        if (params) list = syntax::named_children(params);
        else if (Node single = fn.field("parameter")) list.push_back(single);
        int index = 0;
        for (Node p : list) {
            if (p.is("comment")) continue;
            Node pat = p.field("pattern") ? p.field("pattern") : p;
            Node type = p.field("type");
            if (pat.is("identifier")) {
                std::string name(pat.text());
                env.params[name] = {index, ""};
                if (name == "req" || name == "request" || (type && type.text().find("Request") != std::string_view::npos))
                    env.requests.insert(name);
            } else if (pat.is("object_pattern")) {
                for (Node q : syntax::named_children(pat)) {
                    if (q.is("shorthand_property_identifier_pattern")) env.params[std::string(q.text())] = {index, std::string(q.text())};
                    else if (q.is("pair_pattern") && q.field("value").is("identifier"))
                        env.params[std::string(q.field("value").text())] = {index, pair_key_of(q)};
                    else if (q.is("object_assignment_pattern"))
                        env.params[std::string(q.field("left").text())] = {index, std::string(q.field("left").text())};
                }
            }
            ++index;
        }
    }

    /// A condition that checks a value's shape (not only its presence): a type, a pattern,
    /// an allow-list, a length or a host, or a project predicate (`validateEmail(x)`, `isUuid(x)`).
    static bool condition_validates(std::string_view t) {
        for (const char* w : {"typeof ", ".test(", " instanceof ", "Number.isInteger", "Number.isFinite", "Number.isSafeInteger",
                              "isNaN(", ".includes(", ".has(", ".match(", "isValid", "isUUID", "isEmail", "isURL", ".length >",
                              ".length <", ".length >=", ".length <=", ".hostname", ".protocol", ".origin !", ".startsWith(",
                              "validate", "Validate", "verify", ".success"})
            if (t.find(w) != std::string_view::npos) return true;
        // `!isCuid(x)`, `!checkSlug(x)`
        for (size_t at = t.find("is"); at != std::string_view::npos; at = t.find("is", at + 1)) {
            bool word_start = at == 0 || !(std::isalnum(static_cast<unsigned char>(t[at - 1])) || t[at - 1] == '_' || t[at - 1] == '.');
            if (word_start && at + 2 < t.size() && std::isupper(static_cast<unsigned char>(t[at + 2]))) return true;
        }
        return false;
    }

    static bool block_exits(Node st) {
        if (!st) return false;
        if (st.is("return_statement") || st.is("throw_statement")) return true;
        if (st.is("expression_statement")) return calls_navigation_exit(st);
        if (st.is("statement_block"))
            for (Node ch : syntax::named_children(st))
                if (block_exits(ch)) return true;
        return false;
    }

    void scan(int fi) {
        Node fn = fns_[fi];
        Env& env = envs_[fi];
        if (!fn) return;
        int parent = facts_.functions[fi].parent;
        env.parent = parent >= 0 ? &envs_[parent] : &module_;
        params_of(fn, env);
        std::vector<Node> calls;
        for (Node n : statements_[fi]) {
            switch (n.kind_id()) {
                case syntax::Kind::VariableDeclarator: {
                    Node value = n.field("value");
                    Node name = n.field("name");
                    if (!value) break;
                    // evaluated when one of its names is read (most never are)
                    std::vector<std::string> names;
                    pattern_names(name, names);
                    env.pending.push_back({name, value, false});
                    for (auto& var : names) {
                        env.pending_by_name[var] = static_cast<int>(env.pending.size()) - 1;
                        env.vars.erase(var);
                    }
                    if (name.is("identifier")) {
                        std::string var(name.text());
                        Node v = unwrap(value);
                        auto vk = v.kind_id();
                        if (vk == syntax::Kind::CallExpression && is_schema(env, value)) env.schemas.insert(var);
                        if (v.is("object")) env.objects.insert(var);  // built by the server
                        // `const ok = /re/.test(x)`: a check whose result is tested later. For
                        // a call, the callee says it (`isUuid(x)`, not a query mentioning
                        // `isPrimary` in its arguments).
                        bool check = vk == syntax::Kind::CallExpression
                                         ? condition_validates(code_text(unwrap(v.field("function"))) + "(")
                                         : (v.is("binary_expression") || v.is("unary_expression")) &&
                                               condition_validates(code_text(v));
                        if (check) checked_paths(v, env.checks[var]);
                    }
                    break;
                }
                case syntax::Kind::Loop: {
                    // `for (const x of items)`: an element carries what the list carries
                    Node left = n.field("left"), right = n.field("right");
                    if (!left || !right || n.field("operator").text() != "of") break;
                    std::vector<std::string> names;
                    pattern_names(left, names);
                    env.pending.push_back({left, right, false});
                    for (auto& var : names) {
                        env.pending_by_name[var] = static_cast<int>(env.pending.size()) - 1;
                        env.vars.erase(var);
                    }
                    break;
                }
                case syntax::Kind::AssignmentExpression: {
                    Node left = unwrap(n.field("left"));
                    if (left.is("identifier")) {
                        std::string var(left.text());
                        auto prev = env.pending_by_name.find(var);
                        bool conditional = false;
                        for (Node up = n.parent(); up && up.id() != fn.id() && !conditional; up = up.parent())
                            conditional = up.is("if_statement") || up.is("switch_case") || up.is("ternary_expression") ||
                                          up.kind_id() == syntax::Kind::Loop || up.is("catch_clause") ||
                                          up.is("binary_expression");  // `ok && (x = y)`
                        env.pending.push_back({left, n.field("right"), false,
                                               prev != env.pending_by_name.end() ? prev->second : -1, conditional});
                        env.pending_by_name[var] = static_cast<int>(env.pending.size()) - 1;
                        env.vars.erase(var);
                    }
                    break;
                }
                case syntax::Kind::IfStatement: {
                    Node cond = n.field("condition");
                    if (!block_exits(n.field("consequence"))) break;
                    std::vector<std::string> names;
                    checked_paths(cond, names);
                    if (condition_validates(code_text(cond))) {
                        for (auto& name : names) env.validated.insert(name);
                    } else {
                        for (auto& name : names)  // `if (!ok) throw`, where ok holds a check
                            if (auto it = env.checks.find(name); it != env.checks.end())
                                for (auto& checked : it->second) env.validated.insert(checked);
                    }
                    break;
                }
                case syntax::Kind::CallExpression:
                    calls.push_back(n);
                    if (is_validator_call(env, n)) {
                        facts_.functions[fi].validates = true;
                        // `schema.parse(x)` throws on bad input: x itself is valid afterwards
                        for (Node a : syntax::named_children(n.field("arguments"))) {
                            Node u = unwrap(a);
                            if (u.is("identifier")) env.validated.insert(std::string(u.text()));
                        }
                    }
                    break;
                default: break;
            }
        }
        mark_result_uses(fi, fn);
        for (Node call : calls) check_call(fi, env, call);
    }

    // ---- where call results go (returned, sent in a response) ----

    /// The call fact of a call node (chained calls share a start, so the span decides).
    int call_index(Node call) {
        if (call_at_.empty())
            for (int i = 0; i < static_cast<int>(facts_.calls.size()); ++i)
                call_at_[(uint64_t{facts_.calls[i].start} << 32) | facts_.calls[i].end] = i;
        auto it = call_at_.find((uint64_t{call.start_byte()} << 32) | call.end_byte());
        return it == call_at_.end() ? -1 : it->second;
    }

    /// The names whose rows `expr` passes on: not those only measured or probed
    /// (`rows.length`, `rows.some(...)`, `rows.find(...)`, `rows[0]`, `set.has(x)`).
    static void rows_used_in(Node expr, std::vector<std::string>& out) {
        visit_nodes(expr, 2000, [&](Node n) {
            switch (n.kind_id()) {
                case syntax::Kind::Identifier:
                case syntax::Kind::ShorthandPropertyIdentifier:
                    if (out.size() < 64) out.emplace_back(n.text());
                    return false;
                case syntax::Kind::MemberExpression: {
                    auto prop = n.field("property").text();
                    return !(prop == "length" || prop == "size");  // a count of the rows
                }
                case syntax::Kind::CallExpression: {
                    Node callee = unwrap(n.field("function"));
                    if (callee.kind_id() != syntax::Kind::MemberExpression) return true;
                    auto m = callee.field("property").text();
                    if (m == "some" || m == "every" || m == "find" || m == "findIndex" || m == "includes" || m == "has" ||
                        m == "indexOf" || m == "at" || m == "findLast")
                        return false;  // probed, not passed on
                    return !(m == "reduce" || m == "reduceRight");  // folded into totals
                }
                default:
                    // one element; or markup (a component's JSX is rendered, not data handed back)
                    return !(n.is("subscript_expression") || n.is("jsx_element") || n.is("jsx_self_closing_element"));
            }
        });
    }

    static bool is_response_call(const Call& c) {
        const std::string& l = c.loose;
        if (l == "Response.json" || l == "NextResponse.json" || l == "Response" || l == "NextResponse") return true;
        const std::string& root = c.root;
        bool res = root == "res" || root == "response" || root == "reply";
        return res && (l.ends_with(".json") || l.ends_with(".send") || l.ends_with(".end"));
    }

    /// The elements of an array or array pattern by position; a hole (`[, b]`) is a null node.
    static std::vector<Node> positions(Node list) {
        std::vector<Node> out(1);
        for (Node ch : syntax::children(list)) {
            if (ch.is(",")) out.emplace_back();
            else if (ch.is_named() && !ch.is("comment")) out.back() = ch;
        }
        return out;
    }

    /// `[a, b] = await Promise.all([x(), y()])`: binds each plain name of the array pattern
    /// to what the array element at its position references. False for other shapes.
    template <typename Referenced>
    static bool bind_elements(Node pattern, Node value, std::unordered_map<std::string, std::vector<int>>& holds,
                              const Referenced& referenced) {
        if (!pattern.is("array_pattern")) return false;
        Node call = unwrap(value);
        if (!call.is("call_expression")) return false;
        std::string callee = path_text(call.field("function"));
        if (callee != "Promise.all" && callee != "Promise.allSettled") return false;
        Node array = unwrap(call.field("arguments").named_child(0));
        if (!array.is("array")) return false;
        std::vector<Node> names = positions(pattern), elements = positions(array);
        for (size_t i = 0; i < names.size() && i < elements.size(); ++i) {
            if (!names[i].is("identifier") || !elements[i]) continue;
            std::vector<int> held;
            referenced(elements[i], held);
            if (!held.empty()) holds[std::string(names[i].text())] = std::move(held);
        }
        return true;
    }

    void mark_result_uses(int fi, Node fn) {
        const auto& nodes = statements_[fi];
        // calls of this function, by span
        std::vector<int> mine;
        for (Node n : nodes)
            if (n.kind_id() == syntax::Kind::CallExpression)
                if (int ci = call_index(n); ci >= 0) mine.push_back(ci);
        std::unordered_map<std::string, std::vector<int>> holds;  // variable -> calls whose result it holds
        std::sort(mine.begin(), mine.end(), [&](int a, int b) { return facts_.calls[a].start < facts_.calls[b].start; });
        auto calls_in_span = [&](uint32_t b, uint32_t e, std::vector<int>& out) {
            auto it = std::lower_bound(mine.begin(), mine.end(), b,
                                       [&](int ci, uint32_t at) { return facts_.calls[ci].start < at; });
            for (; it != mine.end() && facts_.calls[*it].start < e; ++it) out.push_back(*it);
        };
        // The calls whose rows `expr` passes on: calls inside it, and variables holding results.
        auto referenced = [&](Node expr, std::vector<int>& out) {
            std::vector<std::string> names;
            // The names only matter as variables holding call results: walk the expression
            // only when its text mentions one of them.
            std::string_view text = expr.text();
            if (std::any_of(holds.begin(), holds.end(), [&](const auto& h) { return text.find(h.first) != std::string_view::npos; }))
                rows_used_in(expr, names);
            for (const auto& n : names)
                if (auto it = holds.find(n); it != holds.end()) out.insert(out.end(), it->second.begin(), it->second.end());
            calls_in_span(expr.start_byte(), expr.end_byte(), out);
        };
        for (Node n : nodes) {
            switch (n.kind_id()) {
                case syntax::Kind::VariableDeclarator: {
                    Node value = n.field("value");
                    if (!value) break;
                    // `const [a, b] = await Promise.all([x(), y()])`: each name holds its own element
                    if (bind_elements(n.field("name"), value, holds, referenced)) break;
                    std::vector<int> held;
                    referenced(value, held);
                    if (held.empty()) break;
                    // `const { data, error } = await supabase.from(t).select()`: `error` and
                    // `count` hold no rows, so returning them returns none
                    std::vector<std::string> names;
                    Node pattern = n.field("name");
                    if (pattern.is("object_pattern")) {
                        for (Node ch : syntax::named_children(pattern)) {
                            std::string_view key = ch.is("pair_pattern") ? ch.field("key").text()
                                                 : ch.is("shorthand_property_identifier_pattern") ? ch.text() : "";
                            if (key == "error" || key == "count" || key == "status" || key == "statusText") continue;
                            pattern_names(ch, names);
                        }
                    } else {
                        pattern_names(pattern, names);
                    }
                    for (auto& name : names) holds[name] = held;
                    break;
                }
                case syntax::Kind::ReturnStatement: {
                    Node value = n.named_child(0);
                    if (!value) break;
                    std::vector<int> held;
                    referenced(value, held);
                    for (int ci : held) facts_.calls[ci].returned = true;
                    break;
                }
                case syntax::Kind::CallExpression: {
                    int ci = call_index(n);
                    if (ci < 0 || !is_response_call(facts_.calls[ci])) break;
                    Node args = n.field("arguments");
                    if (!args) break;
                    std::vector<int> held;
                    referenced(args, held);
                    for (int h : held) facts_.calls[h].responded = true;
                    break;
                }
                default: break;
            }
        }
        // An arrow function's expression body is its return value.
        Node body = fn.field("body");
        if (body && !body.is("statement_block")) {
            std::vector<int> held;
            referenced(body, held);
            for (int ci : held) facts_.calls[ci].returned = true;
        }
    }

    // ---- sinks ----

    void sink(int fi, const char* kind, Node at, Node call, Origins o) {
        // The request URL as a whole (its origin, its path) is no attacker-chosen value.
        o.erase(std::remove_if(o.begin(), o.end(), [](const TaintOrigin& x) { return x.what == "the request URL"; }),
                o.end());
        if (o.empty()) return;
        TaintSink s;
        s.function = fi;
        s.kind = kind;
        s.range = at.range();
        s.start = at.start_byte();
        s.call = chain_top(call).start_byte();
        s.statement = normalize(call.text());
        s.origins = std::move(o);
        facts_.sinks.push_back(std::move(s));
    }

    /// The whole chain a call belongs to (`db.update(t).set(v).where(eq(t.id, id))` for the
    /// `.set(v)` and the `eq(...)` in it): one statement's query.
    static Node chain_top(Node call) {
        Node top = call;
        for (int i = 0; i < 16; ++i) {
            Node p = top.parent();
            if (!p) break;
            auto k = p.kind();
            if (k == "call_expression" || k == "member_expression" || k == "arguments" || k == "await_expression" ||
                k == "parenthesized_expression" || k == "non_null_expression" || k == "as_expression")
                top = p;
            else
                break;
        }
        return top;
    }

    /// A raw-SQL method called on a client made in another module (`pool.query(...)` with
    /// `pool` imported from `@/lib/db`), given text that reads as SQL.
    bool sql_method_anywhere(const SinkPattern& s, const std::string& loose, Node arg) const {
        return s.kind == "raw SQL" && s.call.form == CallPattern::Form::Method &&
               calls_pattern(s.call, loose, facts_.imports, true) && looks_like_sql(arg);
    }

    /// A Drizzle filter operator imported from drizzle-orm.
    bool is_drizzle_comparison(const std::string& name) const {
        const DatabaseKnowledge* db = k_.database("drizzle");
        if (!db || !db->filters.count(name)) return false;
        const Import* imp = import_of(name);
        return imp && imp->specifier.rfind("drizzle-orm", 0) == 0;
    }

    /// The values of a Prisma `where` object (and of the objects nested in it): each one a
    /// key the query is filtered by. A value of the client's choosing there can be an
    /// object (`{ not: "" }`) that Prisma reads as an operator.
    void key_values(int fi, const Env& env, Node where, Node call, int depth) {
        if (depth > 4) return;
        for (Node p : syntax::named_children(where)) {
            if (!p.is("pair") && !p.is("shorthand_property_identifier")) continue;
            Node v = p.is("pair") ? unwrap(p.field("value")) : p;
            if (v.is("object")) key_values(fi, env, v, call, depth + 1);
            else sink(fi, "database key", v, call, origins(env, v));
        }
    }

    /// A sink per property of an object literal that holds data of some origin (the rule
    /// shows the first one a request really reaches, once per call), or the value itself.
    void sink_value(int fi, const Env& env, const char* kind, Node value, Node call) {
        value = unwrap(value);
        if (!value) return;
        if (value.is("object")) {
            for (Node p : syntax::named_children(value)) {
                Node v = p.is("pair") ? p.field("value") : p.is("spread_element") ? p.named_child(0) : p;
                sink(fi, kind, p, call, origins(env, v));
            }
            return;
        }
        sink(fi, kind, value, call, origins(env, value));
    }

    /// A language model call's options: what shapes the call (the model, the token budget,
    /// the tools, a whole message list with its roles) is a sink; the free text of a
    /// prompt or a message's content is what a model is for.
    void sink_model_options(int fi, const Env& env, const char* kind, Node value, Node call, int depth = 0) {
        value = unwrap(value);
        if (!value || depth > 4) return;
        if (value.is("object") || value.is("array")) {
            for (Node p : syntax::named_children(value)) {
                if (p.is("pair")) {
                    std::string key = pair_key_of(p);
                    if (key == "prompt" || key == "content" || key == "text" || key == "system" || key == "input")
                        continue;
                    sink_model_options(fi, env, kind, p.field("value"), call, depth + 1);
                } else if (p.is("spread_element")) {
                    sink(fi, kind, p, call, origins(env, p.named_child(0)));
                } else if (value.is("array") || p.is("shorthand_property_identifier")) {
                    if (p.is("shorthand_property_identifier") &&
                        (p.text() == "prompt" || p.text() == "content" || p.text() == "text" || p.text() == "system" ||
                         p.text() == "input"))
                        continue;
                    sink_model_options(fi, env, kind, p, call, depth + 1);
                }
            }
            return;
        }
        sink(fi, kind, value, call, origins(env, value));
    }

    bool is_server_object(const Env& env, std::string_view name) const {
        for (const Env* e = &env; e; e = e->parent)
            if (e->objects.count(std::string(name))) return true;
        return false;
    }

    /// A URL whose origin the caller cannot change: a template or concatenation whose text
    /// before the first request-derived part is an absolute origin and a path
    /// (`https://api.x.com/...`), a same-site path (`/dashboard...`), a constant followed by
    /// a path (`${BASE_URL}/...`), or anything already in the query string (`...?q=${x}`).
    bool fixed_origin(const Env& env, Node url, int depth = 0) const {
        url = unwrap(url);
        if (!url || depth > 4) return false;
        // `cond ? a : b`: both arms fixed
        if (url.is("ternary_expression"))
            return fixed_origin(env, url.field("consequence"), depth + 1) &&
                   fixed_origin(env, url.field("alternative"), depth + 1);
        // a name bound once to a URL built in the function: what it was built from
        if (url.is("identifier")) {
            std::string name(url.text());
            for (const Env* e = &env; e; e = e->parent)
                if (auto it = e->pending_by_name.find(name); it != e->pending_by_name.end()) {
                    const Pending& p = e->pending[it->second];
                    return p.pattern.is("identifier") && fixed_origin(*e, p.value, depth + 1);
                }
            return false;
        }
        // `new URL(path, base)`: a path of this origin (one leading slash) on a fixed base
        if (url.is("new_expression") && path_text(url.field("constructor")) == "URL") {
            std::vector<Node> args = syntax::named_children(url.field("arguments"));
            if (args.size() < 2 || !origins(env, args[1]).empty()) return false;
            Node path = unwrap(args[0]);
            if (path.is("string")) return string_value(path).starts_with("/") && !string_value(path).starts_with("//");
            return (path.is("template_string") || path.is("binary_expression")) && fixed_origin(env, path);
        }
        std::string prefix;
        bool tainted_part = false;
        auto add_part = [&](Node part) {
            if (tainted_part) return;
            if (part.is("string_fragment") || part.is("escape_sequence")) {
                prefix += std::string(part.text());
            } else if (part.is("template_substitution")) {
                if (origins(env, part.named_child(0)).empty()) prefix += "C";
                else tainted_part = true;
            }
        };
        if (url.is("template_string")) {
            for (Node ch : syntax::named_children(url)) add_part(ch);
        } else if (url.is("binary_expression") && url.field("operator").text() == "+") {
            Node left = unwrap(url.field("left"));
            if (!left.is("string") && !left.is("template_string")) return false;
            prefix = left.is("string") ? string_value(left) : std::string();
            if (left.is("template_string"))
                for (Node ch : syntax::named_children(left)) add_part(ch);
        } else {
            return false;
        }
        if (prefix.find('?') != std::string::npos) return true;
        if (prefix.size() >= 2 && prefix[0] == '/' && prefix[1] != '/' && prefix[1] != '\\') return true;
        if (prefix.size() >= 2 && prefix[0] == 'C' && prefix[1] == '/') return true;
        for (const char* scheme : {"https://", "http://"}) {
            if (prefix.rfind(scheme, 0) != 0) continue;
            size_t host_end = prefix.find('/', std::string_view(scheme).size());
            return host_end != std::string::npos && host_end > std::string_view(scheme).size();
        }
        return false;
    }

    bool may_call_project(Node callee, const std::string& loose) const {
        if (callee.kind_id() == syntax::Kind::Identifier) return true;
        if (loose.empty()) return false;
        size_t dot = loose.find('.');
        if (dot == std::string::npos || loose.find('.', dot + 1) != std::string::npos) return false;
        std::string root = loose.substr(0, dot);
        if (facts_.binding(root)) return true;  // `service.method()` on a local object
        const Import* imp = import_of(root);
        if (!imp) return false;
        const std::string& spec = imp->specifier;
        return !spec.empty() && (spec[0] == '.' || spec[0] == '@' || spec[0] == '~' || spec[0] == '#');
    }

    void check_call(int fi, const Env& env, Node call) {
        Node callee = unwrap(call.field("function"));
        Node args = call.field("arguments");
        if (args.is("template_string")) return;  // a tagged template (`sql\`...\``, `$queryRaw\`...\``) is parameterised
        std::vector<Node> argv = args ? syntax::named_children(args) : std::vector<Node>{};
        int self = call_index(call);
        std::string loose = self >= 0 ? facts_.calls[self].loose : loose_path(callee);
        std::string method = callee.is("member_expression") ? std::string(callee.field("property").text())
                                                             : std::string(callee.text());
        // database operations recognised by the fact extractor
        if (op_at_.empty() && !facts_.db_ops.empty())
            for (const auto& d : facts_.db_ops)
                if (d.style == "prisma") op_at_[d.start] = &d;
        const DbOp* op = nullptr;
        if (auto it = op_at_.find(call.start_byte()); it != op_at_.end() && it->second->function == fi) op = it->second;
        if (op && !argv.empty()) {
            Node arg = unwrap(argv.front());
            if (arg.is("object")) {
                if (Node data = object_value(arg, "data")) sink_value(fi, env, "database write", data, call);
                if (Node where = unwrap(object_value(arg, "where")); where && where.is("object"))
                    key_values(fi, env, where, call, 0);
                if (Node where = unwrap(object_value(arg, "where"));
                    where && !where.is("object") &&
                    !((where.is("identifier") || where.is("shorthand_property_identifier")) && is_server_object(env, where.text())))
                    sink(fi, "database filter", where, call, origins(env, where));
                if (Node take = object_value(arg, "take")) sink(fi, "query limit", take, call, origins(env, take));
            } else if (op->kind != DbOp::Kind::Raw) {
                sink(fi, op->kind == DbOp::Kind::Write ? "database write" : "database filter", arg, call, origins(env, arg));
            }
        }
        if (argv.empty()) return;
        Node a0 = argv.front();
        // Drizzle comparisons: `eq(table.id, id)`, `inArray(table.id, ids)`
        if (argv.size() >= 2 && callee.is("identifier") && is_drizzle_comparison(method))
            sink(fi, "database key", argv[1], call, origins(env, argv[1]));
        if ((method == "values" || method == "set") && (loose.find(".insert") != std::string::npos || loose.find(".update") != std::string::npos))
            sink_value(fi, env, "database write", a0, call);
        if ((method == "insert" || method == "update" || method == "upsert") && loose.find(".from") != std::string::npos)
            sink_value(fi, env, "database write", a0, call);
        // Supabase filters: `.from("profiles").select().eq("username", username)`
        if (argv.size() >= 2 && callee.is("member_expression") && loose.find(".from") != std::string::npos)
            if (const DatabaseKnowledge* supabase = k_.database("supabase"); supabase && supabase->filters.count(method))
                sink(fi, "database key", argv[1], call, origins(env, argv[1]));
        if ((method == "limit" || method == "range" || method == "offset") && callee.is("member_expression")) {
            // a page size is a number: `ratelimit(...).limit("key")` counts requests instead
            std::string lower_loose = lower(loose);
            bool limiter = lower_loose.find("ratelimit") != std::string::npos || lower_loose.find("limiter") != std::string::npos;
            for (Node a : argv) {
                Node u = unwrap(a);
                if (limiter || u.is("string") || u.is("template_string")) continue;
                sink(fi, "query limit", a, call, origins(env, a));
            }
        }
        if ((loose == "fetch" || loose == "globalThis.fetch") && !fixed_origin(env, a0))
            sink(fi, "outbound request URL", a0, call, origins(env, a0));
        if (loose == "redirect" || loose == "permanentRedirect" || loose.ends_with(".redirect")) {
            Node target = argv.size() >= 2 && unwrap(argv.front()).is("number") ? argv[1] : a0;
            if (!fixed_origin(env, target)) sink(fi, "redirect", target, call, origins(env, target));
        }
        static const char* fs_calls[] = {"readFile", "readFileSync", "writeFile", "writeFileSync", "createReadStream",
                                         "createWriteStream", "appendFile", "appendFileSync", "unlink", "unlinkSync",
                                         "rm", "rmSync", "readdir", "readdirSync", "copyFile", "rename", "open"};
        for (const char* f : fs_calls) {
            if (method != f) continue;
            std::string root = loose.substr(0, loose.find('.'));
            const Import* imp = import_of(root);
            bool from_fs = imp && (imp->specifier == "fs" || imp->specifier == "fs/promises" || imp->specifier == "node:fs" ||
                                   imp->specifier == "node:fs/promises");
            if (from_fs || root == "fs" || root == "fsp") sink(fi, "file system path", a0, call, origins(env, a0));
        }
        // Library sinks from knowledge: payment calls, storage keys...
        for (const auto& lib : k_.libraries)
            for (const auto& s : lib.sinks)
                if (s.arg < static_cast<int>(argv.size()) &&
                    (calls_pattern(s.call, loose, facts_.imports) || sql_method_anywhere(s, loose, argv[s.arg]))) {
                    if (s.kind == "language model call") sink_model_options(fi, env, s.kind.c_str(), argv[s.arg], call);
                    else sink_value(fi, env, s.kind.c_str(), argv[s.arg], call);
                }
        static const char* exec_calls[] = {"exec", "execSync", "spawn", "spawnSync", "execFile", "execFileSync"};
        for (const char* e : exec_calls) {
            if (method != e) continue;
            std::string root = loose.substr(0, loose.find('.'));
            const Import* imp = import_of(root);
            if (imp && (imp->specifier == "child_process" || imp->specifier == "node:child_process"))
                sink(fi, "shell command", a0, call, origins(env, a0));
        }
        // Hand-offs to other functions: which arguments carry request data or parameters.
        // Only calls that can reach the project's own functions: a plain name, or a member
        // of a module-level name of the project (an import from a relative or aliased path,
        // a local binding); not library objects, built-ins or values.
        if (!may_call_project(callee, loose)) return;
        CallTaint ct;
        bool any = false;
        for (Node a : argv) {
            CallTaint::Arg arg;
            Node u = unwrap(a);
            arg.whole = origins(env, u);
            if (u.is("object")) {
                arg.object = true;
                for (Node p : syntax::named_children(u)) {
                    std::string key = p.is("spread_element") ? std::string() : pair_key(p);
                    if (key.empty() && !p.is("spread_element")) continue;
                    Node v = p.is("pair") ? p.field("value") : p.is("spread_element") ? p.named_child(0) : p;
                    Origins o = origins(env, v);
                    if (!o.empty()) arg.fields.emplace_back(key, std::move(o));
                }
            }
            any = any || !arg.whole.empty();
            ct.args.push_back(std::move(arg));
        }
        if (!any) return;
        int ci = call_index(call);
        if (ci < 0) return;
        ct.call = ci;
        facts_.call_taints.push_back(std::move(ct));
    }
};

}  // namespace

void extract_taint(const std::vector<Node>& function_nodes, const std::vector<std::vector<Node>>& statements,
                   const Knowledge& knowledge, FileFacts& facts) {
    TaintPass(function_nodes, statements, knowledge, facts).run();
}

}  // namespace nextguard::analysis
