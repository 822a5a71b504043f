#include "rules/rule.hpp"

namespace nextguard::rules {

// One line per rule, sorted by id.
const Rule& hardcoded_secret();
const Rule& missing_auth();
const Rule& unpaginated_query();
const Rule& untransacted_writes();
const Rule& unvalidated_input();

const std::vector<const Rule*>& all_rules() {
    static const std::vector<const Rule*> rules = {
        &hardcoded_secret(),
        &missing_auth(),
        &unpaginated_query(),
        &untransacted_writes(),
        &unvalidated_input(),
    };
    return rules;
}

// The rules above that also run in the fact walk.
const analysis::LocalCheck& hardcoded_secret_check();

const std::vector<const analysis::LocalCheck*>& local_checks() {
    static const std::vector<const analysis::LocalCheck*> checks = {
        &hardcoded_secret_check(),
    };
    return checks;
}

void report_local_findings(const analysis::Project& project, std::string_view rule, std::vector<Finding>& out) {
    for (const auto& unit : project.units())
        for (const auto& lf : unit.facts.local_findings) {
            if (lf.rule != rule) continue;
            Finding f;
            f.location.file = unit.facts.rel;
            f.location.range = lf.range;
            f.message = lf.message;
            f.statement = lf.statement;
            out.push_back(std::move(f));
        }
}

}  // namespace nextguard::rules
