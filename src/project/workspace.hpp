// Workspace: which files to analyze, which Next.js apps they belong to, their settings.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"
#include "project/tsconfig.hpp"

namespace nextguard::project {

/// One source file to analyze.
struct SourceFile {
    std::filesystem::path path;  ///< absolute
    std::string rel;             ///< relative to the workspace root, '/'-separated
    uint64_t size = 0;
    int app = -1;                ///< index into Workspace::apps of the closest app root, or -1
    /// index into Workspace::apps of the closest root that resolves its imports: its app, or
    /// a package folder with a tsconfig.json of its own inside it (AppRoot::scope_only)
    int scope = -1;
};

/// A Next.js application root (or the workspace root when none is found).
struct AppRoot {
    std::string rel;  ///< folder relative to the workspace root, "" for the root itself
    bool is_next = false;  ///< has next.config.* or depends on `next`
    std::optional<TsConfig> tsconfig;  ///< the app's tsconfig.json (or the nearest above it)
    std::set<std::string> dependencies;  ///< dependencies + devDependencies of its package.json
    /// Not an app: a package folder (package.json and tsconfig.json, no Next.js) whose
    /// tsconfig resolves the imports of its files (`"@api/*": ["./src/*"]` in a monorepo's
    /// API server). It holds no routes and no middleware.
    bool scope_only = false;
};

/// One key of a package.json "exports" or "imports" map and the targets it names.
struct PackageMapEntry {
    std::string key;  ///< as written: ".", "./client", "./*", "#utils/*"
    /// The targets as written (relative to the package folder like "./src/*.ts", or, in
    /// "imports", a package specifier), arrays and condition objects flattened in order of
    /// preference: "types", "import", "default", "require", "node", then any other
    /// condition (alphabetically). Empty for `null` (a subpath the package hides).
    std::vector<std::string> targets;
};

/// A package.json found in the analyzed tree (never inside node_modules).
struct WorkspacePackage {
    std::string name;  ///< its "name", "" when it has none
    std::string rel;   ///< its folder relative to the workspace root, "" for the root
    /// "exports", with the sugar forms (a string, an array, a condition object) under ".".
    std::vector<PackageMapEntry> exports;
    std::vector<PackageMapEntry> imports;  ///< "imports": "#" keys
    std::string main, module, types;        ///< those fields as written ("types" also from "typings")
};

struct DiscoverOptions {
    uint64_t max_file_size = 2u * 1024 * 1024;  ///< larger files are skipped with a notice
};

/// Everything the Workspace stage found.
struct Workspace {
    std::filesystem::path root;  ///< absolute, the folder paths are relative to
    std::vector<SourceFile> files;  ///< sorted by rel
    std::vector<AppRoot> apps;      ///< sorted by rel; never empty
    std::vector<WorkspacePackage> packages;  ///< every valid package.json walked, sorted by rel
    std::vector<Notice> notices;    ///< unreadable folders, symlink loops, skipped files, bad configs
};

/// Walks `inputs` (folders or files; empty means ".") below a common root and returns the
/// files to analyze. The root is the first input when it is a folder, else its parent
/// folder. Honours .gitignore files (root and nested), always skips node_modules, .next,
/// .git, out, dist, build, coverage, .turbo, .vercel, *.d.ts and minified files, follows
/// symlinks but never twice into the same folder (loops get a notice). Every package.json
/// walked is listed in `packages` (its tsconfig `extends` may name one of them).
/// Throws std::runtime_error when an input does not exist.
Workspace discover(const std::vector<std::string>& inputs, const DiscoverOptions& options = {});

/// The app of `file` (absolute): the deepest app root of `ws` containing it, else the
/// root's entry (0). With `scopes`, also the scope-only roots (for module resolution).
int owning_app(const Workspace& ws, const std::filesystem::path& file, bool scopes = false);

/// True when the file extension is one nextguard analyzes (.ts .tsx .mts .cts .js .jsx .mjs .cjs).
bool is_source_extension(const std::filesystem::path& p);

/// True for a TypeScript declaration file (.d.ts .d.mts .d.cts): types only, never analyzed.
bool is_declaration_file(std::string_view name);

/// True for minified JavaScript: name ends in .min.js/.min.mjs/.min.cjs, or the first
/// 4 KiB hold a line longer than 1000 characters with almost no spaces.
bool looks_minified(const std::string& name, std::string_view head);

}  // namespace nextguard::project
