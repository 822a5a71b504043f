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
    uint32_t line = 0;               ///< 1-based line of the comment
    uint32_t target = 0;             ///< NextLine: the line it applies to (0: none follows)
    std::vector<std::string> rules;  ///< rule ids it names
    std::string reason;              ///< text after `--`, empty when missing
    /// Why the comment is malformed (unknown directive, no rule id, an id that is not
    /// kebab-case); empty when it is well formed. A malformed comment suppresses nothing.
    std::string error;
};

/// The suppression comments of a file's text. A directive is recognized in a `//` comment
/// or a one-line `/* ... */` comment (`{/* ... */}` in JSX too): the directive name, rule
/// ids separated by commas or spaces, then ` -- reason`. A next-line suppression applies
/// to the next line that is neither blank nor only a comment.
std::vector<Suppression> scan_suppressions(std::string_view text);

}  // namespace nextguard::engine
