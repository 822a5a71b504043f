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

constexpr std::string_view kId = "hardcoded-secret";

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

/// An environment variable name that holds a secret (`AUTH_SECRET`, `STRIPE_SECRET_KEY`,
/// `DATABASE_PASSWORD`, `SUPABASE_SERVICE_ROLE_KEY`), not a public id or a URL.
bool secret_name(std::string_view name) {
    std::string n = upper(name);
    for (std::string_view w : {"SECRET", "PASSWORD", "PRIVATE", "SERVICE_ROLE", "TOKEN", "API_KEY", "APIKEY", "SIGNING_KEY"})
        if (n.find(w) != std::string::npos) return true;
    return false;
}

bool in_charset(char c, std::string_view charset) {
    auto u = static_cast<unsigned char>(c);
    if (charset == "upper") return std::isupper(u) || std::isdigit(u);
    if (charset == "word") return std::isalnum(u) || c == '_' || c == '-';
    return std::isalnum(u);
}

/// The vendor format `text` holds (a whole literal, or a token inside it), or nullptr.
const analysis::SecretFormat* known_format(std::string_view text, const analysis::Knowledge& k) {
    for (const auto& lib : k.libraries)
        for (const auto& f : lib.secret_formats) {
            for (size_t at = text.find(f.prefix); at != std::string_view::npos; at = text.find(f.prefix, at + 1)) {
                if (at > 0 && in_charset(text[at - 1], "word")) continue;  // inside a longer word
                size_t end = at + f.prefix.size();
                while (end < text.size() && in_charset(text[end], f.charset)) ++end;
                if (end - at - f.prefix.size() >= f.min_length) return &f;
            }
        }
    return nullptr;
}

/// A literal that stands for a real secret: not empty, short, prose or CSS (spaces), an
/// obvious placeholder (`your-key`, `<token>`) or a sentinel (`NO-DEFINED`, `not-required`).
bool real_literal(std::string_view v) {
    if (v.size() < 8) return false;
    std::string l;
    for (char c : v) l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (l.find_first_of(" \t\n") != std::string::npos) return false;
    // the name of an environment variable (`"GMAIL_CLIENT_SECRET"`), not its value
    if (std::all_of(v.begin(), v.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)) ||
                                                          std::isdigit(static_cast<unsigned char>(c)) || c == '_'; }))
        return false;
    for (std::string_view fake : {"your", "example", "placeholder", "xxxx", "<", "{{", "${", "replace", "todo", "dummy",
                                  "not-", "not_", "none", "undefined", "defined", "required", "missing", "unset",
                                  "empty", "disabled", "changeme-later"})
        if (l.find(fake) != std::string::npos) return false;
    return true;
}

/// The name of a setting, not its value: lower-case words joined by `_` or `.`
/// (`calendly_signing_key`, a settings row's key).
bool key_name(std::string_view v) {
    bool separator = false;
    for (char c : v) {
        if (c == '_' || c == '.') separator = true;
        else if (!std::islower(static_cast<unsigned char>(c))) return false;
    }
    return separator && v.front() != '_' && v.back() != '_';
}

/// A PEM private key with its body (not the bare `-----BEGIN PRIVATE KEY-----` marker a
/// function strips from a key it generated).
bool pem_private_key(std::string_view text) {
    size_t header = text.find("PRIVATE KEY-----");
    if (header == std::string_view::npos || text.find("-----BEGIN") == std::string_view::npos) return false;
    size_t body = 0;
    for (size_t i = header + 16; i < text.size() && text[i] != '-'; ++i)
        if (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '+' || text[i] == '/') ++body;
    return body >= 40;
}


/// `"literal"`, `new TextEncoder().encode("literal")`, `Buffer.from("literal")`: the
/// literal, or "".
std::string literal_key(Node n) {
    n = analysis::unwrap(n);
    if (n.is("string")) return analysis::string_value(n);
    if (!n.is("call_expression")) return {};
    std::string callee = analysis::loose_path(n.field("function"));
    if (!callee.ends_with("encode") && callee != "Buffer.from" && !callee.ends_with("createSecretKey")) return {};
    Node args = n.field("arguments");
    Node first = args && args.named_child_count() > 0 ? args.named_child(0) : Node();
    return first ? literal_key(first) : std::string();
}

