#include "analysis/auth.hpp"

#include <algorithm>
#include <cctype>

#include "analysis/matcher.hpp"

namespace nextguard::analysis {

namespace {

bool contains(const std::vector<std::string>& v, std::string_view x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

std::string lower_alnum(std::string_view s) {
    std::string out;
    for (char c : s)
        if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

constexpr int kMaxDepth = 200;

/// `import { name }`, or a default import given the library's usual name (`import NextAuth from "next-auth"`).
bool imports_name(const Import& imp, std::string_view name) {
    return imp.imported == name || (imp.imported == "default" && imp.local == name);
}

/// `imp` brings in `name` from one of the packages `from`.
bool imported_from(const Import& imp, std::string_view name, const std::vector<std::string>& from) {
    return imports_name(imp, name) && contains(from, imp.specifier);
}

/// `loose` is `name` or a member access ending in `.name` (`auth.api.getSession`).
bool names_member(std::string_view loose, std::string_view name) {
    return loose == name ||
           (loose.size() > name.size() && loose.ends_with(name) && loose[loose.size() - name.size() - 1] == '.');
}

struct Event {
    enum class Kind { Auth, Write, Read, ParentList, Lookup };
    uint32_t at;
    Kind kind;
    bool rejects = false;
    OpRef op;
    int branch = -1;  ///< the request-method branch (`if (req.method === "POST")`) it is in, or -1
    AuthCheck check;  ///< Auth: where and how

    static Event access(uint32_t at, Kind kind, OpRef op) { return {at, kind, false, op, -1, {}}; }
    static Event auth(uint32_t at, bool rejects, AuthCheck check) {
        return {at, Kind::Auth, rejects, {}, -1, std::move(check)};
    }
};

}  // namespace

AuthModel::AuthModel(const Project& project) : project_(project), knowledge_(project.knowledge()) {
    const Knowledge& knowledge = knowledge_;
    const auto& units = project.units();
    summaries_.resize(units.size());
    state_.resize(units.size());
    factory_auth_.resize(units.size());
    module_wrapper_call_.resize(units.size());
    for (size_t u = 0; u < units.size(); ++u) {
        summaries_[u].resize(units[u].facts.functions.size());
        state_[u].resize(units[u].facts.functions.size(), 0);
        module_wrapper_call_[u].resize(units[u].facts.functions.size(), -1);
        const auto& calls = units[u].facts.calls;
        for (int ci = 0; ci < static_cast<int>(calls.size()); ++ci)
            if (calls[ci].function == -1)
                for (const auto& arg : calls[ci].args)
                    if (arg.kind == ValueRef::Kind::Function && arg.function >= 0) module_wrapper_call_[u][arg.function] = ci;
        // `export const { auth } = NextAuth(config)`: bindings that are auth functions
        for (const auto& b : units[u].facts.bindings) {
            if (b.value.kind != ValueRef::Kind::Call) continue;
            const ValueRef* call = &b.value;
            // `NextAuth(config).auth` is a member of a call: not a Call value; `NextAuth(cfg)` is
            if (!project.import_of(static_cast<int>(u), call->name)) continue;
            for (const auto& lib : knowledge.libraries)
                for (const auto& p : lib.auth)
                    if (p.form == CallPattern::Form::Factory && from_library(static_cast<int>(u), call->name, p.name, p.from) &&
                        (b.destructured ? contains(p.results, b.name) : true))
                        factory_auth_[u].push_back(b.name);
        }
    }
    for (const auto& e : project.entry_points())
        if (e.kind == EntryPoint::Kind::ServerAction && e.handler && (!e.value || e.value->kind == ValueRef::Kind::Function))
            plain_actions_.insert(e.handler);
    for (size_t u = 0; u < units.size(); ++u)
        for (size_t f = 0; f < units[u].facts.functions.size(); ++f) compute({static_cast<int>(u), static_cast<int>(f)});
}

bool AuthModel::from_library(int file, std::string_view local, std::string_view name,
                             const std::vector<std::string>& from) const {
    const Import* imp = project_.import_of(file, local);
    if (imp && imported_from(*imp, name, from)) return true;
    auto origin = project_.package_origin(file, local);
    return origin && imported_from(*origin, name, from);
}

bool AuthModel::is_factory_result(int file, std::string_view name) const {
    auto [bf, b] = project_.resolve_binding(file, name);
    return b && contains(factory_auth_[bf], b->name);
}

bool AuthModel::matches(int file, const Call& call, const CallPattern& p) const {
    switch (p.form) {
        case CallPattern::Form::Function: {
            if (call.callee.empty()) return false;
            size_t dot = call.callee.find('.');
            if (dot == std::string::npos) return from_library(file, call.callee, p.name, p.from);
            // `jwt.verify(...)` with `import jwt from "jsonwebtoken"` / `import * as jose from "jose"`
            if (call.callee.substr(dot + 1) != p.name) return false;
            const Import* imp = project_.import_of(file, call.callee.substr(0, dot));
            return imp && (imp->imported == "default" || imp->imported == "*") && contains(p.from, imp->specifier);
        }
        case CallPattern::Form::Method: return project_.calls_method(file, call, p);
        case CallPattern::Form::Factory: {
            if (call.callee.empty() || call.callee.find('.') != std::string::npos) return false;
            return is_factory_result(file, call.callee);
        }
    }
    return false;
}

AuthModel::CallKind AuthModel::classify(int file, int index, bool* signature) const {
    const Call& call = project_.units()[file].facts.calls[index];
    CallKind kind = CallKind::Other;
    for (const auto& lib : knowledge_.libraries) {
        for (const auto* list : {&lib.auth, &lib.webhook}) {
            for (const auto& p : *list) {
                if (!matches(file, call, p)) continue;
                if (signature) *signature = list == &lib.webhook;
                if (p.throws) return CallKind::AuthRejects;
                kind = CallKind::Auth;
            }
        }
    }
    return kind;
}

bool AuthModel::decodes(int file, const Call& call) const {
    for (const auto& lib : knowledge_.libraries)
        for (const auto& p : lib.decoders)
            if (matches(file, call, p)) return true;
    return false;
}

bool AuthModel::is_token_scoped(const DbOp& op) {
    for (const auto& k : op.filter_keys) {
        std::string key = lower_alnum(k);
        // `token`, `hashedToken`, `clientSecret`, `hashedKey`, `keyHash`, `apiKey`, `secretKey`
        if (key.ends_with("token") || key.ends_with("secret") || key.find("hash") != std::string::npos ||
            key.ends_with("apikey") || key.ends_with("secretkey"))
            return true;
    }
    // A session row by its id: the id is the secret the session cookie holds (`sessions`
    // where `id = sha256(cookie)`), not a key anyone may enumerate.
    std::string model = lower_alnum(op.model);
    if (model.ends_with("session") || model.ends_with("sessions"))
        for (const auto& k : op.filter_keys)
            if (k == "id" || lower_alnum(k) == "sessionid") return true;
    return false;
}

bool AuthModel::is_parent_list(const DbOp& op) {
    if (is_public_read(op)) return false;
    if (op.kind == DbOp::Kind::Read && !op.filter_keys.empty()) return true;  // a row by its key
    if (op.kind != DbOp::Kind::List) return false;
    for (const auto& k : op.filter_keys)
        if (k.size() > 2 && (k.ends_with("Id") || k.ends_with("_id"))) return true;
    return false;
}

bool AuthModel::is_id_capability(const DbOp& op) {
    if (op.kind != DbOp::Kind::Read || op.filter_keys.size() < 2) return false;
    for (const auto& k : op.filter_keys)
        if (k != "id" && !k.ends_with("Id") && !k.ends_with("_id")) return false;
    return true;
}

bool AuthModel::is_credential_lookup(const DbOp& op) {
    if (op.kind != DbOp::Kind::Read) return false;
    for (const auto& k : op.filter_keys) {
        std::string key = lower_alnum(k);
        if (key == "email" || key == "username" || key == "phone" || key == "phonenumber" || key == "login")
            return true;
    }
    return false;
}

bool AuthModel::is_credential_write(const DbOp& op) {
    if (op.kind != DbOp::Kind::Write) return false;
    std::string model = lower_alnum(op.model);
    for (const char* w : {"token", "verification", "otp", "passwordreset", "resetpassword", "magiclink", "session",
                          "loginattempt", "passkey", "challenge"})
        if (model.find(w) != std::string::npos) return true;
    return false;
}

bool AuthModel::is_public_read(const DbOp& op) {
    if (op.kind != DbOp::Kind::Read && op.kind != DbOp::Kind::List) return false;
    for (const auto& k : op.filter_keys) {
        std::string key = lower_alnum(k);
        if (key == "ispublic" || key == "public" || key == "published" || key == "ispublished" || key == "visibility" ||
            key == "isshared" || key == "shared" || key == "publiclyvisible" || key == "listed" || key == "islisted")
            return true;
    }
    return false;
}

namespace {
/// `count(*)` of the orders `where storeId = ?`: a figure about someone's rows. An
/// aggregate over a whole table (`prisma.user.count()`) is a public statistic.
bool filtered_aggregate(const DbOp& op) { return op.kind == DbOp::Kind::Aggregate && !op.filter_keys.empty(); }
}  // namespace

bool AuthModel::is_owned_read(const DbOp& op) {
    if (op.kind != DbOp::Kind::Read && op.kind != DbOp::Kind::List && !filtered_aggregate(op)) return false;
    if (is_public_read(op)) return false;
    static const char* owner_keys[] = {"userid", "ownerid", "authorid", "creatorid", "teamid", "orgid",
                                       "organizationid", "workspaceid", "accountid", "tenantid", "projectid",
                                       "customerid", "memberid", "email", "user", "owner"};
    for (const auto& k : op.filter_keys) {
        std::string key = lower_alnum(k);
        for (const char* o : owner_keys)
            if (key == o) return true;
    }
    return is_sensitive_read(op);
}

bool AuthModel::is_sensitive_read(const DbOp& op) {
    if (op.kind != DbOp::Kind::Read && op.kind != DbOp::Kind::List && !filtered_aggregate(op)) return false;
    static const char* sensitive[] = {"user", "users", "account", "accounts", "session", "sessions", "apikey",
                                      "apikeys", "token", "tokens", "verificationtoken", "payment", "payments",
                                      "invoice", "invoices", "subscription", "subscriptions", "order", "orders",
                                      "customer", "customers", "member", "members", "membership", "memberships",
                                      "profile", "profiles", "secret", "secrets", "credential", "credentials"};
    std::string model = lower_alnum(op.model.substr(op.model.rfind('.') == std::string::npos ? 0 : op.model.rfind('.') + 1));
    for (const char* s : sensitive)
        if (model == s) return true;
    return false;
}

void AuthModel::compute(FunctionRef f) {
    auto& state = state_[f.file][f.function];
    if (state != 0) return;  // done, or in progress (a cycle: what is known so far)
    if (depth_ >= kMaxDepth) return;  // computed later from the top-level loop
    ++depth_;
    state = 1;
    const auto& facts = project_.units()[f.file].facts;
    std::vector<Event> events;
    bool calls_source = false;
    bool ineffective = false;

    // When a call's result is checked: a guard reading one of its names, a guard whose
    // condition holds the call, or a plain dereference of one of its names.
    auto checked_at = [&](const Call& c, bool& rejects) -> uint32_t {
        uint32_t at = AuthSummary::kNever;
        for (const auto& g : facts.guards) {
            if (g.function != f.function) continue;
            bool inside = c.start >= g.start && c.start < g.condition_end;
            auto read = [&](const auto& n) { return contains(g.names, n); };
            bool reads = g.start > c.start && (std::any_of(c.assigned.begin(), c.assigned.end(), read) ||
                                               std::any_of(c.derived.begin(), c.derived.end(), read));
            if ((inside || reads) && g.start < at) at = g.start, rejects = g.throws;
        }
        // handed to a function that throws unless it passes: `assertAdmin(session)`
        for (int ci : project_.calls_in(f)) {
            const Call& h = facts.calls[ci];
            if (h.start <= c.end || h.start >= at) continue;
            FunctionRef g = project_.callee_of(f.file, ci);
            if (!g) continue;
            for (size_t i = 0; i < h.args.size(); ++i) {
                const ValueRef& a = h.args[i];
                if (a.kind != ValueRef::Kind::Identifier || !param_checked(g, static_cast<int>(i), 0)) continue;
                if (contains(c.assigned, a.name) || contains(c.derived, a.name)) at = h.start, rejects = true;
            }
        }
        for (const auto& d : facts.derefs) {
            if (d.function != f.function || d.start <= c.end || !contains(c.assigned, d.name)) continue;
            if (d.start < at) at = d.start, rejects = true;
        }
        // the sole key of a unique lookup (`findUnique({ where: { id: session?.user.id } })`):
        // undefined, the query throws before it reads a row, so the check sorts just before it
        for (const auto& op : facts.db_ops) {
            if (op.function != f.function || op.start <= c.end || op.start == 0 || op.start - 1 >= at) continue;
            if (std::any_of(op.required_filter.begin(), op.required_filter.end(),
                            [&](const std::string& n) { return contains(c.assigned, n); }))
                at = op.start - 1, rejects = true;
        }
        return at;
    };

    // Kinde-style factories called inside the function: `const { getUser } = getKindeServerSession()`
    std::vector<std::string> local_factory_results;
    for (int ci : project_.calls_in(f)) {
        const Call& c = facts.calls[ci];
        for (const auto& lib : knowledge_.libraries)
            for (const auto& p : lib.auth)
                if (p.form == CallPattern::Form::Factory && !c.callee.empty()) {
                    if (from_library(f.file, c.callee, p.name, p.from))
                        for (const auto& n : c.assigned)
                            if (contains(p.results, n)) local_factory_results.push_back(n);
                }
    }

    auto check_at = [&](AuthCheck::How how, uint32_t line, std::string detail) {
        return AuthCheck{how, f.file, line, std::move(detail)};
    };
    std::vector<std::string> unchecked_auth;  // names bound from auth results nothing checks
    std::vector<const Call*> ineffective_calls;  // calls of functions whose checks prove nothing
    for (int ci : project_.calls_in(f)) {
        const Call& c = facts.calls[ci];
        bool signature = false;
        CallKind kind = classify(f.file, ci, &signature);
        if (kind == CallKind::Other && decodes(f.file, c)) {
            ineffective_calls.push_back(&c);  // a token read, not verified
            continue;
        }
        if (kind == CallKind::Other && contains(local_factory_results, c.callee)) kind = CallKind::Auth;
        AuthCheck call_check = check_at(signature ? AuthCheck::How::Signature : AuthCheck::How::Call, c.line,
                                        c.callee.empty() ? c.loose : c.callee);
        if (kind == CallKind::AuthRejects) {
            // A rejecting call whose exception a catch swallows rejects nobody.
            if (!c.swallowed) events.push_back(Event::auth(c.start, true, call_check));
            continue;
        }
        bool source_call = kind == CallKind::Auth;
        if (kind == CallKind::Other && !c.callee.empty()) {
            FunctionRef g = project_.callee_of(f.file, ci);
            if (g && !(g == f)) {
                compute(g);
                const AuthSummary& sg = summaries_[g.file][g.function];
                if (sg.unprotected_write) events.push_back(Event::access(c.start, Event::Kind::Write, sg.unprotected_write));
                if (sg.unprotected_read) events.push_back(Event::access(c.start, Event::Kind::Read, sg.unprotected_read));
                if (sg.unprotected_parent_list)
                    events.push_back(Event::access(c.start, Event::Kind::ParentList, sg.unprotected_parent_list));
                if (sg.rejects) events.push_back(Event::auth(c.start, true, sg.check));
                if (sg.ineffective) ineffective_calls.push_back(&c);
                if (sg.credential_lookup) events.push_back(Event::access(c.start, Event::Kind::Lookup, {}));
                source_call = sg.source;
                if (source_call) call_check = sg.check.how != AuthCheck::How::None ? sg.check : call_check;
            } else if (!g) {
                // A library call running a project function it is handed and returning its
                // result: `yield* Effect.tryPromise(getCurrentUser)`, `await retry(getSession)`.
                for (const auto& arg : c.args) {
                    if (arg.kind != ValueRef::Kind::Identifier) continue;
                    FunctionRef h = project_.resolve_function(f.file, arg);
                    if (!h || h == f) continue;
                    compute(h);
                    const AuthSummary& sh = summaries_[h.file][h.function];
                    if (!sh.source) continue;
                    source_call = true;
                    call_check = sh.check.how != AuthCheck::How::None ? sh.check : call_check;
                    break;
                }
            }
        }
        if (source_call) {
            calls_source = true;
            bool rejects = false;
            uint32_t at = checked_at(c, rejects);
            if (at != AuthSummary::kNever) events.push_back(Event::auth(at, rejects, call_check));
            else unchecked_auth.insert(unchecked_auth.end(), c.assigned.begin(), c.assigned.end());
        }
    }
    // A guard on what an ineffective check returns (`if (!(await canEdit(id))) return 403`)
    // proves nothing about the caller.
    // In a Server Action exported as a plain function (or a callback inside one), a 403
    // guard that compares only what the browser sent (its parameters) with rows looked up
    // by it (`if (chat.userId !== userId) return "Unauthorized"`) checks a claimed
    // identity: it authenticates nobody.
    std::vector<std::string> claims, rows;
    int action = f.function;
    while (action >= 0 && !plain_actions_.count({f.file, action})) action = facts.functions[action].parent;
    for (int fn = f.function; action >= 0; fn = facts.functions[fn].parent) {
        for (const auto& p : facts.functions[fn].params)  // plain names, not patterns
            if (!p.empty() && (std::isalpha(static_cast<unsigned char>(p[0])) || p[0] == '_' || p[0] == '$')) claims.push_back(p);
        for (const auto& op : facts.db_ops)
            if (op.function == fn && op.kind != DbOp::Kind::Write && op.call >= 0)
                rows.insert(rows.end(), facts.calls[op.call].assigned.begin(), facts.calls[op.call].assigned.end());
        if (fn == action) break;
    }
    auto claims_only = [&](const Guard& g) {
        if (claims.empty() || g.names.empty()) return false;
        bool claim = false;
        for (const auto& n : g.names) {
            if (contains(claims, n)) claim = true;
            else if (!contains(rows, n)) return false;
        }
        return claim;
    };
    auto tests_ineffective = [&](const Guard& g) {
        for (const Call* c : ineffective_calls) {
            if (c->start >= g.start && c->start < g.condition_end) return true;
            if (c->start < g.start)
                for (const auto& n : c->assigned)
                    if (contains(g.names, n)) return true;
        }
        return false;
    };
    for (const auto& g : facts.guards)
        if (g.function == f.function && (g.env_compare || (g.rejects && !claims_only(g))) && !tests_ineffective(g))
            events.push_back(Event::auth(g.start, g.throws,
                              g.env_compare ? check_at(AuthCheck::How::Secret, g.line, "a comparison with a secret from the environment")
                                            : check_at(AuthCheck::How::Guard, g.line, "an if that answers 401/403")));
    // A row found by several ids is a capability only when what the caller holds is then
    // compared with it (`if (!view || view.viewerId !== viewerId)`): found by ids anyone
    // can read in a URL and checked for existence only, it proves nothing.
    auto compared_further = [&](const DbOp& op) {
        if (op.call < 0) return false;
        const Call& c = facts.calls[op.call];
        for (const auto& g : facts.guards) {
            if (g.function != f.function || g.start <= c.start) continue;
            auto row = [&](const std::string& n) { return contains(c.assigned, n) || contains(c.derived, n); };
            if (std::any_of(g.names.begin(), g.names.end(), row) && !std::all_of(g.names.begin(), g.names.end(), row))
                return true;
        }
        return false;
    };
    for (int i = 0; i < static_cast<int>(facts.db_ops.size()); ++i) {
        const DbOp& op = facts.db_ops[i];
        if (op.function != f.function) continue;
        if (is_token_scoped(op) || (op.kind == DbOp::Kind::Read && is_id_capability(op) && compared_further(op))) {
            // A capability token: the caller proves access by holding a secret. A write keyed
            // by it changes nothing without it; a row found by it and checked authorizes
            // what follows (`if (!invite) return`: unsubscribe links, invitations, resets).
            if (op.kind == DbOp::Kind::Read && op.call >= 0 && !facts.calls[op.call].assigned.empty()) {
                calls_source = true;  // a helper returning the row is checked by its callers
                bool rejects = false;
                uint32_t at = checked_at(facts.calls[op.call], rejects);
                if (at != AuthSummary::kNever)
                    events.push_back(Event::auth(at, rejects,
                                      check_at(AuthCheck::How::Capability, op.range.start.line, op.describe())));
            }
            continue;
        }
        for (const auto& n : op.optional_filter)
            if (contains(unchecked_auth, n)) ineffective = true;
        if (op.kind == DbOp::Kind::Write || op.kind == DbOp::Kind::Raw)
            events.push_back(Event::access(op.start, Event::Kind::Write, {f.file, i}));
        else if (is_credential_lookup(op))
            events.push_back(Event::access(op.start, Event::Kind::Lookup, {f.file, i}));
        else if (is_owned_read(op))
            events.push_back(Event::access(op.start, Event::Kind::Read, {f.file, i}));
        else if (is_parent_list(op))
            events.push_back(Event::access(op.start, Event::Kind::ParentList, {f.file, i}));
    }
    // A callback handed to a wrapper that authenticates and passes it the outcome
    // (`withProjectAuth(async (user, db, project, error) => { if (error) return ...; ... })`,
    // called with an error when the caller is not signed in): a callback that leaves on
    // that parameter before it touches data is protected by the wrapper's check.
    auto wrapper_check = [&](int ci, int cb_index) -> AuthCheck {
        FunctionRef w = project_.callee_of(f.file, ci);
        if (!w || w == f || w.function == cb_index) return {};
        const Function& cb = facts.functions[cb_index];
        const Guard* first = nullptr;
        for (const auto& g : facts.guards)
            if (g.function == cb_index && (!first || g.start < first->start)) first = &g;
        if (!first || !std::any_of(first->names.begin(), first->names.end(),
                                   [&](const std::string& n) { return contains(cb.params, n); }))
            return {};
        for (const auto& op : facts.db_ops)
            if (op.function == cb_index && op.start < first->start) return {};
        compute(w);
        return function_check(w, 0);
    };
    for (int ci : project_.calls_in(f))
        for (const auto& arg : facts.calls[ci].args)
            if (arg.kind == ValueRef::Kind::Function && arg.function >= 0)
                if (AuthCheck check = wrapper_check(ci, arg.function); check.how != AuthCheck::How::None)
                    events.push_back(Event::auth(facts.calls[ci].start, true, check));
    // the same for a callback wrapped at module level: `export const getTags = withProjectAuth(cb)`
    if (int ci = module_wrapper_call_[f.file][f.function]; ci >= 0)
        if (AuthCheck check = wrapper_check(ci, f.function); check.how != AuthCheck::How::None)
            events.push_back(Event::auth(facts.functions[f.function].start, true, check));
    for (int n : project_.nested(f)) {
        if (facts.functions[n].use_server) continue;  // an entry point of its own
        FunctionRef nf{f.file, n};
        compute(nf);
        const AuthSummary& sn = summaries_[f.file][n];
        uint32_t at = facts.functions[n].start;
        if (sn.unprotected_write) events.push_back(Event::access(at, Event::Kind::Write, sn.unprotected_write));
        if (sn.unprotected_read) events.push_back(Event::access(at, Event::Kind::Read, sn.unprotected_read));
        if (sn.unprotected_parent_list) events.push_back(Event::access(at, Event::Kind::ParentList, sn.unprotected_parent_list));
    }

    // Pages Router handlers dispatch on the request method: an authentication inside one
    // method's branch protects only that branch.
    for (auto& e : events) {
        uint32_t best = UINT32_MAX;
        for (int bi = 0; bi < static_cast<int>(facts.branches.size()); ++bi) {
            const Branch& b = facts.branches[bi];
            if (b.function != f.function || b.methods.empty() || e.at < b.start || e.at >= b.end) continue;
            if (b.end - b.start < best) best = b.end - b.start, e.branch = bi;
        }
    }
    // Ties: an operation at the same place as an authentication (a call to a function
    // that does both) is reported by that function's own summary, so ops sort first.
    std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
        if (a.at != b.at) return a.at < b.at;
        return a.kind != Event::Kind::Auth && b.kind == Event::Kind::Auth;
    });
    AuthSummary s;
    std::vector<int> authenticated_branches;
    const auto& units = project_.units();
    for (const auto& e : events) {
        if (e.kind == Event::Kind::Lookup) {
            // The account looked up by the address the caller gives: the first step of a
            // sign-in, sign-up, reset or magic-link request.
            if (s.auth_at == AuthSummary::kNever) s.credential_lookup = true;
            continue;
        }
        // After such a lookup, writing its token or session is the rest of that flow.
        if (e.kind == Event::Kind::Write && s.credential_lookup &&
            is_credential_write(units[e.op.file].facts.db_ops[e.op.op]))
            continue;
        if (e.kind == Event::Kind::Auth) {
            s.any_auth = true;
            if (s.check.how == AuthCheck::How::None || (s.auth_at == AuthSummary::kNever && e.branch < 0))
                s.check = e.check;
            if (e.branch >= 0) {
                authenticated_branches.push_back(e.branch);
                continue;
            }
            if (s.auth_at == AuthSummary::kNever) s.auth_at = e.at;
            if (e.rejects) s.rejects = true;
        } else if (s.auth_at == AuthSummary::kNever &&
                   !(e.branch >= 0 && std::count(authenticated_branches.begin(), authenticated_branches.end(), e.branch))) {
            if (e.kind == Event::Kind::Write && !s.unprotected_write) s.unprotected_write = e.op;
            if (e.kind == Event::Kind::Read && !s.unprotected_read) s.unprotected_read = e.op;
            if (e.kind == Event::Kind::ParentList && !s.unprotected_parent_list) s.unprotected_parent_list = e.op;
        }
    }
    // Returning what an ineffective check returns passes it on.
    for (const Call* c : ineffective_calls) ineffective = ineffective || c->returned;
    s.ineffective = ineffective && s.auth_at == AuthSummary::kNever;
    s.source = calls_source && !s.rejects && !s.ineffective;
    summaries_[f.file][f.function] = s;
    state = 2;
    --depth_;
}

bool AuthModel::param_checked(FunctionRef g, int i, int depth) const {
    const Function& fn = project_.units()[g.file].facts.functions[g.function];
    if (std::find(fn.checked_params.begin(), fn.checked_params.end(), i) != fn.checked_params.end()) return true;
    // handed on to a function that checks it: `getImageUseCase(user, id)` calls
    // `assertGroupVisible(user, groupId)`, which throws without a user
    if (depth >= 4 || i < 0 || i >= static_cast<int>(fn.params.size())) return false;
    const auto& facts = project_.units()[g.file].facts;
    for (int ci : project_.calls_in(g)) {
        const Call& c = facts.calls[ci];
        for (size_t j = 0; j < c.args.size(); ++j) {
            if (c.args[j].kind != ValueRef::Kind::Identifier || c.args[j].name != fn.params[i]) continue;
            FunctionRef h = project_.callee_of(g.file, ci);
            if (h && !(h == g) && param_checked(h, static_cast<int>(j), depth + 1)) return true;
        }
    }
    return false;
}

AuthCheck AuthModel::function_check(FunctionRef f, int depth) const {
    if (!f || depth > 8) return {};
    if (summary(f).any_auth) return summary(f).check;
    for (int n : project_.nested(f))
        if (AuthCheck c = function_check({f.file, n}, depth + 1); c.how != AuthCheck::How::None) return c;
    // Handing an authenticating function to another one: `withMiddleware(handler, authMiddleware)`.
    const auto& facts = project_.units()[f.file].facts;
    for (int ci : project_.calls_in(f))
        for (const auto& arg : facts.calls[ci].args) {
            if (arg.kind != ValueRef::Kind::Identifier) continue;
            FunctionRef g = project_.resolve_function(f.file, arg);
            if (g && !(g == f) && summary(g).any_auth) return summary(g).check;
        }
    return {};
}

bool AuthModel::chain_authenticates(int file, const ValueRef& v, EntryAuth& out, int depth, bool definition) const {
    if (depth > 16 || file < 0) return false;
    if (v.kind == ValueRef::Kind::Identifier) {
        auto [bf, b] = project_.resolve_binding(file, v.name);
        return b && chain_authenticates(bf, b->value, out, depth + 1, definition);
    }
    if (v.kind != ValueRef::Kind::Call) return false;
    // A library wrapper that verifies its caller: `serve(...)` of @upstash/workflow,
    // `verifySignatureAppRouter(handler)` of QStash.
    if (!v.name.empty() && v.name.find('.') == std::string::npos) {
        if (project_.import_of(file, v.name)) {
            for (const auto& lib : knowledge_.libraries)
                for (const auto* list : {&lib.auth, &lib.webhook})
                    for (const auto& p : *list)
                        if (p.form == CallPattern::Form::Function && p.throws && from_library(file, v.name, p.name, p.from)) {
                            out.detail = v.name;
                            out.check = {list == &lib.webhook ? AuthCheck::How::Signature : AuthCheck::How::Call, file, 0,
                                         v.name};
                            return true;
                        }
        }
    }
    // A wrapper: `withAuth(handler)` authenticates when its own code does. A function that
    // makes the builder (`const p = scopedProcedure("x")`, returning `authed.use(...)`)
    // authenticates when what it returns does.
    if (!v.name.empty() && v.name[0] != '.' && v.method != "use") {
        FunctionRef w = project_.resolve_callee(file, v.name);
        if (w) {
            if (AuthCheck c = function_check(w, 0); c.how != AuthCheck::How::None) {
                out.detail = v.name;
                out.check = std::move(c);
                return true;
            }
            for (const auto& r : project_.units()[w.file].facts.functions[w.function].returns)
                if (chain_authenticates(w.file, r, out, depth + 1)) return true;
        }
    }
    // A builder's middleware: `client.use(fn)`, `t.procedure.use(isAuthed)`. In the
    // definition of a builder that actions start from, a function handed to any of its
    // methods runs before each action (zsa: `createServerActionProcedure().handler(fn)`).
    if (v.method == "use" || definition) {
        for (const auto& arg : v.args) {
            FunctionRef m = project_.resolve_function(file, arg);
            if (!m) continue;
            if (AuthCheck c = function_check(m, 0); c.how != AuthCheck::How::None) {
                out.detail = v.name.empty() || v.name[0] == '.' ? v.root : v.name;
                out.check = std::move(c);
                return true;
            }
        }
    }
    for (const auto& arg : v.args) {
        if (arg.kind == ValueRef::Kind::Call && chain_authenticates(file, arg, out, depth + 1)) return true;
        // a parent builder: `createServerActionProcedure(authedProcedure)`
        if (definition && arg.kind == ValueRef::Kind::Identifier && !project_.resolve_function(file, arg) &&
            chain_authenticates(file, arg, out, depth + 1, true))
            return true;
        // a table of handlers: `withMiddlewares({ GET: createAuthedRoute({ fn }) })`
        if (arg.kind == ValueRef::Kind::Object)
            for (const auto& member : arg.args)
                if (member.kind == ValueRef::Kind::Call && chain_authenticates(file, member, out, depth + 1)) return true;
    }
    for (const auto& r : v.receiver)
        if (chain_authenticates(file, r, out, depth + 1, definition)) return true;
    // The start of a builder chain: `authActionClient.inputSchema(s).action(fn)`.
    if (v.receiver.empty() && !v.root.empty() && v.name.find('.') != std::string::npos) {
        auto [bf, b] = project_.resolve_binding(file, v.root);
        if (b && chain_authenticates(bf, b->value, out, depth + 1, true)) {
            out.detail = v.root;  // the builder the entry point starts from
            return true;
        }
    }
    return false;
}

bool AuthModel::protect_call_covers(FunctionRef f, const Call& call, std::string_view url) const {
    // Inside `if (isProtectedRoute(req))` / `if (!isPublicRoute(req))`, where the matcher is
    // `createRouteMatcher([...patterns])`: only the routes those patterns select.
    const auto& facts = project_.units()[f.file].facts;
    const Branch* innermost = nullptr;
    for (const auto& b : facts.branches)
        if (b.function == f.function && !b.registered && call.start >= b.start && call.start < b.end &&
            (!innermost || b.end - b.start < innermost->end - innermost->start))
            innermost = &b;
    if (!innermost || innermost->condition_calls.empty()) return true;
    auto [bf, binding] = project_.resolve_binding(f.file, innermost->condition_calls.front());
    if (!binding || binding->value.kind != ValueRef::Kind::Call || binding->value.args.empty() ||
        binding->value.args[0].kind != ValueRef::Kind::Strings)
        return false;  // a condition we cannot read: no credit
    MiddlewareMatcher patterns(binding->value.args[0].strings);
    if (!innermost->negated) return patterns.covers(url);
    for (const auto& u : representative_urls(url))
        if (patterns.matches(u)) return false;
    return true;
}

bool AuthModel::middleware_covers(const EntryPoint& mw, std::string_view url) const {
    if (!MiddlewareMatcher(mw.matchers).covers(url)) return false;
    for (const auto& lib : knowledge_.libraries) {
        for (const auto& p : lib.middleware) {
            if (!p.reexport.empty() && mw.reexport_from == p.reexport) return true;
            if (p.function.empty() || !mw.value || mw.value->kind != ValueRef::Kind::Call) continue;
            if (!from_library(mw.value_file, mw.value->name, p.function, p.from)) continue;
            if (p.when.empty()) return true;
            // Only where its callback calls one of `when` (Clerk: auth.protect()).
            for (const auto& arg : mw.value->args) {
                FunctionRef cb = project_.resolve_function(mw.value_file, arg);
                if (!cb) continue;
                std::vector<FunctionRef> todo{cb};
                while (!todo.empty()) {
                    FunctionRef cur = todo.back();
                    todo.pop_back();
                    for (int ci : project_.calls_in(cur)) {
                        const Call& c = project_.units()[cur.file].facts.calls[ci];
                        for (const auto& w : p.when)
                            if (names_member(c.loose, w) && protect_call_covers(cur, c, url))
                                return true;
                    }
                    for (int n : project_.nested(cur)) todo.push_back({cur.file, n});
                }
            }
            return false;
        }
    }
    return mw.handler && function_authenticates(mw.handler, 0);
}

namespace {

/// `requestMagicLink`, `sendPasswordResetEmail`, `signInWithEmail`: a camel-case name with
/// the words of an auth flow in it (only unambiguous ones: not `public` or `status`).
bool names_auth_flow(std::string_view name) {
    std::vector<std::string> words;
    std::string cur;
    for (size_t i = 0; i < name.size(); ++i) {
        char c = name[i];
        bool upper = std::isupper(static_cast<unsigned char>(c));
        if (!std::isalnum(static_cast<unsigned char>(c)) || (upper && !cur.empty())) {
            if (!cur.empty()) words.push_back(cur);
            cur.clear();
        }
        if (std::isalnum(static_cast<unsigned char>(c))) cur += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (!cur.empty()) words.push_back(cur);
    static const char* flows[] = {"signin", "signup", "login", "logout", "signout", "register", "forgotpassword",
                                  "resetpassword", "passwordreset", "magiclink", "verifyemail", "confirmemail",
                                  "createaccount", "forgot", "oauth"};
    auto is_flow = [](const std::string& w) {
        return std::any_of(std::begin(flows), std::end(flows), [&](const char* f) { return w == f; });
    };
    for (size_t i = 0; i < words.size(); ++i)
        if (is_flow(words[i]) || (i + 1 < words.size() && is_flow(words[i] + words[i + 1]))) return true;
    return false;
}

}  // namespace

bool AuthModel::public_by_design(const EntryPoint& entry, std::string& detail) {
    static const char* public_names[] = {"signin", "signup", "login", "logout", "signout", "register",
                                         "forgotpassword", "resetpassword", "requestpasswordreset", "passwordreset", "forgot",
                                         "verifyemail", "verify", "callback", "oauth", "nextauth", "health",
                                         "healthz", "healthcheck", "status", "ping", "magiclink", "sendmagiclink",
                                         "createaccount", "confirmemail", "newpassword", "auth", "share", "public"};
    auto is_public = [](std::string_view segment) {
        // the whole segment (`sign-in`), or one of its words (`mobile-auth`, `oauth_callback`)
        auto matches = [](std::string_view word) {
            std::string w = lower_alnum(word);
            for (const char* p : public_names)
                if (w == p) return true;
            return false;
        };
        if (matches(segment)) return true;
        size_t start = 0;
        while (start <= segment.size()) {
            size_t sep = segment.find_first_of("-_", start);
            if (sep == std::string_view::npos) sep = segment.size();
            if (sep > start && sep - start < segment.size() && matches(segment.substr(start, sep - start))) return true;
            start = sep + 1;
        }
        return false;
    };
    if (!entry.url.empty()) {
        size_t start = 0;
        std::string_view url = entry.url;
        while (start < url.size()) {
            size_t slash = url.find('/', start);
            if (slash == std::string_view::npos) slash = url.size();
            std::string_view seg = url.substr(start, slash - start);
            if (!seg.empty() && seg.front() == '[') seg = seg.substr(seg.find_first_not_of("[."));
            if (is_public(seg)) {
                detail = std::string(seg);
                return true;
            }
            start = slash + 1;
        }
    }
    if ((entry.kind == EntryPoint::Kind::ServerAction || entry.kind == EntryPoint::Kind::Procedure) &&
        (is_public(entry.name) || names_auth_flow(entry.name))) {
        detail = entry.name;
        return true;
    }
    return false;
}

EntryAuth AuthModel::entry_auth(const EntryPoint& entry) const {
    EntryAuth a;
    // A Server Action in an OAuth folder (`lib/api/oauth/actions.ts`) serves the OAuth
    // flow. (Not `(login)/` or `(auth)/`: templates keep account actions there too.)
    if (entry.kind == EntryPoint::Kind::ServerAction) {
        std::string_view rel = project_.units()[entry.file].facts.rel;
        for (size_t start = 0, slash; (slash = rel.find('/', start)) != std::string_view::npos; start = slash + 1) {
            std::string_view dir = rel.substr(start, slash - start);
            if (dir == "oauth" || dir == "(oauth)") {
                a.by = EntryAuth::By::PublicByDesign;
                a.detail = std::string(dir);
                return a;
            }
        }
    }
    if (public_by_design(entry, a.detail)) {
        a.by = EntryAuth::By::PublicByDesign;
        return a;
    }
    if (entry.value && chain_authenticates(entry.value_file, *entry.value, a, 0)) {
        a.by = entry.kind == EntryPoint::Kind::ServerAction || entry.kind == EntryPoint::Kind::Procedure
                   ? EntryAuth::By::Builder
                   : EntryAuth::By::Wrapper;
        return a;
    }
    if (entry.kind == EntryPoint::Kind::Route || entry.kind == EntryPoint::Kind::ApiRoute) {
        const auto& units = project_.units();
        for (const auto& mw : project_.entry_points()) {
            if (mw.kind != EntryPoint::Kind::Middleware || units[mw.file].app_dir != units[entry.file].app_dir) continue;
            if (!middleware_covers(mw, entry.url)) continue;
            a.by = EntryAuth::By::Middleware;
            a.detail = units[mw.file].facts.rel;
            a.check = mw.handler ? function_check(mw.handler, 0) : AuthCheck{};
            if (a.check.how == AuthCheck::How::None) a.check = {AuthCheck::How::Call, mw.file, mw.range.start.line, a.detail};
            return a;
        }
    }
    if (entry.handler && summary(entry.handler).auth_at != AuthSummary::kNever) {
        a.by = EntryAuth::By::Handler;
        a.check = summary(entry.handler).check;
    }
    return a;
}

}  // namespace nextguard::analysis
