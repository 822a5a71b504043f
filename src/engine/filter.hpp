// The Filter stage: public routes and rule levels from the config, inline suppressions, the baseline.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/config.hpp"
#include "engine/run.hpp"
#include "engine/suppressions.hpp"

namespace nextguard::engine {

/// Drops missing-auth findings on the config's `publicRoutes` (public by design), applies
/// the config's rule levels and `--rule` overrides (off removes a rule's findings,
/// error/warn set their severity), marks findings matched by inline suppressions
/// (`suppressed`, `suppression_reason`), notes suppressions without a reason and, with
/// `report_unused_suppressions`, those that match nothing; then the baseline (`--baseline`
/// drops findings it holds; `--write-baseline` writes it). `suppressions` maps a file
/// (relative path) to its suppression comments.
void apply_filters(RunResult& result, const Config& config, const RunOptions& options,
                   const std::map<std::string, std::vector<Suppression>>& suppressions);

}  // namespace nextguard::engine
