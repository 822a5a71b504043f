// Rule metadata, read from the front matter and sections of rules/<id>.md.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"

namespace nextguard::rules {

/// Everything the CLI, the docs and SARIF say about a rule; one source: rules/<id>.md.
struct RuleInfo {
    std::string id;                 ///< kebab-case, stable
    std::string name;               ///< PascalCase of the id (SARIF `name`)
    std::string summary;            ///< one sentence (SARIF shortDescription)
    std::string description;        ///< the "What it does" section as plain text (fullDescription)
    std::string category;           ///< security, correctness, performance...
    Severity severity = Severity::Warning;  ///< default level
    std::string security_severity;  ///< "0.0".."10.0" as GitHub reads it; empty when not security
    std::vector<std::string> cwe;   ///< "CWE-770"
    std::vector<std::string> tags;
    std::string precision;          ///< very-high, high, medium, low
    /// The measured precision and recall and the set they were measured on (eval/), e.g.
    /// "held-out: P 0.90, R 0.90 (6 apps, 180 entry points); tuning: P 0.84, R 0.94 (...)".
    std::string measured;
    std::string markdown;           ///< the doc without its front matter
};

/// Parses one rule doc: a front matter block between '---' lines with `key: value`
/// entries (lists as `[a, b]`), then markdown. Throws std::runtime_error naming the
/// missing or malformed key.
RuleInfo parse_rule_doc(std::string_view file_name, std::string_view text);

/// Metadata of every rule doc embedded in the binary, sorted by id.
const std::vector<RuleInfo>& all_rule_infos();

/// The rule with this id, or nullptr.
const RuleInfo* find_rule_info(std::string_view id);

/// Where the rule's doc can be read online.
std::string rule_help_uri(std::string_view id);

}  // namespace nextguard::rules
