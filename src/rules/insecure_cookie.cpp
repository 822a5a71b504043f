#include <algorithm>
#include <cctype>

#include "analysis/local_check.hpp"
#include "analysis/node_util.hpp"
#include "rules/rule.hpp"

namespace nextguard::rules {

namespace {

using analysis::LocalContext;
using syntax::Kind;
using syntax::Node;

constexpr std::string_view kId = "insecure-cookie";

/// The words of a name: `__Secure-next-auth.session-token` -> secure, next, auth, session,
/// token; `accessToken` -> access, token (lower case).
std::vector<std::string> words(std::string_view s) {
    std::vector<std::string> out;
    std::string cur;
    for (size_t i = 0; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        bool boundary = !std::isalnum(c) ||
                        (std::isupper(c) && i > 0 && std::islower(static_cast<unsigned char>(s[i - 1])));
        if (boundary && !cur.empty()) out.push_back(std::move(cur)), cur.clear();
        if (std::isalnum(c)) cur += static_cast<char>(std::tolower(c));
    }
    if (!cur.empty()) out.push_back(std::move(cur));
    return out;
}

/// A cookie name that says it holds a session, a token or a credential. CSRF cookies are
/// left out: the double-submit pattern has scripts read them.
bool sensitive_name(std::string_view name) {
    auto ws = words(name);
    for (const auto& w : ws)
        if (w == "csrf" || w == "xsrf") return false;
    for (const auto& w : ws) {
        for (std::string_view part : {"session", "token", "jwt", "password", "secret", "credential"})
            if (w.find(part) != std::string::npos) return true;
        for (std::string_view whole : {"sess", "sid", "auth", "oauth", "access", "refresh", "login", "remember", "otp",
                                       "apikey", "verifier", "pkce"})
            if (w == whole) return true;
    }
    return false;
}

/// A value computed from a session, a token or a secret (`encryptedSession`,
/// `await signToken(payload)`, `session.token`): a constant never is.
bool sensitive_value(Node value) {
    Node v = analysis::unwrap(value);
    if (!v || v.is("string") || v.is("number") || v.is("true") || v.is("false")) return false;
    std::vector<std::string> ids;
    analysis::visit_nodes(v, 100, [&](Node x) {
        if (x.is("identifier") || x.is("property_identifier") || x.is("shorthand_property_identifier"))
            ids.emplace_back(x.text());
        return !x.is("string");
    });
    for (const auto& id : ids) {
        if (sensitive_name(id)) return true;
        for (const auto& w : words(id))
            if (w == "sign" || w == "signed" || w == "encrypt" || w == "encrypted" || w == "seal" || w == "sealed")
                return true;
    }
    return false;
}

/// The text a cookie name is given by: a literal, a template (`pm_ls_${id}`), a constant
/// (`SESSION_COOKIE`, with the literal it holds when declared in the file).
std::string name_text(Node name) {
    Node n = analysis::unwrap(name);
    if (!n) return {};
    if (n.is("string")) return analysis::string_value(n);
    std::string text(n.text());
    if (n.is("identifier"))
        if (Node v = analysis::unwrap(analysis::declared_value(n, n.text())); v && v.is("string"))
            text += " " + analysis::string_value(v);
    return text;
}

bool is_false(Node v) { return analysis::unwrap(v).is("false"); }

/// `maxAge: 0`, `expires: new Date(0)`: a cookie being removed.
bool expires_now(Node v) {
    Node u = analysis::unwrap(v);
    std::string t = analysis::lower(analysis::normalize(u.text()));
    return t == "0" || t == "-1" || t == "new date(0)" || t == "0n";
}

/// What the options of a cookie say, as far as the file shows.
struct Attributes {
    bool known = true;   ///< false: options the file does not show (a call, an import)
    bool partial = false;  ///< a spread that could not be read: absent keys may be set
    Node http_only, secure, same_site;
    bool removed = false;
};

void read_options(Node options, Attributes& a, int depth = 0) {
    Node o = analysis::unwrap(options);
    if (!o) return;
    if (o.is("identifier") && depth < 4) {
        Node v = analysis::declared_value(o, o.text());
        if (!v) {
            a.known = depth > 0, a.partial = true;
            return;
        }
        return read_options(v, a, depth + 1);
    }
    if (!o.is("object")) {
        a.known = depth > 0, a.partial = true;
        return;
    }
    for (Node p : syntax::named_children(o)) {
        if (p.is("spread_element")) {
            Attributes inner;
            read_options(p.named_child(0), inner, depth + 1);
            if (!inner.known || inner.partial) a.partial = true;
            if (inner.http_only) a.http_only = inner.http_only;
            if (inner.secure) a.secure = inner.secure;
            if (inner.same_site) a.same_site = inner.same_site;
            a.removed = a.removed || inner.removed;
            continue;
        }
        std::string key = analysis::lower(analysis::pair_key(p));
        Node value = p.is("pair") ? p.field("value") : p;
        if (key == "httponly") a.http_only = value;
        else if (key == "secure") a.secure = value;
        else if (key == "samesite") a.same_site = value;
        else if ((key == "maxage" || key == "expires") && p.is("pair") && expires_now(value)) a.removed = true;
    }
}

/// "httpOnly", "secure" and "sameSite" problems of a cookie, in that order.
std::vector<std::string> problems(const Attributes& a) {
    std::vector<std::string> out;
    if (a.http_only ? is_false(a.http_only) : !a.partial) out.push_back("httpOnly");
    bool none = a.same_site && analysis::lower(analysis::string_value(analysis::unwrap(a.same_site))) == "none";
    if (a.secure ? is_false(a.secure) : (!a.partial || none)) out.push_back("secure");
    if (!a.same_site && !a.partial) out.push_back("sameSite");
    return out;
}

std::string listed(const std::vector<std::string>& xs) {
    std::string s;
    for (size_t i = 0; i < xs.size(); ++i) s += (i == 0 ? "" : i + 1 == xs.size() ? " and " : ", ") + xs[i];
    return s;
}

void report(LocalContext& cx, Node at, const std::string& cookie, const std::vector<std::string>& missing) {
    std::vector<std::string> why, fix;
    for (const auto& m : missing) {
        if (m == "httpOnly") why.push_back("any script on the page (one XSS) can read it"), fix.push_back("`httpOnly: true`");
        if (m == "secure")
            why.push_back("it also travels over plain HTTP"),
                fix.push_back("`secure: true` (or `process.env.NODE_ENV === \"production\"`)");
        if (m == "sameSite")
            why.push_back("other sites' requests carry it where the browser does not default to Lax (CSRF)"),
                fix.push_back("`sameSite: \"lax\"`");
    }
    cx.report(kId, at, "the " + cookie + " cookie, which holds a session or token, is set without " + listed(missing) +
                           ": " + listed(why) + ". Set " + listed(fix));
}

/// The Next.js cookie store: `cookies()` of next/headers, a name bound to it, or the
/// `cookies` of a response (`response.cookies`, `NextResponse.next().cookies`). A
/// request's cookies (`req.cookies.set`) change only what the app sees downstream.
bool cookie_store(Node recv, LocalContext& cx, int depth = 0) {
    Node r = analysis::unwrap(recv);
    if (r.is("call_expression")) {
        Node f = analysis::unwrap(r.field("function"));
        const analysis::Import* imp = f.is("identifier") ? cx.import_of(f.text()) : nullptr;
        return imp && imp->specifier == "next/headers" && imp->imported == "cookies";
    }
    if (r.is("member_expression")) {
        if (r.field("property").text() != "cookies") return false;
        std::string object = analysis::lower(analysis::loose_path(r.field("object")));
        std::string_view last = object;
        if (size_t dot = last.rfind('.'); dot != std::string_view::npos) last = last.substr(dot + 1);
        return !object.empty() && last != "req" && last != "request" && last != "ctx" && last != "c";
    }
    if (r.is("identifier") && depth < 3) {
        Node v = analysis::declared_value(r, r.text());
        return v && cookie_store(v, cx, depth + 1);
    }
    return false;
}

/// Checks one cookie set by a call: its name, value and options nodes (options may be null).
void check_cookie(LocalContext& cx, Node at, Node name, Node value, Node options) {
    std::string label = name_text(name);
    if (!sensitive_name(label) && !sensitive_value(value)) return;
    Node v = analysis::unwrap(value);
    if (v && v.is("string") && analysis::string_value(v).empty()) return;  // cleared
    Attributes a;
    if (options) read_options(options, a);
    if (!a.known || a.removed) return;
    auto missing = problems(a);
    if (missing.empty()) return;
    Node n = analysis::unwrap(name);
    std::string shown = n && n.is("string") ? "`" + label + "`" : "`" + std::string(analysis::normalize(n ? n.text() : "")) + "`";
    report(cx, at, shown, missing);
}

/// A raw `Set-Cookie` value: `session=${token}; Path=/; HttpOnly`.
void check_header(LocalContext& cx, Node value, int depth = 0) {
    Node v = analysis::unwrap(value);
    if (!v || depth > 3) return;
    if (v.is("array")) {
        for (Node e : syntax::named_children(v)) check_header(cx, e, depth + 1);
        return;
    }
    if (v.is("identifier")) {
        if (Node d = analysis::declared_value(v, v.text())) check_header(cx, d, depth + 1);
        return;
    }
    if (!v.is("string") && !v.is("template_string")) return;  // serialize(...) is read as a call
    std::string literal;   // the fixed text, substitutions as `${}`
    std::string name;      // the source text before the first `=`: `${SESSION_COOKIE}`
    Node first_value;      // the first substitution after `=`
    for (Node ch : syntax::children(v)) {
        bool in_name = literal.find('=') == std::string::npos;
        if (ch.is("template_substitution")) {
            // attributes made at run time (`${secure ? "Secure;" : ""}`, `${optionsString()}`)
            // (an attribute's value, `Max-Age=${age}`, is fine)
            if (literal.find(';') != std::string::npos && !literal.ends_with("=")) return;
            if (!first_value && !in_name) first_value = ch.named_child(0);
            if (in_name) name += ch.text();
            literal += "${}";
        } else if (ch.is("string_fragment") || ch.is("escape_sequence")) {
            std::string_view t = ch.text();
            if (in_name) name += t.substr(0, t.find('='));
            literal += t;
        }
    }
    if (v.is("string")) literal = analysis::string_value(v), name = literal.substr(0, literal.find('='));
    size_t eq = literal.find('=');
    if (eq == std::string::npos) return;
    std::string rest = analysis::lower(literal.substr(eq + 1));
    if (!sensitive_name(name) && !(first_value && sensitive_value(first_value))) return;
    if (rest.find("max-age=0") != std::string::npos || rest.find("1970") != std::string::npos) return;
    auto has = [&](std::string_view attr) {
        for (size_t at = rest.find(';'); at != std::string::npos; at = rest.find(';', at + 1)) {
            size_t b = rest.find_first_not_of(' ', at + 1);
            if (b != std::string::npos && rest.compare(b, attr.size(), attr) == 0) return true;
        }
        return false;
    };
    std::vector<std::string> missing;
    if (!has("httponly")) missing.push_back("httpOnly");
    if (!has("secure")) missing.push_back("secure");
    if (!has("samesite")) missing.push_back("sameSite");
    if (!missing.empty()) report(cx, v, "`" + name + "`", missing);
}

bool set_cookie_key(std::string_view s) { return analysis::lower(s) == "set-cookie"; }

/// insecure-cookie: a session, auth or token cookie set without httpOnly, secure or
/// sameSite.
class InsecureCookie final : public LocalRule {
public:
    InsecureCookie() : LocalRule(kId) {}
    std::vector<Kind> kinds() const override { return {Kind::CallExpression, Kind::Pair}; }