/// Functions whose argument is a signing or encryption secret: `jwt.sign(payload, secret)`.
struct SecretArg {
    std::string_view function;
    std::string_view module;
    unsigned arg;
};
constexpr SecretArg kSecretArgs[] = {
    {"sign", "jsonwebtoken", 1},  {"verify", "jsonwebtoken", 1}, {"jwtVerify", "jose", 1},
    {"sealData", "iron-session", 1}, {"unsealData", "iron-session", 1}, {"createHmac", "crypto", 1},
    {"createHmac", "node:crypto", 1},
};

/// Option keys that take a secret: NextAuth `secret`, iron-session `password`...
bool secret_option(std::string_view key) {
    std::string k;
    for (char c : key) k += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (std::string_view s : {"secret", "password", "clientsecret", "jwtsecret", "secretkey", "apikey", "privatekey",
                               "authsecret", "sessionsecret", "cookiesecret", "signingkey", "accesstoken"})
        if (k == s) return true;
    return false;
}

/// A LocalContext that drops reports made in test and tooling files.
class ToolingFilter final : public LocalContext {
public:
    explicit ToolingFilter(LocalContext& cx) : cx_(cx) {}
    const std::string& file() const override { return cx_.file(); }
    int function() const override { return cx_.function(); }
    bool is_parameter(std::string_view name) const override { return cx_.is_parameter(name); }
    const std::vector<analysis::Import>& imports() const override { return cx_.imports(); }
    const analysis::Import* import_of(std::string_view local) const override { return cx_.import_of(local); }
    const analysis::Knowledge& knowledge() const override { return cx_.knowledge(); }
    bool use_server_module() const override { return cx_.use_server_module(); }
    void report(std::string_view rule, Node at, std::string message) override {
        if (!is_tooling_file(cx_.file())) cx_.report(rule, at, std::move(message));
    }

private:
    LocalContext& cx_;
};

/// hardcoded-secret: a secret written into the code, where everyone who reads the repository
/// (and, for `NEXT_PUBLIC_`, everyone who loads the site) has it.
class HardcodedSecret final : public LocalRule {
public:
    HardcodedSecret() : LocalRule(kId) {}

    std::vector<Kind> kinds() const override {
        return {Kind::String, Kind::TemplateString, Kind::CallExpression, Kind::Pair, Kind::BinaryExpression,
                Kind::MemberExpression};
    }

    void visit(Node n, LocalContext& cx) const override {
        // Test and tooling files are left alone; checked when a finding is at hand (rare),
        // not on every node.
        ToolingFilter filtered(cx);
        switch (n.kind_id()) {
            case Kind::String:
            case Kind::TemplateString: return on_string(n, filtered);
            case Kind::CallExpression: return on_call(n, filtered);
            case Kind::Pair: return on_pair(n, filtered);
            case Kind::BinaryExpression: return on_fallback(n, filtered);
            case Kind::MemberExpression: return on_env(n, filtered);
            default: return;
        }
    }

private:
    static void on_string(Node n, LocalContext& cx) {
        if (n.is("template_string") && n.named_child_count() > 1) return;  // interpolated: not one literal
        std::string_view text = n.text();
        if (text.size() < 12) return;
        if (pem_private_key(text)) {
            cx.report(kId, n, "a private key is written in the code; load it from the environment or a secret store");
            return;
        }
        if (const auto* f = known_format(text, cx.knowledge()))
            cx.report(kId, n, std::string(f->what) + " is written in the code; anyone with the repository has it. "
                                                      "Revoke it, and read it from an environment variable");
    }

