// Module resolution: which analyzed file an import specifier names.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "project/workspace.hpp"

namespace nextguard::analysis {

/// The module-resolution settings of one app, with paths relative to the workspace root.
struct AppConfig {
    std::string dir;       ///< the app root, "" for the workspace root
    bool has_base_url = false;
    std::string base_url;  ///< tsconfig baseUrl, relative to the workspace root ("" = the root)
    /// tsconfig `paths`: pattern -> targets, targets relative to the workspace root.
    std::vector<std::pair<std::string, std::vector<std::string>>> paths;
};

/// Resolves specifiers the way TypeScript's "bundler" resolution does, among the
/// analyzed files only: relative paths, tsconfig `paths` (most specific pattern first)
/// and `baseUrl`, then package.json `#imports` of the importing file's nearest
/// package.json, then packages of the workspace (monorepo packages: "exports", else
/// "main"/"module"/"types", else src/index or index; subpaths through "exports", else
/// the package folder, else its src/ folder), probing the extensions
/// .ts .tsx .mts .cts .js .jsx .mjs .cjs and `index` files, and mapping an explicit
/// `.js`/`.jsx`/`.mjs` to its TypeScript source.
class ModuleResolver {
public:
    /// `files[i]` is the workspace-relative path of unit i; `packages` are the
    /// package.json files of the analyzed tree (paths relative to the workspace root).
    ModuleResolver(const std::vector<std::string>& files, std::vector<AppConfig> apps,
                   std::vector<project::WorkspacePackage> packages = {});

    /// The unit that `specifier`, imported from unit `from` of app `app` (-1: none),
    /// names; -1 for packages outside the workspace and anything not analyzed.
    int resolve(int from, int app, std::string_view specifier) const;

private:
    int probe(const std::string& path) const;
    int probe_index(const std::string& dir) const;
    /// tsconfig `paths` and `baseUrl` of app `app`.
    int resolve_paths(int app, std::string_view specifier) const;
    /// `#imports` and workspace packages; `depth` bounds `#x` -> package chains.
    int resolve_package(int from, std::string_view specifier, int depth) const;
    /// The first target of the best `map` entry matching `key` that names an analyzed
    /// file; -2 when no entry matches, -1 when one matches but names none.
    int resolve_map(int from, const project::WorkspacePackage& pkg, const std::vector<project::PackageMapEntry>& map,
                    std::string_view key, int depth) const;
    /// The package nearest to `file` (longest folder prefix), or nullptr.
    const project::WorkspacePackage* nearest_package(const std::string& file) const;
    std::vector<std::string> files_;
    std::unordered_map<std::string, int> index_;
    std::vector<AppConfig> apps_;
    std::vector<project::WorkspacePackage> packages_;
    std::unordered_map<std::string, std::vector<int>> by_name_;  ///< package name -> indexes into packages_
};

/// Joins a '/'-separated relative folder and a relative path, folding "." and ".."
/// segments; returns "" for the root and keeps leading ".." that cannot be folded.
std::string join_paths(std::string_view dir, std::string_view rel);

}  // namespace nextguard::analysis
