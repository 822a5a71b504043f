#include "analysis/taint_model.hpp"

#include <algorithm>
#include <set>

namespace nextguard::analysis {

namespace {

constexpr int kMaxDepth = 200;

bool matches(const std::pair<int, std::string>& key, int index, const std::string& field) {
    // A sink of the whole parameter takes any of its fields; a sink of one field takes
    // that field or the whole value.
    return key.first == index && (key.second.empty() || field.empty() || key.second == field);
}

}  // namespace

TaintModel::TaintModel(const Project& project) : project_(project) {
    const auto& units = project.units();
    param_sinks_.resize(units.size());
    state_.resize(units.size());
    for (size_t u = 0; u < units.size(); ++u) {
        param_sinks_[u].resize(units[u].facts.functions.size());
        state_[u].resize(units[u].facts.functions.size(), 0);
    }
    for (size_t u = 0; u < units.size(); ++u)
        for (size_t f = 0; f < units[u].facts.functions.size(); ++f) compute({static_cast<int>(u), static_cast<int>(f)});
}

void TaintModel::compute(FunctionRef f) {
    auto& state = state_[f.file][f.function];
    if (state != 0 || depth_ >= kMaxDepth) return;
    ++depth_;
    state = 1;
    const auto& facts = project_.units()[f.file].facts;
    ParamSinks out;
    // `f` and the closures in it: a closure's use of f's parameter is f's (`owner`).
    std::vector<int> scope{f.function};
    for (size_t i = 0; i < scope.size() && scope.size() < 256; ++i)
        for (int n : project_.nested({f.file, scope[i]}))
            if (!facts.functions[n].use_server) scope.push_back(n);
    auto ours = [&](int fn, const TaintOrigin& o) {
        return o.kind == TaintOrigin::Kind::Param && (fn == f.function ? o.owner < 0 : o.owner == f.function);
    };
    auto add = [&](const TaintOrigin& o, SinkRef sink) {
        auto& v = out[{o.param, o.field}];
        if (std::find(v.begin(), v.end(), sink) == v.end()) v.push_back(sink);
    };
    for (int i = 0; i < static_cast<int>(facts.sinks.size()); ++i) {
        const TaintSink& s = facts.sinks[i];
        if (std::find(scope.begin(), scope.end(), s.function) == scope.end()) continue;
        for (const auto& o : s.origins)
            if (ours(s.function, o) && !checked_before({f.file, s.function}, s.start, o)) add(o, {f.file, i});
    }
    // Parameters handed on to other functions that sink them.
    for (const auto& ct : facts.call_taints) {
        const Call& call = facts.calls[ct.call];
        if (std::find(scope.begin(), scope.end(), call.function) == scope.end() || call.callee.empty()) continue;
        FunctionRef g = project_.callee_of(f.file, ct.call);
        if (!g || g == f) continue;
        compute(g);
        for (int k = 0; k < static_cast<int>(ct.args.size()); ++k) {
            std::vector<std::pair<SinkRef, TaintOrigin>> hits;
            reached(g, k, ct.args[k], hits, false);
            for (auto& [sink, origin] : hits)
                if (ours(call.function, origin) && !checked_before({f.file, call.function}, call.start, origin))
                    add(origin, sink);
        }
    }
    param_sinks_[f.file][f.function] = std::move(out);
    state = 2;
    --depth_;
}

bool TaintModel::checked_before(FunctionRef f, uint32_t before, const TaintOrigin& o) const {
    auto same = [&](const TaintOrigin& x) {
        if (x.kind != o.kind) return false;
        if (x.kind == TaintOrigin::Kind::Param) return x.param == o.param && (x.field.empty() || x.field == o.field);
        return x.range == o.range;
    };
    const auto& facts = project_.units()[f.file].facts;
    // `if (userId !== session.user.id) throw ...`: a parameter the code left equal to a
    // known value is checked.
    if (o.kind == TaintOrigin::Kind::Param) {
        int owner = o.owner >= 0 ? o.owner : f.function;
        const auto& params = facts.functions[owner].params;
        if (o.param >= 0 && o.param < static_cast<int>(params.size())) {
            const std::string& name = params[o.param];
            for (const Guard& g : facts.guards) {
                if (g.function != f.function || g.start >= before) continue;
                for (const auto& p : g.pinned)
                    if (p == name || (!o.field.empty() && p == name + "." + o.field)) return true;
            }
        }
    }
    for (const auto& ct : facts.call_taints) {
        const Call& call = facts.calls[ct.call];
        if (call.function != f.function || call.start >= before) continue;
        bool hands = false;
        for (const auto& arg : ct.args) {
            hands = hands || std::any_of(arg.whole.begin(), arg.whole.end(), same);
            for (const auto& [field, origins] : arg.fields) hands = hands || std::any_of(origins.begin(), origins.end(), same);
        }
        if (!hands) continue;
        FunctionRef g = project_.callee_of(f.file, ct.call);
        if (g && !(g == f) && function_validates(g, 0)) return true;
    }
    return false;
}

void TaintModel::reached(FunctionRef g, int index, const CallTaint::Arg& arg,
                         std::vector<std::pair<SinkRef, TaintOrigin>>& out, bool request_only) const {
    const ParamSinks& ps = param_sinks_[g.file][g.function];
    auto take = [&](const std::string& field, const std::vector<TaintOrigin>& origins) {
        for (const auto& [key, sinks] : ps) {
            if (!matches(key, index, field)) continue;
            for (const auto& o : origins) {
                if (request_only && o.kind != TaintOrigin::Kind::Request) continue;
                for (const auto& s : sinks) out.emplace_back(s, o);
            }
        }
    };
    if (!arg.object) {
        take("", arg.whole);
        return;
    }
    // An object literal: each key reaches what the callee does with that field; a sink of
    // the whole parameter takes all of them; spreads (key "") reach any field.
    for (const auto& [key, sinks] : ps) {
        if (key.first != index) continue;
        for (const auto& [field, origins] : arg.fields) {
            if (!(key.second.empty() || field.empty() || key.second == field)) continue;
            for (const auto& o : origins) {
                if (request_only && o.kind != TaintOrigin::Kind::Request) continue;
                for (const auto& s : sinks) out.emplace_back(s, o);
            }
        }
    }
}

bool TaintModel::function_validates(FunctionRef f, int depth) const {
    if (!f || depth > 8) return false;
    if (project_.units()[f.file].facts.functions[f.function].validates) return true;
    for (int n : project_.nested(f))
        if (function_validates({f.file, n}, depth + 1)) return true;
    return false;
}

std::vector<std::pair<int, std::string>> TaintModel::tainted_params(const EntryPoint& entry) const {
    std::vector<std::pair<int, std::string>> out;
    if (!entry.handler) return out;
    const ValueRef* v = entry.value;
    // The methods and wrappers of the chain the handler is built with.
    std::vector<const ValueRef*> chain;
    for (const ValueRef* c = v; c && c->kind == ValueRef::Kind::Call && chain.size() < 16;
         c = c->receiver.empty() ? nullptr : &c->receiver.front())
        chain.push_back(c);
    auto has_method = [&](std::initializer_list<const char*> names) {
        for (const auto* c : chain)
            for (const char* n : names)
                if (c->method == n) return c;
        return static_cast<const ValueRef*>(nullptr);
    };
    // tRPC and zsa: without `.input()` there is no input; a "parser" that is a bare function
    // is a cast.
    auto procedure_input = [&] {
        bool cast = false, schema = false;
        for (const auto* c : chain)
            if (c->method == "input" && !c->args.empty())
                (c->args.front().kind == ValueRef::Kind::Function ? cast : schema) = true;
        if (cast && !schema) out.push_back({0, "input"});
        return out;
    };
    switch (entry.kind) {
        case EntryPoint::Kind::ServerAction: {
            // Every export of a "use server" module is an endpoint the browser can call, also
            // one the project's own server code calls too: its arguments are the client's.
            if (has_method({"action", "stateAction"})) {
                // next-safe-action: `parsedInput` is validated when a schema is given
                bool schema = has_method({"inputSchema", "schema"}) != nullptr;
                out.push_back({0, "clientInput"});
                out.push_back({0, "bindArgsClientInputs"});
                if (!schema) out.push_back({0, "parsedInput"});
                return out;
            }
            // zsa: `procedure.createServerAction().input(schema).handler(({ input, ctx }) => ...)`;
            // `ctx` is what the procedure returns, `input` what the schema parsed.
            if (has_method({"createServerAction"})) return procedure_input();
            // Built by a wrapper (`validatedAction(schema, async (data, formData) => ...)`): the
            // handler gets what the wrapper hands it; an argument carries request data when the
            // wrapper passes on its own parameters (the action's real arguments) unvalidated.
            if (v && v->kind == ValueRef::Kind::Call && !v->name.empty() && v->name[0] != '.') {
                FunctionRef w = project_.resolve_callee(entry.value_file, v->name);
                if (w) {
                    std::vector<FunctionRef> todo{w};
                    while (!todo.empty()) {
                        FunctionRef cur = todo.back();
                        todo.pop_back();
                        const auto& facts = project_.units()[cur.file].facts;
                        for (const auto& ct : facts.call_taints) {
                            const Call& call = facts.calls[ct.call];
                            if (call.function != cur.function || call.callee.find('.') != std::string::npos) continue;
                            if (project_.callee_of(cur.file, ct.call)) continue;  // a known function, not the handler
                            for (int i = 0; i < static_cast<int>(ct.args.size()); ++i)
                                if (!ct.args[i].whole.empty()) out.push_back({i, ""});
                            return out;
                        }
                        for (int n : project_.nested(cur)) todo.push_back({cur.file, n});
                    }
                    if (function_validates(w, 0)) return out;  // validated, nothing passed on raw
                }
            }
            for (int i = 0; i < 4; ++i) out.push_back({i, ""});
            return out;
        }
        case EntryPoint::Kind::Procedure: return procedure_input();
        default: return out;
    }
}

std::vector<TaintFinding> TaintModel::findings(const EntryPoint& entry) const {
    std::vector<TaintFinding> out;
    std::set<SinkRef> seen;
    auto add = [&](SinkRef s, const TaintOrigin& o, int origin_file) {
        // `req.query.teamId` in a handler module that a `[teamId]` route uses: a route segment
        if (o.kind == TaintOrigin::Kind::Request && o.what == "the query string" && !o.field.empty() &&
            (entry.url.find("[" + o.field + "]") != std::string::npos ||
             entry.url.find("[..." + o.field + "]") != std::string::npos))
            return;
        // A query-string value is always a string: as a key of a parameterised query it can
        // select a row, not change the query. JSON bodies and action arguments can be objects.
        if (o.kind == TaintOrigin::Kind::Request && o.what == "the query string" &&
            project_.units()[s.file].facts.sinks[s.sink].kind == "database key")
            return;
        if (seen.insert(s).second) out.push_back({s, o, origin_file});
    };
    for (const FunctionRef& f : project_.reachable(entry)) {
        const auto& facts = project_.units()[f.file].facts;
        for (int i = 0; i < static_cast<int>(facts.sinks.size()); ++i) {
            const TaintSink& s = facts.sinks[i];
            if (s.function != f.function) continue;
            for (const auto& o : s.origins)
                if (o.kind == TaintOrigin::Kind::Request && !checked_before(f, s.start, o)) add({f.file, i}, o, f.file);
        }
        for (const auto& ct : facts.call_taints) {
            const Call& call = facts.calls[ct.call];
            if (call.function != f.function || call.callee.empty()) continue;
            FunctionRef g = project_.callee_of(f.file, ct.call);
            if (!g) continue;
            for (int k = 0; k < static_cast<int>(ct.args.size()); ++k) {
                std::vector<std::pair<SinkRef, TaintOrigin>> hits;
                reached(g, k, ct.args[k], hits, true);
                for (auto& [sink, origin] : hits)
                    if (!checked_before(f, call.start, origin)) add(sink, origin, f.file);
            }
        }
    }
    // The entry's own parameters (Server Action arguments, tRPC input).
    if (entry.handler) {
        const ParamSinks& ps = param_sinks_[entry.handler.file][entry.handler.function];
        for (const auto& [index, field] : tainted_params(entry)) {
            for (const auto& [key, sinks] : ps) {
                if (!matches(key, index, field)) continue;
                TaintOrigin o;
                o.kind = TaintOrigin::Kind::Param;
                o.param = key.first;
                o.field = key.second.empty() ? field : key.second;
                for (const auto& s : sinks) add(s, o, entry.handler.file);
            }
        }
    }
    return out;
}

}  // namespace nextguard::analysis