    static void on_call(Node n, LocalContext& cx) {
        Node callee = analysis::unwrap(n.field("function"));
        // cheap filter before any string is built: the callee's last name
        std::string_view text = callee.text();
        bool candidate = false;
        for (const auto& s : kSecretArgs) candidate = candidate || text.ends_with(s.function);
        if (!candidate) return;
        std::string path = analysis::loose_path(callee);
        std::string_view name = path;
        std::string_view object;
        if (size_t dot = path.rfind('.'); dot != std::string::npos) name = std::string_view(path).substr(dot + 1), object = std::string_view(path).substr(0, dot);
        Node args = n.field("arguments");
        if (!args) return;
        for (const auto& s : kSecretArgs) {
            if (name != s.function) continue;
            // `jwt.sign(...)` with `import jwt from "jsonwebtoken"`, or `sign(...)` imported by name
            const analysis::Import* imp = cx.import_of(object.empty() ? name : object);
            if (!imp || (imp->specifier != s.module && imp->specifier != std::string("node:") + std::string(s.module)))
                continue;
            if (args.named_child_count() <= s.arg) continue;
            Node a = args.named_child(s.arg);
            std::string lit = literal_key(a);
            if (real_literal(lit))
                cx.report(kId, a, "the secret of `" + path + "` is a literal in the code: anyone with the repository can "
                                  "sign and forge tokens; read it from an environment variable");
            return;
        }
    }

    static void on_pair(Node n, LocalContext& cx) {
        Node value = n.field("value");
        if (!value || value.kind_id() != Kind::String) return;
        Node key = n.field("key");
        if (!key) return;
        std::string k = key.is("string") ? analysis::string_value(key) : std::string(key.text());
        if (!secret_option(k)) return;
        std::string lit = analysis::string_value(value);
        if (!real_literal(lit) || lit.size() < 16 || key_name(lit)) return;
        cx.report(kId, value, "`" + k + "` is a literal in the code: anyone with the repository has it; read it from "
                              "an environment variable");
    }

    /// `process.env.AUTH_SECRET || "dev-secret"`: a fallback that becomes the secret wherever
    /// the variable is unset, production included.
    static void on_fallback(Node n, LocalContext& cx) {
        if (!n.text().starts_with("process.env.")) return;
        auto op = n.field("operator").text();
        if (op != "||" && op != "??") return;
        Node left = analysis::unwrap(n.field("left"));
        Node right = analysis::unwrap(n.field("right"));
        if (!left.is("member_expression") || !right.is("string")) return;
        std::string env = analysis::path_text(left);
        if (!env.starts_with("process.env.")) return;
        std::string var = env.substr(12);
        if (!secret_name(var) || !real_literal(analysis::string_value(right))) return;
        cx.report(kId, right, "`" + env + "` falls back to a literal: where the variable is unset, that literal is the "
                              "secret, in production too. Fail when it is missing instead");
    }

    /// `process.env.NEXT_PUBLIC_..._SECRET`: Next.js inlines NEXT_PUBLIC_ variables into the
    /// browser bundle.
    static void on_env(Node n, LocalContext& cx) {
        if (!n.text().starts_with("process.env.NEXT_PUBLIC_")) return;  // before building the path
        std::string path = analysis::path_text(n);
        if (!path.starts_with("process.env.NEXT_PUBLIC_")) return;
        std::string var = path.substr(12);
        // Only names that say secret: browser API keys and ingest tokens (`NEXT_PUBLIC_
        // POSTHOG_API_KEY`, `..._AXIOM_TOKEN`) are meant to be public.
        std::string name = upper(var.substr(12));
        bool secret = false;
        for (std::string_view w : {"SECRET", "PASSWORD", "PRIVATE", "SERVICE_ROLE"})
            secret = secret || name.find(w) != std::string::npos;
        if (!secret) return;
        cx.report(kId, n, "`" + var + "` looks like a secret, but Next.js puts NEXT_PUBLIC_ variables into the browser "
                          "bundle: everyone who loads the site has it. Drop the prefix and use it on the server only");
    }
};

}  // namespace

const Rule& hardcoded_secret() { return the_rule<HardcodedSecret>(); }
const analysis::LocalCheck& hardcoded_secret_check() { return the_rule<HardcodedSecret>(); }

}  // namespace nextguard::rules
