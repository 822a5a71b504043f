#include <cstdlib>

#include <set>

#include "analysis/auth.hpp"
#include "analysis/local_check.hpp"
#include "analysis/node_util.hpp"
#include "rules/common.hpp"

namespace nextguard::rules {

namespace {

using analysis::LocalContext;
using syntax::Kind;
using syntax::Node;

constexpr std::string_view kId = "error-leak";

/// The `catch (e)` around `n` in the same function, and its parameter's name; a null node
/// when there is none.
Node catch_around(Node n, std::string& param) {
    for (Node p = n.parent(); p; p = p.parent()) {
        if (analysis::is_function_node(p)) return {};
        if (p.is("catch_clause")) {
            Node par = p.field("parameter");
            if (!par || !par.is("identifier")) return {};
            param = std::string(par.text());
            return p;
        }
    }
    return {};
}

/// What of the caught error `value` carries: "stack", "message" (also `String(e)`,
/// `${e}`, `e.toString()`, the error object itself), or "".
std::string carries(Node value, const std::string& param) {
    std::string found;
    analysis::visit_nodes(value, 300, [&](Node x) {
        if (found == "stack") return false;
        if (x.is("member_expression")) {
            Node obj = analysis::unwrap(x.field("object"));
            if (obj.is("identifier") && obj.text() == param) {
                auto prop = x.field("property").text();
                if (prop == "stack") found = "stack";
                else if (prop == "message" || prop == "cause" || prop == "toString") found = "message";
                return false;
            }
            return true;
        }
        if (x.is("ternary_expression")) {
            // `isDev ? e.message : "Something went wrong"`: decided by the environment
            std::string cond = analysis::lower(x.field("condition").text());
            if (cond.find("node_env") != std::string::npos || cond.find("dev") != std::string::npos) return false;
            return true;
        }
        if (x.is("call_expression")) {
            std::string callee = analysis::loose_path(x.field("function"));
            // `getErrorMessage(e)`-style helpers decide for themselves; `String(e)` does not
            if (callee != "String" && callee != "JSON.stringify") return callee.empty();
            Node args = x.field("arguments");
            Node first = args && args.named_child_count() > 0 ? analysis::unwrap(args.named_child(0)) : Node();
            if (first.is("identifier") && first.text() == param) {
                if (found.empty()) found = "message";
                return false;
            }
            return true;
        }
        if ((x.is("identifier") || x.is("shorthand_property_identifier")) && x.text() == param) {
            Node parent = x.parent();
            // the object itself as a value: `{ error: e }`, `{ error }`, `${e}`, `[e]`
            if (parent.is("pair") || parent.is("object") || parent.is("template_substitution") || parent.is("array") ||
                parent.is("arguments"))
                if (found.empty()) found = "message";
            return false;
        }
        return !x.is("string");
    });
    return found;
}

/// The catch picks which errors it answers with (`if (e instanceof ZodError)`): their
/// messages are written for the client.
bool narrowed(Node at, Node catch_clause, const std::string& param) {
    for (Node p = at.parent(); p && p.id() != catch_clause.id(); p = p.parent()) {
        Node cond = p.is("if_statement") || p.is("ternary_expression") ? p.field("condition") : Node();
        if (!cond) continue;
        std::string t(cond.text());
        if (t.find("instanceof") != std::string::npos || t.find(param + ".code") != std::string::npos ||
            t.find(param + ".name") != std::string::npos || t.find(param + ".status") != std::string::npos)
            return true;
    }
    return false;
}

/// A numeric HTTP status from `{ status: 500 }` or `res.status(500)`; 0 when not a literal
/// (or absent).
int status_of(Node n) {
    Node u = analysis::unwrap(n);
    if (!u || !u.is("number")) return 0;
    return std::atoi(std::string(u.text()).c_str());
}

void report(LocalContext& cx, Node at, const std::string& what, std::string_view where) {
    cx.report(kId, at,
              std::string(what == "stack" ? "the caught error's stack" : "the caught error's message") + " is sent " +
                  std::string(where) +
                  ": database, provider and file-system errors name tables, queries, hosts and paths. Log it on the "
                  "server and answer a generic message (with an id to find the log)");
}

/// error-leak: a caught error's message, stack or the error itself sent to the client.
class ErrorLeak final : public LocalRule {
public:
    ErrorLeak() : LocalRule(kId) {}
    std::vector<Kind> kinds() const override { return {Kind::CallExpression, Kind::NewExpression, Kind::ReturnStatement}; }

    void visit(Node n, LocalContext& cx) const override {
        if (!candidate(n)) return;  // before walking up to a catch: most nodes are not
        std::string param;
        Node c = catch_around(n, param);
        if (!c || is_tooling_file(cx.file())) return;
        switch (n.kind_id()) {
            case Kind::CallExpression: return on_call(n, c, param, cx);
            case Kind::NewExpression: return on_new(n, c, param, cx);
            case Kind::ReturnStatement: return on_return(n, c, param, cx);
            default: return;
        }
    }

