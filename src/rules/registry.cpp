#include "rules/rule.hpp"

namespace nextguard::rules {

// One line per rule, sorted by id.
const Rule& hardcoded_secret();
const Rule& missing_auth();
const Rule& open_redirect();
const Rule& sql_injection();
const Rule& ssrf();
const Rule& unpaginated_query();
const Rule& untransacted_writes();
const Rule& unvalidated_input();

const std::vector<const Rule*>& all_rules() {
    static const std::vector<const Rule*> rules = {
        &hardcoded_secret(),
        &missing_auth(),
        &open_redirect(),
        &sql_injection(),
        &ssrf(),
        &unpaginated_query(),
        &untransacted_writes(),
        &unvalidated_input(),
    };
    return rules;
}

// The rules above that also run in the fact walk.
const analysis::LocalCheck& hardcoded_secret_check();
const analysis::LocalCheck& sql_injection_check();

const std::vector<const analysis::LocalCheck*>& local_checks() {
    static const std::vector<const analysis::LocalCheck*> checks = {
        &hardcoded_secret_check(),
        &sql_injection_check(),
    };
    return checks;
}

bool is_tooling_file(std::string_view rel) {
    if (analysis::is_test_file(rel)) return true;
    for (std::string_view dir : {"e2e/", "test/", "tests/", "scripts/", "fixtures/", "mocks/", "seed/", "seeder/", "stubs/",
                                 "migration/", "migrations/"})
        if (rel.starts_with(dir) || rel.find("/" + std::string(dir)) != std::string_view::npos) return true;
    std::string_view name = rel.substr(rel.rfind('/') == std::string_view::npos ? 0 : rel.rfind('/') + 1);
    return name.find(".config.") != std::string_view::npos || name.starts_with("seed") || name.starts_with("stub");
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
