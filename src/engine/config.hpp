// nextguard.json: rule levels, ignored paths, public routes and library knowledge.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analysis/knowledge.hpp"
#include "core/diagnostic.hpp"

namespace nextguard::engine {

/// The configuration of one run.
struct Config {
    std::filesystem::path file;  ///< the file read, empty when there is none
    /// Rule id -> level; nullopt turns the rule off. Rules not listed keep their default.
    std::map<std::string, std::optional<Severity>> rules;
    std::vector<std::string> ignore;         ///< gitignore-style globs, relative to the root
    std::vector<std::string> public_routes;  ///< URL patterns public by design (`/api/public/:path*`)
    analysis::Knowledge knowledge;           ///< the built-in knowledge plus the file's `knowledge`
};

/// Loads `explicit_path` (relative to the working folder) or, when empty,
/// `<root>/nextguard.json` if it exists; no file gives the defaults. Throws
/// std::runtime_error naming the file with the line and column of invalid JSON, or the
/// JSON path and what is allowed for an unknown key or a wrong type.
Config load_config(const std::filesystem::path& root, const std::string& explicit_path);

}  // namespace nextguard::engine