    /// Code that only the app's own machines reach (cron jobs and webhooks by URL, callers
    /// holding a shared secret or a signature) answers an operator, not a client.
    void check(const analysis::Project& project, std::vector<Finding>& out) const override {
        const analysis::AuthModel& auth = project.auth();
        std::set<analysis::FunctionRef> machine, client;
        for (const auto& entry : project.entry_points()) {
            if (!entry.reported()) continue;
            auto how = auth.entry_auth(entry).check.how;
            bool by_machine = machine_caller(entry.url) || how == analysis::AuthCheck::How::Secret ||
                              how == analysis::AuthCheck::How::Signature;
            for (const auto& f : project.reachable(entry)) (by_machine ? machine : client).insert(f);
        }
        report_local_findings(project, kId, out, [&](analysis::FunctionRef f) {
            return f.function < 0 || !machine.count(f) || client.count(f);
        });
    }

private:
    /// A node that may answer the client: a `json`/`send` call, a `new Response`/
    /// `NextResponse`/`TRPCError`, a `return` of an object.
    static bool candidate(Node n) {
        switch (n.kind_id()) {
            case Kind::CallExpression: {
                std::string_view callee = n.field("function").text();
                return callee.ends_with("json") || callee.ends_with("send");
            }
            case Kind::NewExpression: {
                std::string_view ctor = n.field("constructor").text();
                return ctor == "Response" || ctor == "NextResponse" || ctor == "TRPCError";
            }
            case Kind::ReturnStatement: {
                Node v = n.named_child_count() > 0 ? analysis::unwrap(n.named_child(0)) : Node();
                return v && v.is("object");
            }
            default: return false;
        }
    }

    static Node arg(Node call, uint32_t i) {
        Node args = call.field("arguments");
        return args && args.named_child_count() > i ? args.named_child(i) : Node();
    }

    /// `NextResponse.json(body, init)`, `Response.json(...)`, `res.status(500).json(body)`.
    static void on_call(Node n, Node c, const std::string& param, LocalContext& cx) {
        Node callee = analysis::unwrap(n.field("function"));
        if (!callee.is("member_expression")) return;
        auto method = callee.field("property").text();
        std::string path = analysis::loose_path(callee);
        if ((path == "NextResponse.json" || path == "Response.json") && arg(n, 0)) {
            Node init = arg(n, 1);
            int status = init ? status_of(analysis::object_value(analysis::unwrap(init), "status")) : 0;
            return judge(n, c, param, arg(n, 0), status, cx, "in the response");
        }
        if ((method == "json" || method == "send") && arg(n, 0)) {
            // `res.status(500).json(body)`
            Node recv = analysis::unwrap(callee.field("object"));
            if (!recv.is("call_expression")) return;
            Node inner = analysis::unwrap(recv.field("function"));
            if (!inner.is("member_expression") || inner.field("property").text() != "status") return;
            int status = status_of(arg(recv, 0));
            if (status < 500) return;
            return judge(n, c, param, arg(n, 0), status, cx, "in the response");
        }
    }

    /// `new Response(body, init)`, `new NextResponse(...)`, `new TRPCError({ code, message })`.
    static void on_new(Node n, Node c, const std::string& param, LocalContext& cx) {
        std::string ctor = analysis::path_text(n.field("constructor"));
        if (ctor == "Response" || ctor == "NextResponse") {
            if (!arg(n, 0)) return;
            Node init = arg(n, 1);
            int status = init ? status_of(analysis::object_value(analysis::unwrap(init), "status")) : 0;
            return judge(n, c, param, arg(n, 0), status, cx, "in the response");
        }
        if (ctor == "TRPCError") {
            Node opts = analysis::unwrap(arg(n, 0));
            if (!opts.is("object")) return;
            Node code = analysis::unwrap(analysis::object_value(opts, "code"));
            if (analysis::string_value(code) != "INTERNAL_SERVER_ERROR") return;  // a chosen, client-facing error
            Node message = analysis::object_value(opts, "message");
            if (!message) return;
            return judge(n, c, param, message, 500, cx, "to the client in the tRPC error");
        }
    }

    /// `return { error: e.message }` from a Server Action.
    static void on_return(Node n, Node c, const std::string& param, LocalContext& cx) {
        Node value = analysis::unwrap(n.named_child(0));
        if (!value || !value.is("object") || !cx.use_server_module()) return;
        judge(n, c, param, value, 0, cx, "to the browser in the Server Action's result");
    }

    /// A body carrying the error, answered with `status` (0: not given, or not a literal);
    /// a 4xx answer passes the message on on purpose (a parse error), its stack never.
    static void judge(Node at, Node c, const std::string& param, Node body, int status, LocalContext& cx,
                      std::string_view where) {
        std::string what = carries(body, param);
        if (what.empty()) return;
        if (what != "stack" && ((status > 0 && status < 500) || narrowed(at, c, param))) return;
        report(cx, at, what, where);
    }
};

}  // namespace

const Rule& error_leak() { return the_rule<ErrorLeak>(); }
const analysis::LocalCheck& error_leak_check() { return the_rule<ErrorLeak>(); }

}  // namespace nextguard::rules
