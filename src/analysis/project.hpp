// The project model: every file's facts, the Next.js entry points found in them, and
// what each entry point reaches.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "analysis/facts.hpp"
#include "analysis/knowledge.hpp"
#include "analysis/modules.hpp"
#include "core/diagnostic.hpp"

namespace nextguard::analysis {

/// One analyzed file and the Next.js app it belongs to.
struct Unit {
    FileFacts facts;
    std::string app_dir;  ///< the app root relative to the workspace root, "" for the root
    /// index into the Project's AppConfig list of the root resolving its imports (its app,
    /// or a package with a tsconfig of its own: SourceFile::scope), -1 when none
    int app = -1;
};

/// A function of one file.
struct FunctionRef {
    explicit operator bool() const { return file >= 0 && function >= 0; }
    int file = -1;
    int function = -1;
    bool operator==(const FunctionRef&) const = default;
    auto operator<=>(const FunctionRef&) const = default;
};

/// A place where untrusted requests enter the application.
struct EntryPoint {
    enum class Kind { Route, ApiRoute, ServerAction, Middleware, Procedure };
    Kind kind = Kind::Route;
    std::string name;  ///< exported name: "POST", "default", "deleteProject"
    int file = -1;     ///< index into Project::units(): where the entry point is declared
    FunctionRef handler;  ///< the handler function (maybe in another file); empty when unresolved
    std::string url;   ///< URL pattern for routes and API routes ("/api/projects/[id]")
    Range range;       ///< where the entry point is declared
    std::vector<std::string> matchers;  ///< middleware: config.matcher entries
    /// The exported expression (`withAuth(handler)`, `client.action(fn)`, the procedure
    /// chain), in the declaring file's facts; nullptr when not an expression of that file.
    const ValueRef* value = nullptr;
    int value_file = -1;  ///< the file `value` belongs to (another one for re-exported handlers)
    std::string reexport_from;  ///< `export { default } from "<module>"`: the module
    /// A route whose handler hands the request to entry points of their own (a tRPC
    /// adapter, a table of handlers keyed "METHOD /path"): the dispatcher call or table, else
    /// "". Rules skip it; the procedures or table entries are reported instead.
    std::string dispatches;

    /// "route", "api-route", "server-action", "middleware", "trpc-procedure".
    static const char* kind_name(Kind k);
    /// Rules report on it: not middleware, not a dispatcher.
    bool reported() const { return kind != Kind::Middleware && dispatches.empty(); }
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

/// classify_path() for a workspace-relative path `rel` of the app at `app_dir` ("" for
/// the workspace root); None when `rel` lies outside that app.
RouteInfo classify_file(std::string_view rel, std::string_view app_dir);

/// A test or mock file: `*.test.*`, `*.spec.*`, or anything under `__tests__/` or
/// `__mocks__/`. No request runs it, and its calls say nothing of production callers.
bool is_test_file(std::string_view rel);

/// The project model. Built once after the per-file stage; read-only afterwards, so
/// rules may query it from several threads.
class TaintModel;
class AuthModel;

class Project {
public:
    /// `apps` holds the module-resolution settings that Unit::app points into; `packages`
    /// the workspace's package.json files, for monorepo packages and `#imports`.
    /// `knowledge` (default: the built-in one) must outlive the model.
    explicit Project(std::vector<Unit> units, std::vector<AppConfig> apps = {},
                     std::vector<project::WorkspacePackage> packages = {}, const Knowledge* knowledge = nullptr);

    /// The library knowledge the facts were extracted with.
    const Knowledge& knowledge() const { return *knowledge_; }
    // Entry points point into the units' facts: the model is neither copied nor moved.
    Project(const Project&) = delete;
    Project& operator=(const Project&) = delete;

    const std::vector<Unit>& units() const { return units_; }
    const std::vector<EntryPoint>& entry_points() const { return entries_; }

    /// The function an expression denotes in `file`, following local bindings, imports
    /// (through re-exports and barrels) and looking into wrapper calls for the handler
    /// they are given; empty when it cannot be resolved.
    FunctionRef resolve_function(int file, const ValueRef& value) const;

    /// The function `file` exports as `name` (following re-exports), or empty.
    FunctionRef resolve_export(int file, std::string_view name) const;

    /// The unit an import specifier of `file` names, or -1 (packages, unanalyzed files).
    int resolve_module(int file, std::string_view specifier) const;

    /// The function a call's callee names (`helper`, `ns.helper`), or empty.
    FunctionRef resolve_callee(int file, std::string_view callee) const;

