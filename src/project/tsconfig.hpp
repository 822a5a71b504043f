// tsconfig.json: the module-resolution settings nextguard needs (baseUrl, paths).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/diagnostic.hpp"

namespace nextguard::project {

/// The resolved compiler options of one tsconfig.json, after following `extends`.
struct TsConfig {
    std::filesystem::path file;                 ///< the tsconfig.json that was loaded
    std::optional<std::filesystem::path> base_url;  ///< absolute, when set
    /// `paths` as written (pattern -> targets); targets are absolute paths, resolved
    /// against baseUrl when set, else against the folder of the config that declared paths.
    std::vector<std::pair<std::string, std::vector<std::string>>> paths;
};

/// Loads `file`, following `extends` (a string or an array; relative paths with or without
/// ".json", or a package in node_modules found upwards from the config: "pkg",
/// "pkg/file.json", "@scope/pkg/tsconfig.base.json"; when no node_modules holds it, a
/// package of `workspace_packages`, name -> absolute folder, as monorepos without installed
/// dependencies have them). Later configs override earlier
/// ones; `baseUrl` and `paths` resolve relative to the config that declares them.
/// Problems (unreadable or invalid files, missing extends, cycles) are appended to
/// `notices` (file names relative to `root`); what could be read is still returned.
/// Returns nullopt only when `file` itself cannot be read or parsed.
std::optional<TsConfig> load_tsconfig(const std::filesystem::path& file, const std::filesystem::path& root,
                                      std::vector<Notice>& notices,
                                      const std::map<std::string, std::filesystem::path>& workspace_packages = {});

}  // namespace nextguard::project
