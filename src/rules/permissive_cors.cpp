#include "analysis/local_check.hpp"
#include "analysis/node_util.hpp"
#include "rules/rule.hpp"

namespace nextguard::rules {

namespace {

using analysis::LocalContext;
using syntax::Kind;
using syntax::Node;

constexpr std::string_view kId = "permissive-cors";

bool is_allow_origin(std::string_view header) { return analysis::lower(header) == "access-control-allow-origin"; }

/// Where the headers of one response are decided: the enclosing function, else the module.
Node scope_of(Node n) {
    if (Node f = analysis::enclosing_function(n)) return f;
    Node last = n;
    for (Node p = n.parent(); p; p = p.parent()) last = p;
    return last;
}

/// `Access-Control-Allow-Credentials` set to true in `text`.
bool says_credentials(std::string_view raw) {
    std::string text = analysis::lower(raw);
    constexpr std::string_view header = "access-control-allow-credentials";
    for (size_t at = text.find(header); at != std::string::npos; at = text.find(header, at + 1)) {
        std::string_view after = std::string_view(text).substr(at + header.size(), 60);
        if (after.find("true") != std::string_view::npos) return true;
    }
    return false;
}

/// Credentials allowed for the response `at` sets a header of: in `scope` when it is an
/// object of headers or a next.config list; in a function, by a statement of a block
/// around `at` (not one of another branch: `if (trusted) {...credentials} else {*}`).
bool allows_credentials(Node at, Node scope) {
    if (!analysis::is_function_node(scope) && !scope.is("program")) return says_credentials(scope.text());
    for (Node p = at.parent(); p; p = p.parent()) {
        if (p.is("statement_block") || p.is("program"))
            for (Node st : syntax::named_children(p))
                if (!st.is("if_statement") && !st.is("try_statement") && !st.is("switch_statement") &&
                    says_credentials(st.text()))
                    return true;
        if (p.id() == scope.id()) break;
    }
    return false;
}

/// The request's `Origin` header: `req.headers.origin`, `headers.get("origin")`,
/// `headers["origin"]`, a name bound to one, or a fallback chain holding one
/// (`req.headers.origin || "*"`). A conditional (`ok ? origin : "null"`) is a check, not a
/// reflection. `name` receives the name the origin is held in, when there is one.
bool reflects_origin(Node v, std::string& name, int depth = 0) {
    v = analysis::unwrap(v);
    if (!v || depth > 4) return false;
    if (v.is("binary_expression")) {
        auto op = v.field("operator").text();
        if (op != "||" && op != "??") return false;
        return reflects_origin(v.field("left"), name, depth + 1) || reflects_origin(v.field("right"), name, depth + 1);
    }
    if (v.is("identifier")) {
        Node d = analysis::declared_value(v, v.text());
        if (!d || !reflects_origin(d, name, depth + 1)) return false;
        name = std::string(v.text());
        return true;
    }
    std::string t = analysis::lower(analysis::normalize(v.text()));
    if (v.is("member_expression")) return t.ends_with("headers.origin") || t.ends_with("headers?.origin");
    if (v.is("subscript_expression"))
        return t.find("headers") != std::string::npos && analysis::string_value(analysis::unwrap(v.field("index"))) == "origin";
    if (v.is("call_expression")) {
        std::string callee = analysis::lower(analysis::loose_path(v.field("function")));
        Node args = v.field("arguments");
        Node first = args && args.named_child_count() > 0 ? analysis::unwrap(args.named_child(0)) : Node();
        return callee.ends_with("headers.get") && first && analysis::lower(analysis::string_value(first)) == "origin";
    }
    return false;
}

/// The reflection at `at` is decided by a check of the origin: an `if` or conditional
/// around it whose condition reads it, or an allowlist test earlier in the scope
/// (`allowed.includes(origin)`, `origin.endsWith(".acme.com")`, `origin === x`).
bool checked(Node at, Node scope, const std::string& name) {
    for (Node p = at.parent(); p && p.id() != scope.id(); p = p.parent()) {
        Node cond = p.is("if_statement") ? p.field("condition") : p.is("ternary_expression") ? p.field("condition") : Node();
        if (cond && analysis::lower(cond.text()).find(name.empty() ? "origin" : analysis::lower(name)) != std::string::npos)
            return true;
    }
    if (name.empty()) return false;
    std::string_view before = scope.text().substr(0, at.start_byte() - scope.start_byte());
    for (const std::string& pattern : {"includes(" + name + ")", "has(" + name + ")", "test(" + name + ")",
                                       name + ".endsWith(", name + ".startsWith(", "=== " + name, name + " ===",
                                       "Allowed(" + name})
        if (before.find(pattern) != std::string_view::npos) return true;
    return false;
}

void judge(LocalContext& cx, Node at, Node value, Node scope) {
    if (!allows_credentials(at, scope)) return;
    Node v = analysis::unwrap(value);
    if (v.is("string") && analysis::string_value(v) == "*") {
        cx.report(kId, at,
                  "`Access-Control-Allow-Origin: *` is sent with `Access-Control-Allow-Credentials: true`: browsers refuse "
                  "the pair, and the intent, any site reading responses made with the user's cookies, is the hole. Name "
                  "the origins that may, and send credentials to those only");
        return;
    }
    std::string name;
    if (!reflects_origin(v, name) || checked(at, scope_of(at), name)) return;
    cx.report(kId, at,
              "the request's `Origin` is echoed in `Access-Control-Allow-Origin` with credentials allowed, without an "
              "allowlist check: any site can send requests with the user's cookies and read the answers. Echo it only "
              "when it is one of yours (`allowedOrigins.includes(origin)`)");
}

/// permissive-cors: any origin (or the request's own, echoed) allowed together with
/// credentials.
class PermissiveCors final : public LocalRule {
public:
    PermissiveCors() : LocalRule(kId) {}
    std::vector<Kind> kinds() const override { return {Kind::CallExpression, Kind::Pair, Kind::AssignmentExpression}; }

