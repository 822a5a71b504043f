#include "analysis/local_check.hpp"
#include "analysis/node_util.hpp"
#include "rules/rule.hpp"

namespace nextguard::rules {

namespace {

using analysis::LocalContext;
using syntax::Kind;
using syntax::Node;

constexpr std::string_view kId = "jwt-misuse";

Node arg(Node call, uint32_t i) {
    Node args = call.field("arguments");
    return args && args.named_child_count() > i ? args.named_child(i) : Node();
}

/// An object literal, directly or through a constant of the file (`const options = {...}`).
Node object_of(Node n) {
    Node u = analysis::unwrap(n);
    if (u.is("identifier"))
        if (Node d = analysis::declared_value(u, u.text())) u = analysis::unwrap(d);
    return u.is("object") ? u : Node();
}

/// `key` is in the object `n` gives, or set on the name later (`options.expiresIn = "7d"`
/// in the enclosing function).
bool has_key(Node n, std::string_view key) {
    Node o = object_of(n);
    if (o && analysis::object_value(o, key)) return true;
    Node u = analysis::unwrap(n);
    if (!u.is("identifier")) return false;
    Node scope = analysis::enclosing_function(u);
    std::string_view text = scope ? scope.text() : std::string_view();
    std::string name(u.text());
    return text.find(name + "." + std::string(key)) != std::string_view::npos ||
           text.find(name + "[\"" + std::string(key)) != std::string_view::npos;
}

/// The jsonwebtoken function a call names (`jwt.sign`, `sign` imported by name), or "".
std::string jsonwebtoken_call(Node callee, LocalContext& cx) {
    std::string path = analysis::loose_path(callee);
    if (path.empty()) return {};
    size_t dot = path.find('.');
    std::string root = path.substr(0, dot);
    const analysis::Import* imp = cx.import_of(root);
    if (!imp || imp->specifier != "jsonwebtoken") return {};
    if (dot == std::string::npos) return imp->imported;
    if (imp->imported != "default" && imp->imported != "*") return {};
    return path.substr(dot + 1);
}

/// A key whose name says it is public (an RSA/EC public key, a certificate, a JWKS).
bool public_key_name(Node key) {
    std::string t = analysis::lower(analysis::unwrap(key).text());
    for (std::string_view w : {"public", "pubkey", "pem", "cert", "jwks", "x509"})
        if (t.find(w) != std::string::npos) return true;
    return false;
}

/// `algorithms: [..., "none", ...]`
bool allows_none(Node options) {
    Node algs = analysis::unwrap(analysis::object_value(options, "algorithms"));
    if (!algs || !algs.is("array")) return false;
    for (Node a : syntax::named_children(algs))
        if (analysis::lower(analysis::string_value(analysis::unwrap(a))) == "none") return true;
    return false;
}

/// jwt-misuse: tokens read without verification, verification that accepts anything, and
/// tokens that never expire.
class JwtMisuse final : public LocalRule {
public:
    JwtMisuse() : LocalRule(kId) {}
    std::vector<Kind> kinds() const override { return {Kind::CallExpression}; }

    void visit(Node n, LocalContext& cx) const override {
        Node callee = analysis::unwrap(n.field("function"));
        std::string_view text = callee.text();
        // cheap filter on the callee's last name
        if (!(text.ends_with("sign") || text.ends_with("verify") || text.ends_with("Verify") ||
              text.ends_with("decode") || text.ends_with("Decode") || text.ends_with("decodeJwt")))
            return;
        if (is_tooling_file(cx.file())) return;
        std::string fn = jsonwebtoken_call(callee, cx);
        if (fn == "verify") return on_verify(n, cx);
        if (fn == "sign") return on_sign(n, cx);
        if (callee.is("member_expression") && callee.field("property").text() == "sign") return on_jose_sign(n, callee, cx);
        if (callee.is("identifier") && callee.text() == "jwtVerify") {
            const analysis::Import* imp = cx.import_of("jwtVerify");
            if (imp && imp->specifier == "jose") on_verify_options(n, arg(n, 2), cx);
            return;
        }
        on_decode(n, callee, cx);
    }

private:
    static void on_verify(Node n, LocalContext& cx) {
        Node options = object_of(arg(n, 2));
        if (!options) {
            if (arg(n, 1) && public_key_name(arg(n, 1)) && !arg(n, 2))
                cx.report(kId, n, "`jwt.verify` with a public key and no `algorithms`: a token signed with HS256 using "
                                  "the public key as its secret can pass (algorithm confusion). Pass `{ algorithms: "
                                  "[\"RS256\"] }`");
            return;
        }
        if (on_verify_options(n, options, cx)) return;
        if (!analysis::object_value(options, "algorithms") && public_key_name(arg(n, 1)))
            cx.report(kId, n, "`jwt.verify` with a public key and no `algorithms`: a token signed with HS256 using the "
                              "public key as its secret can pass (algorithm confusion). Name the algorithms");
    }

