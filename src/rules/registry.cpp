#include "rules/rule.hpp"

namespace nextguard::rules {

// One line per rule, sorted by id.
const Rule& error_leak();
const Rule& hardcoded_secret();
const Rule& insecure_cookie();
const Rule& jwt_misuse();
const Rule& missing_auth();
const Rule& missing_rate_limit();
const Rule& open_redirect();
const Rule& permissive_cors();
const Rule& sql_injection();
const Rule& ssrf();
const Rule& unpaginated_query();
const Rule& untransacted_writes();
const Rule& unvalidated_input();

const std::vector<const Rule*>& all_rules() {
    static const std::vector<const Rule*> rules = {
        &error_leak(),
        &hardcoded_secret(),
        &insecure_cookie(),
        &jwt_misuse(),
        &missing_auth(),
        &missing_rate_limit(),
        &open_redirect(),
        &permissive_cors(),
        &sql_injection(),
        &ssrf(),
        &unpaginated_query(),
        &untransacted_writes(),
        &unvalidated_input(),
    };
    return rules;
}

// The rules above that also run in the fact walk.
const analysis::LocalCheck& error_leak_check();
const analysis::LocalCheck& hardcoded_secret_check();
const analysis::LocalCheck& insecure_cookie_check();
const analysis::LocalCheck& jwt_misuse_check();
const analysis::LocalCheck& permissive_cors_check();
const analysis::LocalCheck& sql_injection_check();

const std::vector<const analysis::LocalCheck*>& local_checks() {
    static const std::vector<const analysis::LocalCheck*> checks = {
        &error_leak_check(),
        &hardcoded_secret_check(),
        &insecure_cookie_check(),
        &jwt_misuse_check(),
        &permissive_cors_check(),
        &sql_injection_check(),
    };
    return checks;
}

}  // namespace nextguard::rules
