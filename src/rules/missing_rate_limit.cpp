#include <map>
#include <set>

#include "analysis/auth.hpp"
#include "analysis/matcher.hpp"
#include "rules/common.hpp"

namespace nextguard::rules {

namespace {

using analysis::Call;
using analysis::CallPattern;
using analysis::EntryPoint;
using analysis::FunctionRef;
using analysis::Project;
using analysis::ValueRef;

constexpr std::string_view kId = "missing-rate-limit";

/// A call `p` names in `file`: a function imported from its library, or a method
/// (Project::calls_method).
bool calls(const Project& project, int file, const Call& c, const CallPattern& p) {
    if (p.form == CallPattern::Form::Method) return project.calls_method(file, c, p);
    return analysis::calls_pattern(p, c.loose, project.units()[file].facts.imports);
}

/// Functions the entry's exported expression runs around its handler: wrappers
/// (`withRateLimit(opts, handler)`), builder middleware (`procedure.use(fn)`), the start of
/// a builder chain (`limitedProcedure.input(s).mutation(fn)`).
void chain_functions(const Project& project, int file, const ValueRef& v, std::vector<FunctionRef>& out, int depth = 0) {
    if (depth > 12 || file < 0) return;
    if (v.kind == ValueRef::Kind::Identifier) {
        auto [bf, b] = project.resolve_binding(file, v.name);
        if (b) chain_functions(project, bf, b->value, out, depth + 1);
        return;
    }
    if (v.kind != ValueRef::Kind::Call) return;
    if (!v.name.empty() && v.name[0] != '.')
        if (FunctionRef w = project.resolve_callee(file, v.name)) out.push_back(w);
    for (const auto& a : v.args) {
        if (a.kind == ValueRef::Kind::Call) chain_functions(project, file, a, out, depth + 1);
        if (v.method == "use")
            if (FunctionRef m = project.resolve_function(file, a)) out.push_back(m);
    }
    for (const auto& r : v.receiver) chain_functions(project, file, r, out, depth + 1);
    if (v.receiver.empty() && !v.root.empty() && v.name.find('.') != std::string::npos) {
        auto [bf, b] = project.resolve_binding(file, v.root);
        if (b) chain_functions(project, bf, b->value, out, depth + 1);
    }
}

/// `from` and every function it runs or calls.
void closure(const Project& project, std::vector<FunctionRef> work, std::set<FunctionRef>& seen) {
    while (!work.empty()) {
        FunctionRef f = work.back();
        work.pop_back();
        if (!f || seen.size() > 4000 || !seen.insert(f).second) continue;
        for (int n : project.nested(f)) work.push_back({f.file, n});
        for (int ci : project.calls_in(f))
            if (FunctionRef g = project.callee_of(f.file, ci)) work.push_back(g);
    }
}

/// True when `f` limits the rate of requests: a limiter from knowledge, a counter kept in
/// Redis (`incr`, `zcard`), or an `if` whose exit answers 429 / "Too many requests".
bool limits(const Project& project, FunctionRef f) {
    const auto& facts = project.units()[f.file].facts;
    for (const auto& g : facts.guards)
        if (g.function == f.function && g.throttles) return true;
    for (int ci : project.calls_in(f)) {
        const Call& c = facts.calls[ci];
        std::string_view loose = c.loose;
        std::string_view last = loose.substr(loose.rfind('.') == std::string_view::npos ? 0 : loose.rfind('.') + 1);
        if (c.loose.find('.') != std::string::npos &&
            (last == "incr" || last == "incrby" || last == "incrBy" || last == "zcard" || last == "zcount"))
            return true;
        for (const auto& lib : project.knowledge().libraries)
            for (const auto& p : lib.limiters)
                if (calls(project, f.file, c, p)) return true;
    }
    return false;
}

/// missing-rate-limit: an entry point that makes a costly call (an LLM, an email, an SMS,
/// a password check, a sign-in) with no rate limiting on its path.
class MissingRateLimit final : public Rule {
public:
    std::string_view id() const override { return kId; }

    /// Whether what runs around `entry` (wrappers, builder middleware, middleware.ts
    /// covering it) limits, with `path` holding its own code.
    /// `memo` keeps what `limits` said of each function (entry points share most code).
    static bool limited(const Project& project, const EntryPoint& entry, std::set<FunctionRef> path,
                        const std::vector<const EntryPoint*>& middleware, std::map<FunctionRef, bool>& memo) {
        std::vector<FunctionRef> extra;
        if (entry.value) chain_functions(project, entry.value_file, *entry.value, extra);
        for (const auto* mw : middleware)
            if (!entry.url.empty() && analysis::MiddlewareMatcher(mw->matchers).covers(entry.url))
                extra.push_back(mw->handler);
        closure(project, extra, path);
        for (const auto& fn : path)
            if (auto [it, fresh] = memo.try_emplace(fn, false); fresh ? (it->second = limits(project, fn)) : it->second)
                return true;
        return false;
    }