    /// `algorithms` with "none", `ignoreExpiration: true`; true when it reported.
    static bool on_verify_options(Node n, Node options_node, LocalContext& cx) {
        Node options = object_of(options_node);
        if (!options) return false;
        if (allows_none(options)) {
            cx.report(kId, n, "token verification accepts the `none` algorithm: an unsigned token passes. Name only "
                              "the algorithms you sign with");
            return true;
        }
        Node ignore = analysis::unwrap(analysis::object_value(options, "ignoreExpiration"));
        if (ignore && ignore.is("true")) {
            cx.report(kId, n, "token verification ignores expiry (`ignoreExpiration: true`): a leaked token works "
                              "forever. Remove the option and refresh tokens instead");
            return true;
        }
        return false;
    }

    /// `jwt.sign(payload, key, options)` with no `expiresIn` and no `exp` in the payload.
    static void on_sign(Node n, LocalContext& cx) {
        Node options = arg(n, 2);
        if (options && !object_of(options)) return;  // options the file does not show
        if (options && (has_key(options, "expiresIn") || analysis::has_spread(object_of(options)))) return;
        // a payload the file does not show, or one that may carry `exp`
        Node payload = object_of(arg(n, 0));
        if (!payload || has_key(arg(n, 0), "exp") || analysis::has_spread(payload)) return;
        cx.report(kId, n, "`jwt.sign` makes a token that never expires (no `expiresIn`, no `exp`): once leaked it works "
                          "forever. Pass `{ expiresIn: \"1h\" }` (or what the use needs)");
    }

    /// jose: `new SignJWT(payload)...sign(key)` without `.setExpirationTime(...)`.
    static void on_jose_sign(Node n, Node callee, LocalContext& cx) {
        std::string_view chain = callee.field("object").text();
        if (chain.find("SignJWT") == std::string_view::npos) return;
        const analysis::Import* imp = cx.import_of("SignJWT");
        if (!imp || imp->specifier != "jose") return;
        if (chain.find("setExpirationTime") != std::string_view::npos) return;
        // `new SignJWT({ ..., exp })`: the payload has one
        if (chain.find("exp:") != std::string_view::npos || chain.find("exp,") != std::string_view::npos) return;
        cx.report(kId, n, "`new SignJWT(...).sign()` without `.setExpirationTime(...)`: the token never expires. Set "
                          "an expiry");
    }

    /// `jwt.decode(token)`, jose `decodeJwt`, `jwtDecode`: what the token says, unverified,
    /// read for who the caller is (`.sub`, `.userId`, `.email`...) in a function that
    /// verifies nothing.
    static void on_decode(Node n, Node callee, LocalContext& cx) {
        std::string loose = analysis::loose_path(callee);
        bool decoder = false;
        for (const auto& lib : cx.knowledge().libraries)
            for (const auto& p : lib.decoders)
                if (p.name != "decodeProtectedHeader" && analysis::calls_pattern(p, loose, cx.imports())) decoder = true;
        if (!decoder) return;
        Node fn = analysis::enclosing_function(n);
        if (!fn) return;
        std::string body = analysis::lower(fn.text());
        if (body.find("verif") != std::string::npos) return;  // checked here, or read for a verification
        // a token this function just signed
        Node token = analysis::unwrap(arg(n, 0));
        if (token.is("identifier"))
            if (Node d = analysis::declared_value(token, token.text());
                d && analysis::lower(analysis::unwrap(d).text()).find("sign") != std::string::npos)
                return;
        // who the token says the caller is
        bool identity = false;
        for (std::string_view claim : {".sub", ".userid", ".user_id", ".uid", ".email", ".id", ".user", "{ sub", "{ userid",
                                       "{ email", "{ id"})
            identity = identity || body.find(claim) != std::string::npos;
        if (!identity) return;
        cx.report(kId, n, "`" + loose + "` reads the token without checking its signature, and the function takes who the "
                          "caller is from it: anyone can write a token that names any user. Verify it (`jwt.verify`, "
                          "jose `jwtVerify`) and read the verified payload");
    }
};

}  // namespace

const Rule& jwt_misuse() { return the_rule<JwtMisuse>(); }
const analysis::LocalCheck& jwt_misuse_check() { return the_rule<JwtMisuse>(); }

}  // namespace nextguard::rules