    void visit(Node n, LocalContext& cx) const override {
        if (n.kind_id() == Kind::Pair) return on_pair(n, cx);
        Node callee = analysis::unwrap(n.field("function"));
        Node args = n.field("arguments");
        if (!args || !args.is("arguments") || args.named_child_count() == 0) return;
        auto arg = [&](int i) { return i < static_cast<int>(args.named_child_count()) ? args.named_child(static_cast<uint32_t>(i)) : Node(); };
        std::string_view method = callee.is("member_expression") ? callee.field("property").text() : std::string_view();

        if (method == "set" && cookie_store(callee.field("object"), cx)) {
            if (is_tooling_file(cx.file())) return;
            Node first = analysis::unwrap(arg(0));
            if (first.is("object"))  // cookies.set({ name, value, httpOnly, ... })
                return check_cookie(cx, n, analysis::object_value(first, "name"), analysis::object_value(first, "value"), first);
            return check_cookie(cx, n, arg(0), arg(1), arg(2));
        }
        if ((method == "setHeader" || method == "set" || method == "append" || method == "appendHeader") &&
            args.named_child_count() >= 2 && set_cookie_key(analysis::string_value(analysis::unwrap(arg(0))))) {
            if (is_tooling_file(cx.file())) return;
            return check_header(cx, arg(1));
        }
        // cheap filter before the callee path is built: the callee's last name
        std::string_view text = callee.text();
        bool candidate = false;
        for (const auto& lib : cx.knowledge().libraries)
            for (const auto& c : lib.cookie_setters) candidate = candidate || analysis::may_call(text, c.call);
        if (!candidate) return;
        std::string loose = analysis::loose_path(callee);
        for (const auto& lib : cx.knowledge().libraries)
            for (const auto& c : lib.cookie_setters) {
                if (!analysis::calls_pattern(c.call, loose, cx.imports())) continue;
                if (is_tooling_file(cx.file()) || !arg(c.name)) return;
                return check_cookie(cx, n, arg(c.name), arg(c.value), arg(c.options));
            }
    }

private:
    /// `headers: { "Set-Cookie": "..." }`
    static void on_pair(Node n, LocalContext& cx) {
        Node key = n.field("key");
        if (!key || !key.is("string") || !set_cookie_key(analysis::string_value(key))) return;
        if (is_tooling_file(cx.file())) return;
        check_header(cx, n.field("value"));
    }
};

}  // namespace

const Rule& insecure_cookie() { return the_rule<InsecureCookie>(); }
const analysis::LocalCheck& insecure_cookie_check() { return the_rule<InsecureCookie>(); }

}  // namespace nextguard::rules
