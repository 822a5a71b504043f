// Files embedded into the binary at build time by tools/embed.cmake.
#pragma once

#include <string_view>
#include <vector>

namespace nextguard {

struct EmbeddedFile {
    std::string_view name;     ///< file name, e.g. "unpaginated-query.md"
    std::string_view content;
};

/// rules/*.md, sorted by name.
const std::vector<EmbeddedFile>& embedded_rule_docs();
/// rules/knowledge/*.json, sorted by name.
const std::vector<EmbeddedFile>& embedded_knowledge();

}  // namespace nextguard
