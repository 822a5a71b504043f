#include "analysis/taint_model.hpp"
#include "rules/rule.hpp"

namespace nextguard::rules {

namespace {

using analysis::EntryPoint;
using analysis::TaintOrigin;

/// unvalidated-input: request data reaching a sink without a validator.
class UnvalidatedInput final : public Rule {
public:
    std::string_view id() const override { return "unvalidated-input"; }

    void check(const analysis::Project& project, std::vector<Finding>& out) const override {
        analysis::TaintModel taint(project);
        OnePerKey<analysis::SinkRef> once(out);
        for (const auto& entry : project.entry_points()) {
            if (!entry.reported()) continue;
            EntryRef ref = project.entry_ref(entry);
            for (const auto& hit : taint.findings(entry)) {
                if (once.seen(hit.sink, ref, entry.range)) continue;
                const auto& facts = project.units()[hit.sink.file].facts;
                const auto& sink = facts.sinks[hit.sink.sink];
                std::string what;
                if (hit.origin.kind == TaintOrigin::Kind::Request) {
                    what = hit.origin.what;
                } else if (entry.kind == EntryPoint::Kind::Procedure) {
                    what = "the tRPC input (its `.input()` only casts)";
                } else {
                    what = hit.origin.field.empty() ? "argument " + std::to_string(hit.origin.param + 1) + " of the action"
                                                    : "`" + hit.origin.field + "` of the action's arguments";
                }
                Finding f;
                f.location.file = facts.rel;
                f.location.range = sink.range;
                f.message = "unvalidated " + what + " reaches a " + sink.kind + " in " + ref.label() +
                            "; parse it with a schema (zod, valibot...) or check it explicitly first";
                f.statement = sink.statement;
                if (hit.origin.kind == TaintOrigin::Kind::Request)
                    f.related.push_back({project.units()[hit.origin_file].facts.rel, hit.origin.range, "read here"});
                f.entry = ref;
                out.push_back(std::move(f));
            }
        }
    }
};

}  // namespace

const Rule& unvalidated_input() {
    static const UnvalidatedInput rule;
    return rule;
}

}  // namespace nextguard::rules
