// nextguard.json: rule levels, ignored paths, public routes and library knowledge.
// Its JSON schema (for editor completion) is nextguard.schema.json at the repository root.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/knowledge.hpp"
#include "project/gitignore.hpp"
#include "core/diagnostic.hpp"

namespace nextguard::engine {

/// The configuration of one run.
struct Config {
    std::filesystem::path file;  ///< the file read, empty when there is none
    /// Rule id -> level; nullopt turns the rule off. Rules not listed keep their default.
    std::map<std::string, std::optional<Severity>> rules;
    std::vector<std::string> ignore;         ///< gitignore-style globs, relative to the root
    project::GitIgnore ignore_rules;         ///< `ignore`, compiled once by parse_config
    std::vector<std::string> public_routes;  ///< URL patterns public by design (`/api/public/:path*`)
    analysis::Knowledge knowledge;           ///< the built-in knowledge plus the file's `knowledge`
};

/// The top-level keys a config file may hold, in documentation order.
const std::vector<std::string>& config_keys();

/// Parses the text of a config file. `name` is how errors name the file. Throws
/// std::runtime_error: "<name>: line L, column C: ..." for invalid JSON,
/// "<name>: $.path: ..." for an unknown key, a wrong type or a bad value.
Config parse_config(std::string_view name, std::string_view text);

/// Loads `explicit_path` (relative to the working folder) or, when empty,
/// `<root>/nextguard.json` if it exists; no file gives the defaults. Throws
/// std::runtime_error naming the file with the line and column of invalid JSON, or the
/// JSON path and what is allowed for an unknown key or a wrong type.
Config load_config(const std::filesystem::path& root, const std::string& explicit_path);

/// True when `rel_path` ('/'-separated, relative to the analyzed root) is excluded by the
/// config's `ignore` globs. Gitignore-style: a pattern without an inner '/' matches a
/// file or folder name at any depth, one with a '/' is anchored at the root (a leading
/// '/' only anchors), a trailing '/' matches folders only, '*', '?', '[...]' and '**'
/// work as in .gitignore. A pattern matching a parent folder excludes everything in it;
/// patterns apply in order and the last one matching wins, so a later `!pattern`
/// re-includes.
bool is_ignored(const Config& config, std::string_view rel_path);

/// A predicate: true when a route URL pattern (as entry points carry it: "/api/public/[id]")
/// is public by design, every request to it matched by one of the config's `publicRoutes`
/// (Next.js matcher syntax, see analysis::MiddlewareMatcher). False for an empty url or
/// when no public routes are configured. Make it once per run: it compiles the patterns.
std::function<bool(std::string_view)> public_route_check(const Config& config);

}  // namespace nextguard::engine
