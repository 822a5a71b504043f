#include <algorithm>
#include <map>
#include <set>

#include "rules/common.hpp"

namespace nextguard::rules {

namespace {

using analysis::DbOp;

std::string hint(const DbOp& q) {
    if (q.style == "prisma" || q.style == "typeorm") return "add `take` (and `skip` or `cursor`)";
    if (q.style == "drizzle" && (q.method == "findMany")) return "add `limit` (and `offset`)";
    if (q.style == "supabase") return "add `.range(from, to)` or `.limit(n)`";
    return "add `.limit(n)` (and an offset or a cursor)";
}

/// Whether `call` returns what the function it is handed returns: a database transaction
/// (`db.transaction(fn)`, `prisma.$transaction(fn)`), or a project function that returns
/// the result of calling one of its parameters (`withRLS(userId, fn)` whose body returns
/// `await db.transaction(async (tx) => { ...; return callback(tx) })`).
bool returns_callback_result(const analysis::Project& project, int file, int call_index) {
    const analysis::Call& call = project.units()[file].facts.calls[call_index];
    analysis::FunctionRef g = project.callee_of(file, call_index);
    if (!g) {
        std::string_view callee = call.callee;
        std::string_view last = callee.substr(callee.rfind('.') + 1);
        for (const auto& lib : project.knowledge().libraries)
            if (lib.has_database && lib.database.transaction.count(last)) return true;
        return false;
    }
    const auto& params = project.units()[g.file].facts.functions[g.function].params;
    std::vector<analysis::FunctionRef> todo{g};
    for (size_t i = 0; i < todo.size() && i < 16; ++i) {
        const auto& calls = project.units()[todo[i].file].facts.calls;
        for (int ci : project.calls_in(todo[i]))
            if (calls[ci].returned && std::find(params.begin(), params.end(), calls[ci].callee) != params.end())
                return true;
        for (int n : project.nested(todo[i])) todo.push_back({todo[i].file, n});
    }
    return false;
}

/// unpaginated-query: a list query with no bound, reached from an entry point.
class UnpaginatedQuery final : public Rule {
public:
    std::string_view id() const override { return "unpaginated-query"; }

    void check(const analysis::Project& project, std::vector<Finding>& out) const override {
        // One finding per query, attributed to the first entry point (in declaration order)
        // that reaches it; further entry points become related locations.
        struct Hit {
            const analysis::EntryPoint* entry;
            std::vector<const analysis::EntryPoint*> others;
        };
        std::map<std::pair<int, size_t>, Hit> hits;
        std::map<std::pair<int, int>, bool> passes_result;  // returns_callback_result, per call
        for (const auto& entry : project.entry_points()) {
            if (!entry.reported()) continue;
            // Scheduled jobs and webhooks answer a machine, not a client paging through rows.
            if (machine_caller(entry.url)) continue;
            auto reachable = project.reachable(entry);
            // Functions whose return value reaches the client: the handler, and what a
            // delivering function returns or any reached function sends in a response.
            std::set<analysis::FunctionRef> delivering;
            std::vector<analysis::FunctionRef> todo{entry.handler};
            for (const auto& fn : reachable) {
                const auto& calls = project.units()[fn.file].facts.calls;
                for (int ci : project.calls_in(fn))
                    if (calls[ci].responded)
                        if (auto g = project.callee_of(fn.file, ci)) todo.push_back(g);
            }
            while (!todo.empty()) {
                auto f = todo.back();
                todo.pop_back();
                if (!f || !delivering.insert(f).second) continue;
                const auto& calls = project.units()[f.file].facts.calls;
                for (int ci : project.calls_in(f)) {
                    if (!calls[ci].returned) continue;
                    if (auto g = project.callee_of(f.file, ci)) todo.push_back(g);
                    // a callback whose result the call returns: `return db.transaction(async
                    // (tx) => ...)`, `return withTenant(id, async (tx) => tx.select()...)`
                    auto [memo, fresh] = passes_result.try_emplace({f.file, ci}, false);
                    if (fresh) memo->second = returns_callback_result(project, f.file, ci);
                    if (!memo->second) continue;
                    for (const auto& arg : calls[ci].args)
                        if (arg.kind == analysis::ValueRef::Kind::Function)
                            if (auto g = project.resolve_function(f.file, arg)) todo.push_back(g);
                }
            }
            for (const auto& fn : reachable) {
                const auto& facts = project.units()[fn.file].facts;
                for (size_t qi = 0; qi < facts.db_ops.size(); ++qi) {
                    const auto& q = facts.db_ops[qi];
                    if (q.function != fn.function || q.kind != DbOp::Kind::List || q.bound != DbOp::Bound::None)
                        continue;
                    // Only lists that reach the client: a list used for a fan-out or a bulk
                    // update is bounded by what the code does with it.
                    if (q.call < 0) continue;
                    const auto& c = facts.calls[q.call];  // where the query's result goes
                    if (!c.responded && !(c.returned && delivering.count(fn))) continue;
                    auto [it, fresh] = hits.try_emplace({fn.file, qi}, Hit{&entry, {}});
                    if (!fresh && it->second.entry != &entry) it->second.others.push_back(&entry);
                }
            }
        }
        for (const auto& [key, hit] : hits) {
            const auto& facts = project.units()[key.first].facts;
            const auto& q = facts.db_ops[key.second];
            Finding f;
            f.location.file = facts.rel;
            f.location.range = q.range;
            EntryRef ref = project.entry_ref(*hit.entry);
            f.message = q.describe() + " returns every matching row to " + ref.label() + " with no limit; " + hint(q);
            f.statement = q.statement;
            for (const auto* other : hit.others) {
                f.also.push_back(project.entry_ref(*other));
                f.related.push_back({project.units()[other->file].facts.rel, other->range,
                                     "also reached from " + f.also.back().label()});
            }
            f.entry = std::move(ref);
            out.push_back(std::move(f));
        }
    }
};

}  // namespace

const Rule& unpaginated_query() { return the_rule<UnpaginatedQuery>(); }

}  // namespace nextguard::rules
