// Module resolution: which analyzed file an import specifier names.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

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
/// and `baseUrl`, probing the extensions .ts .tsx .mts .cts .js .jsx .mjs .cjs and
/// `index` files, and mapping an explicit `.js`/`.jsx`/`.mjs` to its TypeScript source.
class ModuleResolver {
public:
    /// `files[i]` is the workspace-relative path of unit i.
    ModuleResolver(const std::vector<std::string>& files, std::vector<AppConfig> apps);

    /// The unit that `specifier`, imported from unit `from` of app `app` (-1: none),
    /// names; -1 for packages and anything not analyzed.
    int resolve(int from, int app, std::string_view specifier) const;

private:
    int probe(const std::string& path) const;
    std::vector<std::string> files_;
    std::unordered_map<std::string, int> index_;
    std::vector<AppConfig> apps_;
};

/// Joins a '/'-separated relative folder and a relative path, folding "." and ".."
/// segments; returns "" for the root and keeps leading ".." that cannot be folded.
std::string join_paths(std::string_view dir, std::string_view rel);

}  // namespace nextguard::analysis
