#include "rules/rule.hpp"

namespace nextguard::rules {

// One line per rule, sorted by id.
const Rule& unpaginated_query();

const std::vector<const Rule*>& all_rules() {
    static const std::vector<const Rule*> rules = {
        &unpaginated_query(),
    };
    return rules;
}

}  // namespace nextguard::rules
