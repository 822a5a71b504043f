// Inline suppressions: `// nextguard-ignore-next-line <rule-id> -- <reason>` and
// `// nextguard-ignore-file <rule-id> -- <reason>`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nextguard::engine {

/// One suppression comment of a file.
struct Suppression {
    enum class Scope { NextLine, File };
    Scope scope = Scope::NextLine;
    uint32_t line = 0;       ///< 1-based line of the comment
    uint32_t target = 0;     ///< NextLine: the line it applies to
    std::vector<std::string> rules;  ///< rule ids it names
    std::string reason;      ///< text after `--`, empty when missing
};

/// The suppression comments of a file's text.
std::vector<Suppression> scan_suppressions(std::string_view text);

}  // namespace nextguard::engine