    void check(const Project& project, std::vector<Finding>& out) const override {
        std::vector<const EntryPoint*> middleware, dispatchers;
        // a route mounting a router: a dispatcher, or one whose module makes a dispatcher
        // call (knowledge "dispatchers") at module level (`const h = createNextApiHandler(...)`)
        auto mounts = [&](const EntryPoint& e) {
            if (!e.dispatches.empty()) return true;
            const auto& facts = project.units()[e.file].facts;
            for (const auto& c : facts.calls)
                for (const auto& lib : project.knowledge().libraries)
                    for (const auto& p : lib.dispatchers)
                        if (analysis::calls_pattern(p, c.loose, facts.imports)) return true;
            return false;
        };
        for (const auto& e : project.entry_points()) {
            if (e.kind == EntryPoint::Kind::Middleware && e.handler) middleware.push_back(&e);
            else if (e.kind != EntryPoint::Kind::Procedure && mounts(e)) dispatchers.push_back(&e);
        }
        // tRPC procedures run behind the routes that mount their router: when every such
        // route is limited (`export default withRateLimit(createNextApiHandler(...))`), so are they.
        std::map<FunctionRef, bool> memo;
        bool mounts_limited = !dispatchers.empty();
        for (const auto* d : dispatchers) {
            auto own = project.reachable(*d);
            mounts_limited = mounts_limited && limited(project, *d, {own.begin(), own.end()}, middleware, memo);
        }
        const analysis::AuthModel& auth = project.auth();
        OnePerKey<std::pair<int, int>> once(out);
        for (const auto& entry : project.entry_points()) {
            if (!entry.reported() || machine_caller(entry.url)) continue;
            if (entry.kind == EntryPoint::Kind::Procedure && mounts_limited) continue;
            auto reachable = project.reachable(entry);
            // the first costly call on the path
            const Call* costly = nullptr;
            std::string kind;
            FunctionRef at;
            int call_index = -1;
            for (const auto& fn : reachable) {
                const auto& facts = project.units()[fn.file].facts;
                for (int ci : project.calls_in(fn)) {
                    for (const auto& lib : project.knowledge().libraries)
                        for (const auto& s : lib.costly)
                            if (!costly && calls(project, fn.file, facts.calls[ci], s.call)) {
                                costly = &facts.calls[ci];
                                kind = s.kind;
                                at = fn;
                                call_index = ci;
                            }
                }
            }
            if (!costly) continue;
            // Callers holding a shared secret or a signature are the app's own jobs and
            // providers (an internal API key, a signed webhook), not clients.
            auto how = auth.entry_auth(entry).check.how;
            if (how == analysis::AuthCheck::How::Secret || how == analysis::AuthCheck::How::Signature) continue;
            // what runs on the path: the handler's code, its wrappers and builder
            // middleware, and middleware.ts when its matcher covers the route
            if (limited(project, entry, {reachable.begin(), reachable.end()}, middleware, memo)) continue;
            EntryRef ref = project.entry_ref(entry);
            if (once.seen({at.file, call_index}, ref, entry.range)) continue;
            Finding f;
            const auto& facts = project.units()[at.file].facts;
            f.location.file = facts.rel;
            f.location.range.start.line = f.location.range.end.line = costly->line;
            std::string callee = costly->loose.empty() ? costly->callee : costly->loose;
            bool an = std::string_view("aeiouAEIOU").find(kind[0]) != std::string_view::npos || kind.starts_with("LLM") ||
                      kind.starts_with("SMS");
            f.message = ref.label() + " makes " + (an ? "an " : "a ") + kind + " (`" + callee +
                        "`) on every request, and nothing on its path limits how often: " +
                        "one client can run up the bill, flood inboxes or guess passwords. Add a limiter keyed by "
                        "user or IP (`@upstash/ratelimit`, `rate-limiter-flexible`) and answer 429 over the limit";
            f.statement = callee;
            f.entry = std::move(ref);
            out.push_back(std::move(f));
        }
    }
};

}  // namespace

const Rule& missing_rate_limit() { return the_rule<MissingRateLimit>(); }

}  // namespace nextguard::rules
