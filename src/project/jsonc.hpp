// JSON with comments and trailing commas, as tsconfig.json and VS Code settings use.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace nextguard::project {

struct JsoncResult {
    nlohmann::json value;   ///< null when the text could not be parsed
    bool ok = false;
    std::string error;      ///< "line L, column C: what is wrong" when !ok
};

/// Parses JSONC: '//' and '/* */' comments and trailing commas in arrays and objects are
/// allowed; a UTF-8 BOM is skipped. Errors carry the 1-based line and column in the input.
JsoncResult parse_jsonc(std::string_view text);

}  // namespace nextguard::project
