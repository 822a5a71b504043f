#include "rules/rule.hpp"

namespace nextguard::rules {

// One line per rule, sorted by id.
const Rule& missing_auth();
const Rule& unpaginated_query();
const Rule& untransacted_writes();
const Rule& unvalidated_input();

const std::vector<const Rule*>& all_rules() {
    static const std::vector<const Rule*> rules = {
        &missing_auth(),
        &unpaginated_query(),
        &untransacted_writes(),
        &unvalidated_input(),
    };
    return rules;
}

}  // namespace nextguard::rules