    void visit(Node n, LocalContext& cx) const override {
        switch (n.kind_id()) {
            case Kind::CallExpression: return on_call(n, cx);
            case Kind::Pair: return on_pair(n, cx);
            case Kind::AssignmentExpression: return on_assignment(n, cx);
            default: return;
        }
    }

private:
    /// `res.setHeader("Access-Control-Allow-Origin", v)`, `headers.set(...)`, `.append(...)`
    static void on_call(Node n, LocalContext& cx) {
        Node callee = analysis::unwrap(n.field("function"));
        if (!callee.is("member_expression")) return;
        auto method = callee.field("property").text();
        if (method != "setHeader" && method != "set" && method != "append" && method != "header") return;
        Node args = n.field("arguments");
        if (!args || args.named_child_count() < 2) return;
        Node key = analysis::unwrap(args.named_child(0));
        if (!key.is("string") || !is_allow_origin(analysis::string_value(key)) || is_tooling_file(cx.file())) return;
        judge(cx, n, args.named_child(1), scope_of(n));
    }

    /// `{ "Access-Control-Allow-Origin": v }`, and next.config's `{ key: "...", value: v }`
    /// (the credentials then being another entry of the same array).
    static void on_pair(Node n, LocalContext& cx) {
        Node key = n.field("key");
        if (!key) return;
        if (key.is("string") && is_allow_origin(analysis::string_value(key))) {
            // an object of headers: the credentials are another key of it
            if (!is_tooling_file(cx.file())) judge(cx, n, n.field("value"), n.parent());
            return;
        }
        if (key.text() != "key") return;
        Node v = analysis::unwrap(n.field("value"));
        if (!v.is("string") || !is_allow_origin(analysis::string_value(v))) return;
        Node object = n.parent();
        Node value = analysis::object_value(object, "value");
        Node list = object.parent();
        if (!value || !list || !list.is("array")) return;
        judge(cx, n, value, list);
    }

    /// `headers["Access-Control-Allow-Origin"] = origin`
    static void on_assignment(Node n, LocalContext& cx) {
        Node left = analysis::unwrap(n.field("left"));
        if (!left.is("subscript_expression")) return;
        Node index = analysis::unwrap(left.field("index"));
        if (!index.is("string") || !is_allow_origin(analysis::string_value(index)) || is_tooling_file(cx.file())) return;
        judge(cx, n, n.field("right"), scope_of(n));
    }
};

}  // namespace

const Rule& permissive_cors() { return the_rule<PermissiveCors>(); }
const analysis::LocalCheck& permissive_cors_check() { return the_rule<PermissiveCors>(); }

}  // namespace nextguard::rules
