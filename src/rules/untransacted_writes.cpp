#include "analysis/writes.hpp"
#include "rules/rule.hpp"

namespace nextguard::rules {

namespace {

using analysis::EntryPoint;

/// untransacted-writes: two or more writes on one path of an entry point, not in one transaction.
class UntransactedWrites final : public Rule {
public:
    std::string_view id() const override { return "untransacted-writes"; }

    void check(const analysis::Project& project, std::vector<Finding>& out) const override {
        analysis::WriteModel writes(project);
        OnePerKey<std::pair<int, int>> once(out);  // one finding per write
        for (const auto& entry : project.entry_points()) {
            if (!entry.reported() || !entry.handler) continue;
            const auto& s = writes.summary(entry.handler);
            if (!s.second) continue;
            EntryRef ref = project.entry_ref(entry);
            if (once.seen({s.second.file, s.second.op}, ref, entry.range)) continue;
            const auto& facts = project.units()[s.second.file].facts;
            const auto& op = facts.db_ops[s.second.op];
            Finding f;
            f.location.file = facts.rel;
            f.location.range = op.range;
            if (s.second_after) {
                const auto& first_facts = project.units()[s.second_after.file].facts;
                const auto& first = first_facts.db_ops[s.second_after.op];
                f.message = op.describe() + " runs after " + first.describe() + " in " + ref.label() +
                            (first.in_transaction || op.in_transaction ? ", in a separate transaction" : ", outside a transaction") +
                            ": if it fails, the first write stays and the data is left half-changed; make both one transaction";
                f.related.push_back({first_facts.rel, first.range, "the earlier write"});
            } else {
                f.message = op.describe() + " runs once per item in " + ref.label() +
                            ", outside a transaction: a failure midway leaves some items changed; use one "
                            "transaction or a single bulk write";
            }
            f.statement = op.statement;
            f.entry = std::move(ref);
            out.push_back(std::move(f));
        }
    }
};

}  // namespace

const Rule& untransacted_writes() { return the_rule<UntransactedWrites>(); }

}  // namespace nextguard::rules
