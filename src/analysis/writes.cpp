#include "analysis/writes.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>

#include "analysis/node_util.hpp"

namespace nextguard::analysis {

namespace {

constexpr int kMaxDepth = 200;

struct WriteEvent {
    uint32_t at;          ///< position in the function's file
    OpRef first;          ///< the (first) write this event stands for
    OpRef second;         ///< a non-atomic pair already inside it (a callee's own)
    OpRef second_after;
    bool repeated;        ///< runs per item (loop body, `.map` callback)
    /// A conditional batch write whose count the code tests with an exit before going on
    /// (a claim, a lease, a consumed token, or a fallback): where that test is.
    uint32_t gated_at = UINT32_MAX;
};

bool inside(uint32_t at, uint32_t b, uint32_t e) { return at >= b && at < e; }

/// A table of records about other rows (`activityLog`, `ruleHistory`, `audit_entries`,
/// `notifications`): a history entry or a notice that fails to land leaves no business
/// data half-changed.
bool is_log_model(std::string_view model) {
    for (std::string_view suffix : {"Log", "Logs", "History", "Histories", "_log", "_logs", "_history", "_histories"})
        if (model.size() > suffix.size() && model.ends_with(suffix)) return true;
    std::string l = lower(model);
    if (auto dot = l.rfind('.'); dot != std::string::npos) l.erase(0, dot + 1);  // `Db.notifications`
    return l == "log" || l == "logs" || l == "history" || l.starts_with("audit") || l.ends_with("notification") ||
           l.ends_with("notifications");
}

/// A write whose result says how many rows it changed: Prisma's batch writes, SQL
/// builders' update and delete.
bool counts_rows(const DbOp& op) {
    return op.method == "updateMany" || op.method == "deleteMany" || op.method == "updateManyAndReturn" ||
           ((op.style == "drizzle" || op.style == "kysely") && (op.method == "update" || op.method == "delete"));
}

/// A counted write whose success is a condition: a delete (consuming a token, clearing
/// what is left), or an update whose filter tests a field it sets (`where: { status:
/// "pending" }, data: { status: "running" }`: a claim). When the code tests that count
/// and leaves on failure, what follows is a state machine, not a second half of one change.
bool claims(const DbOp& op) {
    if (!counts_rows(op)) return false;
    if (op.method.starts_with("delete")) return true;
    return std::any_of(op.data_keys.begin(), op.data_keys.end(), [&](const std::string& k) {
        return std::find(op.filter_keys.begin(), op.filter_keys.end(), k) != op.filter_keys.end();
    });
}

/// Bookkeeping: a write that only records when something last ran or was checked
/// (`{ lastSyncedAt: new Date() }`, `{ metricsLastCheckedAt }`).
bool stamps_time(const DbOp& op) {
    if (op.data_keys.empty()) return false;
    for (const auto& k : op.data_keys) {
        std::string l = lower(k);
        bool stamp = l.ends_with("at") && (l.find("last") != std::string::npos || l.ends_with("syncedat") ||
                                           l.ends_with("checkedat"));
        if (!stamp) return false;
    }
    return true;
}

/// An error recorded on a row (`data: { errorMessages }`, `{ lastError, errorCount }`): a
/// status note about something that failed, not part of a change.
bool records_error(const DbOp& op) {
    if (op.data_keys.empty()) return false;
    for (const auto& k : op.data_keys)
        if (lower(k).find("error") == std::string::npos) return false;
    return true;
}

/// A refreshed OAuth token saved (`data: { accessToken, refreshToken, expiresAt }`): a
/// credential that is valid on its own, whatever else the request writes.
bool saves_tokens(const DbOp& op) {
    bool token = false;
    for (const auto& k : op.data_keys) {
        std::string l = lower(k);
        bool is_token = l.find("token") != std::string::npos;
        token = token || is_token;
        if (!is_token && l.find("expire") == std::string::npos && l.find("expiry") == std::string::npos &&
            l != "scope")
            return false;
    }
    return token;
}

/// A function named as a sync or refresh of state kept elsewhere (`syncSubscription`,
/// `refreshStripeCache`, `billingSync`).
bool mirrors(std::string_view name) {
    for (std::string_view w : {"sync", "refresh"})
        if (name.starts_with(w)) return true;
    for (std::string_view w : {"Sync", "Refresh"})
        if (name.find(w) != std::string_view::npos) return true;
    return false;
}

/// A function named as a getter (`getStripeAccount`, `fetchProfile`, `loadSettings`).
bool getter(std::string_view name) {
    for (std::string_view w : {"get", "fetch", "load", "retrieve"})
        if (name.starts_with(w) && name.size() > w.size() && std::isupper(static_cast<unsigned char>(name[w.size()])))
            return true;
    return false;
}

}  // namespace

bool WriteModel::runs_in_transaction(FunctionRef w, int depth) const {
    if (depth > 3) return false;
    const auto& facts = project_.units()[w.file].facts;
    const auto& params = facts.functions[w.function].params;
    // A function parameter handed to a transaction call (`db.transaction(fn)`, also from a
    // closure: `retry(() => db.transaction(fn))`) or to another such wrapper, or called in
    // a transaction's callback.
    std::vector<int> calls = project_.calls_in(w);
    for (int n : project_.nested(w))
        for (int ci : project_.calls_in({w.file, n})) calls.push_back(ci);
    for (int ci : calls) {
        const Call& c = facts.calls[ci];
        // a parameter called inside a transaction's callback: `db.transaction(async (tx) => {
        // ...; return callback(tx) })`
        if (std::find(params.begin(), params.end(), c.callee) != params.end() &&
            std::any_of(facts.transactions.begin(), facts.transactions.end(),
                        [&](const auto& t) { return c.start > t.first && c.start < t.second; }))
            return true;
        bool transaction = std::any_of(facts.transactions.begin(), facts.transactions.end(),
                                       [&](const auto& t) { return t.first == c.start; });
        FunctionRef inner = transaction ? FunctionRef{} : project_.callee_of(w.file, ci);
        if (!transaction && !(inner && !(inner == w) && runs_in_transaction(inner, depth + 1))) continue;
        for (const auto& arg : c.args)
            if (arg.kind == ValueRef::Kind::Identifier && std::find(params.begin(), params.end(), arg.name) != params.end())
                return true;
    }
    return false;
}

WriteModel::WriteModel(const Project& project) : project_(project) {
    const auto& units = project.units();
    summaries_.resize(units.size());
    state_.resize(units.size());
    for (size_t u = 0; u < units.size(); ++u) {
        summaries_[u].resize(units[u].facts.functions.size());
        state_[u].resize(units[u].facts.functions.size(), 0);
    }
    for (size_t u = 0; u < units.size(); ++u)
        for (size_t f = 0; f < units[u].facts.functions.size(); ++f) compute({static_cast<int>(u), static_cast<int>(f)});
}

void WriteModel::compute(FunctionRef f) {
    auto& state = state_[f.file][f.function];
    if (state != 0 || depth_ >= kMaxDepth) return;
    ++depth_;
    state = 1;
    const auto& facts = project_.units()[f.file].facts;
    auto in_transaction = [&](uint32_t at) {
        return std::any_of(facts.transactions.begin(), facts.transactions.end(),
                           [&](const auto& t) { return inside(at, t.first, t.second); });
    };
    auto in_loop = [&](uint32_t at) {
        return std::any_of(facts.loops.begin(), facts.loops.end(), [&](const Loop& l) {
            return l.function == f.function && inside(at, l.start, l.end);
        });
    };

    // `const r = await x.updateMany(...); if (r.count === 0) return;`: the first guard after
    // `op` that tests its result (not an error bound beside it), or nullptr.
    auto result_test = [&](const DbOp& op) -> const Guard* {
        if (op.call < 0) return nullptr;
        std::vector<std::string_view> names;
        for (const auto& n : facts.calls[op.call].assigned)
            if (n != "error" && n != "err") names.push_back(n);
        const Guard* best = nullptr;
        for (const Guard& g : facts.guards)
            if (g.function == f.function && g.start > op.start && (!best || g.start < best->start) &&
                std::any_of(g.names.begin(), g.names.end(), [&](const std::string& n) {
                    return std::find(names.begin(), names.end(), n) != names.end();
                }))
                best = &g;
        return best;
    };

    // `const found = await db.x.findFirst(...); if (found) return found; ... db.x.create(...)`:
    // the create of a get-or-create, whose row the next try finds.
    auto creates_missing = [&](const DbOp& op) {
        if (!op.method.starts_with("create") && op.method != "insert") return false;
        return std::any_of(facts.db_ops.begin(), facts.db_ops.end(), [&](const DbOp& read) {
            if (read.function != f.function || read.kind != DbOp::Kind::Read || read.model != op.model ||
                read.start >= op.start)
                return false;
            const Guard* g = result_test(read);
            return g && g->truthy && g->returns_tested && g->start < op.start;
        });
    };

    // A callback handed its transaction (`async (tx) => { await tx.insert(a); await
    // tx.insert(b) }`), whoever runs it: its writes through that handle are one atomic write.
    const auto& params = facts.functions[f.function].params;
    auto tx_param = std::find_if(params.begin(), params.end(), [](const std::string& p) { return p == "tx" || p == "trx"; });
    bool tx_write_seen = false;

    std::vector<WriteEvent> events;
    for (int i = 0; i < static_cast<int>(facts.db_ops.size()); ++i) {
        const DbOp& op = facts.db_ops[i];
        if (op.function != f.function || op.kind != DbOp::Kind::Write || op.idempotent || op.best_effort) continue;
        if (tx_param != params.end() && !op.in_transaction && op.client == *tx_param) {
            if (tx_write_seen) continue;
            tx_write_seen = true;
        }
        if (op.deferred) {
            // A batch run concurrently (`Promise.all(writes)`) is as many writes; one handed
            // to a transaction is atomic (shown by the transaction below); otherwise unknown.
            for (const auto& run : facts.batch_runs)
                if (run.function == f.function && run.name == op.batch && !run.atomic && !op.batch.empty())
                    events.push_back({run.at, {f.file, i}, {}, {}, in_loop(run.at)});
            continue;
        }
        if (op.in_transaction || is_log_model(op.model) || saves_tokens(op) || stamps_time(op) || records_error(op) ||
            creates_missing(op))
            continue;
        // a write per item with its own error handling treats items independently
        events.push_back({op.start, {f.file, i}, {}, {}, in_loop(op.start) && !op.in_try});
        // A claim tested before going on; or any counted write whose success makes the
        // code leave (`if (updated.count > 0) return`): what follows is its fallback.
        if (counts_rows(op))
            if (const Guard* g = result_test(op); g && (g->truthy || claims(op))) events.back().gated_at = g->start;
    }
    // A transaction is one write (all or nothing), but not atomic with writes around it.
    for (const auto& [b, e] : facts.transactions) {
        OpRef first;
        for (int i = 0; i < static_cast<int>(facts.db_ops.size()); ++i) {
            const DbOp& op = facts.db_ops[i];
            if (op.kind != DbOp::Kind::Write || !inside(op.start, b, e)) continue;
            if ((op.function == f.function || op.in_transaction) && !first) first = {f.file, i};
        }
        // the transaction call itself must be in this function
        bool here = std::any_of(project_.calls_in(f).begin(), project_.calls_in(f).end(),
                                [&](int ci) { return facts.calls[ci].start == b; });
        if (here && first) events.push_back({b, first, {}, {}, false});
    }
    for (const auto& run : facts.batch_runs) {
        if (run.function != f.function || !run.atomic) continue;
        for (int i = 0; i < static_cast<int>(facts.db_ops.size()); ++i)
            if (facts.db_ops[i].batch == run.name && facts.db_ops[i].kind == DbOp::Kind::Write &&
                facts.db_ops[i].function == f.function) {
                events.push_back({run.at, {f.file, i}, {}, {}, false});
                break;
            }
    }
    for (int ci : project_.calls_in(f)) {
        const Call& c = facts.calls[ci];
        if (c.callee.empty() || in_transaction(c.start)) continue;
        FunctionRef g = project_.callee_of(f.file, ci);
        if (!g || g == f) continue;
        compute(g);
        const WriteSummary& sg = summaries_[g.file][g.function];
        // `try { await helper() } catch { count a failure }`: what the callee writes is best
        // effort, as a write in that `try` would be, unless it makes a pair of its own.
        if (c.swallowed && !sg.second) continue;
        // `catch (e) { await markFailed(id, e) }`: a note of the failure, like a write in the
        // `catch` itself, unless it makes a pair of its own.
        if (c.in_catch && !sg.second) continue;
        // `user.premium || await createPremium()`: a get-or-create leaves at worst a fresh
        // row that the next try reuses, like an ensure-exists write.
        if (c.fallback && !sg.second) continue;
        // `await syncBillingFromStripe(org)`: a mirror of another system's state, refreshed
        // on the way; the next sync repairs it, so it is no half of this request's change.
        const std::string& callee_name = project_.units()[g.file].facts.functions[g.function].name;
        if (mirrors(callee_name)) continue;
        // `await getStripeAccount(input)` saving the account's state on the way: a getter's
        // single write refreshes what it reads, it is no half of the caller's change.
        if (getter(callee_name) && !sg.second) continue;
        if (sg.first)
            events.push_back({c.start, sg.first, sg.second, sg.second_after, in_loop(c.start) && !c.in_try});
    }
    // Callbacks handed to a project function that runs them in a transaction
    // (`withTransaction(ctx, async (tx) => {...})`): each is one atomic write.
    std::vector<int> wrapped;
    for (int ci : project_.calls_in(f)) {
        const Call& c = facts.calls[ci];
        FunctionRef w = project_.callee_of(f.file, ci);
        if (!w || !runs_in_transaction(w, 0)) continue;
        for (const auto& arg : c.args) {
            if (arg.kind != ValueRef::Kind::Function || arg.function < 0) continue;
            wrapped.push_back(arg.function);
            FunctionRef cb{f.file, arg.function};
            compute(cb);
            if (const auto& sc = summaries_[f.file][arg.function]; sc.first)
                events.push_back({c.start, sc.first, {}, {}, in_loop(c.start) && !c.in_try});
        }
    }
    for (int n : project_.nested(f)) {
        const Function& fn = facts.functions[n];
        if (fn.use_server || in_transaction(fn.start) ||
            std::find(wrapped.begin(), wrapped.end(), n) != wrapped.end())
            continue;
        FunctionRef nf{f.file, n};
        compute(nf);
        const WriteSummary& sn = summaries_[f.file][n];
        bool independent = sn.first && project_.units()[sn.first.file].facts.db_ops[sn.first.op].in_try;
        if (sn.first)
            events.push_back({fn.start, sn.first, sn.second, sn.second_after,
                              (fn.per_item || in_loop(fn.start)) && !independent && !fn.settled});
    }
    std::sort(events.begin(), events.end(), [](const WriteEvent& a, const WriteEvent& b) { return a.at < b.at; });

    // Two writes never run together when they sit in different arms of one if/switch, or
    // when the earlier one's arm leaves the function.
    auto exclusive = [&](uint32_t a, uint32_t b) {
        for (const Branch& x : facts.branches) {
            if (x.function != f.function || x.group < 0 || !inside(a, x.start, x.end)) continue;
            if (inside(b, x.start, x.end)) continue;
            if (x.exits) return true;
            for (const Branch& y : facts.branches) {
                if (&y == &x || y.function != f.function || !inside(b, y.start, y.end)) continue;
                if (y.group == x.group) return true;
                // `if (event.type === "a") {...}` then `if (event.type === "b") {...}`
                if (!x.subject.empty() && x.subject == y.subject && x.value != y.value) return true;
            }
        }
        return false;
    };

    // `deleteMany({ identifier })` then `create({ identifier })` on one model: a rotation
    // (of a one-time code, a token); without the second write nothing stale remains.
    auto replaces = [&](OpRef a, OpRef b) {
        const DbOp& x = project_.units()[a.file].facts.db_ops[a.op];
        const DbOp& y = project_.units()[b.file].facts.db_ops[b.op];
        return !x.model.empty() && x.model == y.model && x.method.rfind("delete", 0) == 0 &&
               (y.method.rfind("create", 0) == 0 || y.method == "upsert" || y.method == "insert");
    };
    // Two updates of one row (same model, same unique filter): one row's fields, written in
    // two steps, not two records of one change.
    auto same_row = [&](OpRef a, OpRef b) {
        const DbOp& x = project_.units()[a.file].facts.db_ops[a.op];
        const DbOp& y = project_.units()[b.file].facts.db_ops[b.op];
        auto updates = [](const DbOp& o) { return o.method == "update" || o.method == "upsert"; };
        return !x.model.empty() && x.model == y.model && x.style == "prisma" && updates(x) && updates(y) &&
               !x.filter.empty() && x.filter == y.filter;
    };
    WriteSummary s;
    for (size_t j = 0; j < events.size() && !s.second; ++j) {
        const WriteEvent& e = events[j];
        if (!s.first) s.first = e.first;
        if (e.second) {
            s.second = e.second;
            s.second_after = e.second_after;
            break;
        }
        if (e.repeated) {
            s.second = e.first;
            break;
        }
        for (size_t i = 0; i < j; ++i) {
            if (replaces(events[i].first, e.first) || same_row(events[i].first, e.first) || events[i].gated_at < e.at)
                continue;
            if (!exclusive(events[i].at, e.at)) {
                s.second = e.first;
                s.second_after = events[i].first;
                break;
            }
        }
    }
    summaries_[f.file][f.function] = s;
    state = 2;
    --depth_;
}

}  // namespace nextguard::analysis