    /// The function call `call` of `file` calls, resolved once when the model is built.
    FunctionRef callee_of(int file, int call) const { return callees_[file][call]; }

    /// The module-level binding `name` of `file` itself (no imports followed), or nullptr.
    const Binding* local_binding(int file, std::string_view name) const;

    /// The module-level binding `name` denotes in `file`, following imports and
    /// re-exports: the file that declares it and the binding; {-1, nullptr} if none.
    std::pair<int, const Binding*> resolve_binding(int file, std::string_view name) const;

    /// The import of `file` that binds `local`, or nullptr.
    const Import* import_of(int file, std::string_view local) const;

    /// True when `call` of `file` is the method `p` names (Method form): its callee path ends
    /// with the method (`ratelimit.limit`), and the library of `p.if_imported` is imported by
    /// `file` or by the project module the receiver comes from (`import { ratelimit } from
    /// "@/lib/ratelimit"`, where that module imports @upstash/ratelimit).
    bool calls_method(int file, const Call& call, const CallPattern& p) const;

    /// When the import of `file` binding `local` names a module of the project, the import
    /// of a package that module passes on under that name (`export default NextAuth` of an
    /// `import NextAuth from "next-auth"`, `export { auth } from "@clerk/nextjs/server"`),
    /// followed through further project modules; std::nullopt otherwise.
    std::optional<Import> package_origin(int file, std::string_view local) const;

    /// The functions nested in `f` that run on its behalf (direct children only): not the
    /// methods of an object literal it returns (Function::returned_member).
    const std::vector<int>& nested(FunctionRef f) const { return nested_by_fn_[f.file][f.function]; }
    /// The calls made directly in `f` (indexes into its file's calls).
    const std::vector<int>& calls_in(FunctionRef f) const { return calls_by_fn_[f.file][f.function]; }

    /// Every function reachable from `entry`'s handler: the handler, the functions nested
    /// in it (callbacks run on its behalf) and, transitively, the functions it calls.
    /// Sorted and unique.
    std::vector<FunctionRef> reachable(const EntryPoint& entry) const;

    /// The EntryRef that findings carry.
    EntryRef entry_ref(const EntryPoint& entry) const;

    /// The taint summaries, computed on first use and shared by the rules that read them
    /// (thread-safe).
    const TaintModel& taint() const;
    /// Who authenticates each entry point (several rules read it), built once on first use.
    const AuthModel& auth() const;
    ~Project();

private:
    void find_entry_points();
    void add_route_table_entries();
    /// The dispatcher call (knowledge "dispatchers") `f` or a function nested in it makes, or "".
    std::string dispatcher_call(FunctionRef f) const;
    FunctionRef resolve_value(int file, const ValueRef& value, int depth) const;
    FunctionRef resolve_name(int file, std::string_view name, int depth) const;
    /// The handler of a wrapper's config object: its `handler`, `fn`, `handle`... member.
    FunctionRef config_handler(int file, const ValueRef& object, int depth) const;
    FunctionRef resolve_export(int file, std::string_view name, int depth) const;
    std::pair<int, const Binding*> resolve_binding(int file, std::string_view name, int depth) const;
    std::pair<int, const Binding*> resolve_exported_binding(int file, std::string_view name, int depth) const;
    std::optional<Import> package_origin(int file, std::string_view local, int depth) const;
    std::optional<Import> exported_origin(int file, std::string_view name, int depth) const;
    /// Where `name` is finally exported from (following re-exports): the file and the export.
    std::pair<int, const Export*> export_site(int file, std::string_view name, int depth) const;
    std::vector<Unit> units_;
    ModuleResolver modules_;
    const Knowledge* knowledge_;
    /// Per unit: bindings and imports by local name, resolved specifiers, resolved callees.
    std::vector<std::unordered_map<std::string, int>> bindings_by_name_, imports_by_local_;
    std::vector<std::unordered_map<std::string, int>> modules_by_specifier_;
    std::vector<std::vector<FunctionRef>> callees_;
    /// Per unit, per function: the indexes of its calls and of the functions nested in it.
    std::vector<std::vector<std::vector<int>>> calls_by_fn_, nested_by_fn_;
    std::vector<EntryPoint> entries_;
    mutable std::once_flag taint_once_;
    mutable std::unique_ptr<TaintModel> taint_;
    mutable std::once_flag auth_once_;
    mutable std::unique_ptr<AuthModel> auth_;
};

}  // namespace nextguard::analysis
