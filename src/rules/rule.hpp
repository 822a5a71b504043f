// The rule interface: a rule reads the project model and reports findings.
#pragma once

#include <string_view>
#include <vector>

#include "analysis/project.hpp"
#include "core/diagnostic.hpp"

namespace nextguard::rules {

/// A rule. Stateless and const: `check` may run on several threads at once.
class Rule {
public:
    virtual ~Rule() = default;
    /// The stable kebab-case id; rules/<id>.md holds its doc and metadata.
    virtual std::string_view id() const = 0;
    /// Appends this rule's findings for the whole project. `rule`, `severity` and
    /// fingerprints are filled in by the engine.
    virtual void check(const analysis::Project& project, std::vector<Finding>& out) const = 0;
};

/// Every rule, sorted by id.
const std::vector<const Rule*>& all_rules();

}  // namespace nextguard::rules
