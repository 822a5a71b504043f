// The project model: every file's facts, the Next.js entry points found in them, and
// what each entry point reaches.
#pragma once

#include <string>
#include <vector>

#include "analysis/facts.hpp"
#include "core/diagnostic.hpp"

namespace nextguard::analysis {

/// One analyzed file and the Next.js app it belongs to.
struct Unit {
    FileFacts facts;
    std::string app_dir;  ///< the app root relative to the workspace root, "" for the root
};

/// A place where untrusted requests enter the application.
struct EntryPoint {
    enum class Kind { Route, ApiRoute, ServerAction, Middleware };
    Kind kind = Kind::Route;
    std::string name;  ///< exported name: "POST", "default", "deleteProject"
    int file = -1;     ///< index into Project::units()
    int function = -1; ///< the handler function in that file, -1 when it could not be resolved
    std::string url;   ///< URL pattern for routes and API routes ("/api/projects/[id]")
    Range range;       ///< where the entry point is declared
    std::vector<std::string> matchers;  ///< middleware: config.matcher entries

    /// "route", "api-route", "server-action", "middleware".
    static const char* kind_name(Kind k);
};

/// A function of one file.
struct FunctionRef {
    int file = -1;
    int function = -1;
    bool operator==(const FunctionRef&) const = default;
    auto operator<=>(const FunctionRef&) const = default;
};

/// The App Router HTTP method exports.
bool is_http_method(std::string_view name);

/// What a file is for Next.js, from its path relative to its app root.
struct RouteInfo {
    enum class Kind { None, Route, ApiRoute, Middleware };
    Kind kind = Kind::None;
    std::string url;  ///< for Route and ApiRoute
};

/// Classifies `path_in_app` ('/'-separated, relative to the app root): `app/**/route.*`
/// (also under `src/`; route groups, parallel slots and intercepting markers are dropped
/// from the URL; a private `_folder` makes it no route), `pages/api/**` (also under
/// `src/`), and `middleware.*`/`proxy.*` at the app root or in `src/`.
RouteInfo classify_path(std::string_view path_in_app);

/// The project model. Built once after the per-file stage; read-only afterwards, so
/// rules may query it from several threads.
class Project {
public:
    explicit Project(std::vector<Unit> units);

    const std::vector<Unit>& units() const { return units_; }
    const std::vector<EntryPoint>& entry_points() const { return entries_; }

    /// The function an expression denotes in `file` (following local bindings and
    /// looking into wrapper calls for the handler they are given), or -1.
    int resolve_function(int file, const ValueRef& value) const;

    /// Every function reachable from `entry`'s handler: the handler, the functions nested
    /// in it (callbacks run on its behalf) and, transitively, the functions it calls.
    /// Sorted and unique.
    std::vector<FunctionRef> reachable(const EntryPoint& entry) const;

    /// The EntryRef that findings carry.
    EntryRef entry_ref(const EntryPoint& entry) const;

private:
    void find_entry_points();
    int resolve_function(int file, const ValueRef& value, int depth) const;
    std::vector<Unit> units_;
    std::vector<EntryPoint> entries_;
};

}  // namespace nextguard::analysis
