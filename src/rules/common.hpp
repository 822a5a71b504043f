// What several rules share: reporting request data that reaches sinks of some kinds (from
// the taint summaries) for unvalidated-input, sql-injection, ssrf and open-redirect.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/taint_model.hpp"
#include "rules/rule.hpp"

namespace nextguard::rules {

/// How a finding of a taint rule reads: `what` names the request data ("the JSON body",
/// "argument 2 of the action"), `sink` the sink kind, `entry` the entry point's label.
using TaintMessage = std::function<std::string(const std::string& what, const std::string& sink, const std::string& entry)>;

/// Reports, once per call holding sinks, request data reaching a sink whose kind `accepts`
/// (a write's data preferred over its keys as the place shown). `taint` is shared so that
/// several rules need not compute it again.
void report_taint(const analysis::Project& project, const analysis::TaintModel& taint,
                  const std::function<bool(std::string_view kind)>& accepts, const TaintMessage& message,
                  std::vector<Finding>& out);

/// The sink kinds that have rules of their own: raw SQL (sql-injection), an outbound
/// request URL (ssrf), a redirect (open-redirect).
bool has_own_rule(std::string_view sink_kind);

/// A scheduled job, a queue consumer or a webhook by its URL (`/api/cron/...`,
/// `/api/webhooks/stripe`): a machine calls it, not a user.
bool machine_caller(std::string_view url);

}  // namespace nextguard::rules
