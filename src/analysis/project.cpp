#include "analysis/project.hpp"

#include "analysis/auth.hpp"
#include "analysis/taint_model.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace nextguard::analysis {

namespace {

std::vector<std::string_view> split(std::string_view s) {
    std::vector<std::string_view> out;
    size_t start = 0;
    while (start <= s.size()) {
        size_t slash = s.find('/', start);
        if (slash == std::string_view::npos) slash = s.size();
        if (slash > start) out.push_back(s.substr(start, slash - start));
        start = slash + 1;
    }
    return out;
}

/// The file name without its (last) extension.
std::string_view stem(std::string_view file) {
    size_t dot = file.rfind('.');
    return dot == std::string_view::npos ? file : file.substr(0, dot);
}

bool is_source_name(std::string_view file) {
    static constexpr std::array exts = {".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts"};
    for (auto e : exts) {
        std::string_view ext(e);
        if (file.size() > ext.size() && file.substr(file.size() - ext.size()) == ext) return true;
    }
    return false;
}

}  // namespace

const char* EntryPoint::kind_name(Kind k) {
    switch (k) {
        case Kind::Route: return "route";
        case Kind::ApiRoute: return "api-route";
        case Kind::ServerAction: return "server-action";
        case Kind::Middleware: return "middleware";
        case Kind::Procedure: return "trpc-procedure";
    }
    return "route";
}

bool is_http_method(std::string_view name) {
    static constexpr std::array methods = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
    return std::find(methods.begin(), methods.end(), name) != methods.end();
}

RouteInfo classify_path(std::string_view path) {
    RouteInfo info;
    auto parts = split(path);
    if (parts.empty() || !is_source_name(parts.back())) return info;
    size_t i = 0;
    if (parts[0] == "src") i = 1;
    if (i >= parts.size()) return info;
    std::string_view file = parts.back();
    // middleware.ts / proxy.ts at the app root or in src/
    if (i + 1 == parts.size()) {
        auto s = stem(file);
        if (s == "middleware" || s == "proxy") info.kind = RouteInfo::Kind::Middleware;
        return info;
    }
    if (parts[i] == "app" && stem(file) == "route") {
        std::string url;
        for (size_t k = i + 1; k + 1 < parts.size(); ++k) {
            auto seg = parts[k];
            if (seg.front() == '_') return info;  // private folder: not routable
            if (seg.front() == '@') continue;     // parallel route slot
            if (seg.front() == '(') {
                // route group "(group)"; intercepting routes "(.)x", "(..)x", "(...)x" keep the rest
                size_t close = seg.find(')');
                if (close == std::string_view::npos) return info;
                std::string_view rest = seg.substr(close + 1);
                if (rest.empty()) continue;
                seg = rest;
            }
            url += '/';
            url += seg;
        }
        info.kind = RouteInfo::Kind::Route;
        info.url = url.empty() ? "/" : url;
        return info;
    }
    if (parts[i] == "pages" && i + 1 < parts.size() && parts[i + 1] == "api") {
        std::string url;
        for (size_t k = i + 1; k + 1 < parts.size(); ++k) {
            url += '/';
            url += parts[k];
        }
        auto s = stem(file);
        if (s != "index") {
            url += '/';
            url += s;
        }
        info.kind = RouteInfo::Kind::ApiRoute;
        info.url = url;
        return info;
    }
    return info;
}

RouteInfo classify_file(std::string_view rel, std::string_view app_dir) {
    if (app_dir.empty()) return classify_path(rel);
    if (!rel.starts_with(app_dir) || rel.size() <= app_dir.size() || rel[app_dir.size()] != '/') return {};
    return classify_path(rel.substr(app_dir.size() + 1));
}

bool is_test_file(std::string_view rel) {
    for (std::string_view folder : {"__tests__/", "__mocks__/"})
        if (rel.starts_with(folder) || rel.find("/" + std::string(folder)) != std::string_view::npos) return true;
    std::string_view name = rel.substr(rel.rfind('/') + 1);
    name = name.substr(0, name.rfind('.'));  // drop the extension
    return name.ends_with(".test") || name.ends_with(".spec");
}

namespace {

std::vector<std::string> unit_paths(const std::vector<Unit>& units) {
    std::vector<std::string> out;
    out.reserve(units.size());
    for (const auto& u : units) out.push_back(u.facts.rel);
    return out;
}

constexpr int kMaxResolveDepth = 24;

}  // namespace

Project::Project(std::vector<Unit> units, std::vector<AppConfig> apps, std::vector<project::WorkspacePackage> packages,
                 const Knowledge* knowledge)
    : units_(std::move(units)),
      modules_(unit_paths(units_), std::move(apps), std::move(packages)),
      knowledge_(knowledge ? knowledge : &Knowledge::builtin()) {
    bindings_by_name_.resize(units_.size());
    imports_by_local_.resize(units_.size());
    modules_by_specifier_.resize(units_.size());
    for (size_t u = 0; u < units_.size(); ++u) {
        const auto& facts = units_[u].facts;
        for (int i = static_cast<int>(facts.bindings.size()); i-- > 0;)  // the first binding of a name wins
            bindings_by_name_[u][facts.bindings[i].name] = i;
        for (int i = static_cast<int>(facts.imports.size()); i-- > 0;)
            if (!facts.imports[i].type_only) imports_by_local_[u][facts.imports[i].local] = i;
        auto& mods = modules_by_specifier_[u];
        for (const auto& imp : facts.imports)
            if (!mods.count(imp.specifier)) mods[imp.specifier] = modules_.resolve(static_cast<int>(u), units_[u].app, imp.specifier);
        for (const auto& e : facts.exports)
            if (!e.from.empty() && !mods.count(e.from)) mods[e.from] = modules_.resolve(static_cast<int>(u), units_[u].app, e.from);
    }
    calls_by_fn_.resize(units_.size());
    nested_by_fn_.resize(units_.size());
    for (size_t u = 0; u < units_.size(); ++u) {
        const auto& facts = units_[u].facts;
        calls_by_fn_[u].resize(facts.functions.size());
        nested_by_fn_[u].resize(facts.functions.size());
        for (int c = 0; c < static_cast<int>(facts.calls.size()); ++c)
            if (int f = facts.calls[c].function; f >= 0 && !facts.calls[c].deferred) calls_by_fn_[u][f].push_back(c);
        for (int f = 0; f < static_cast<int>(facts.functions.size()); ++f)
            // The methods of an object a function returns, and a library's hooks, are not run on its behalf.
            if (int p = facts.functions[f].parent;
                p >= 0 && !facts.functions[f].returned_member && !facts.functions[f].deferred)
                nested_by_fn_[u][p].push_back(f);
    }
    callees_.resize(units_.size());
    for (size_t u = 0; u < units_.size(); ++u) {
        const auto& calls = units_[u].facts.calls;
        callees_[u].resize(calls.size());
        for (size_t c = 0; c < calls.size(); ++c)
            if (!calls[c].callee.empty()) callees_[u][c] = resolve_callee(static_cast<int>(u), calls[c].callee);
        // A call of a project function named like a database method (`userRepo.update(db,
        // id, data)`) is no operation of its own: the function's operations are.
        auto& ops = units_[u].facts.db_ops;
        std::erase_if(ops, [&](const DbOp& op) {
            return op.call >= 0 && static_cast<size_t>(op.call) < calls.size() && callees_[u][op.call];
        });
    }
    find_entry_points();
}

const Binding* Project::local_binding(int file, std::string_view name) const {
    const auto& m = bindings_by_name_[file];
    auto it = m.find(std::string(name));
    return it == m.end() ? nullptr : &units_[file].facts.bindings[it->second];
}

int Project::resolve_module(int file, std::string_view specifier) const {
    const auto& m = modules_by_specifier_[file];
    if (auto it = m.find(std::string(specifier)); it != m.end()) return it->second;
    return modules_.resolve(file, units_[file].app, specifier);
}

FunctionRef Project::resolve_function(int file, const ValueRef& value) const { return resolve_value(file, value, 0); }

FunctionRef Project::resolve_export(int file, std::string_view name) const { return resolve_export(file, name, 0); }

FunctionRef Project::resolve_value(int file, const ValueRef& v, int depth) const {
    if (depth > kMaxResolveDepth) return {};
    switch (v.kind) {
        case ValueRef::Kind::Function:
            return v.function >= 0 ? FunctionRef{file, v.function} : FunctionRef{};
        case ValueRef::Kind::Identifier: return resolve_name(file, v.name, depth + 1);
        case ValueRef::Kind::Call:
            // A wrapper call: the handler is the first argument that is (or names) a function,
            // else the handler of a config object (`createRoute({ schema, fn: async () => ... })`).
            for (const auto& arg : v.args)
                if (FunctionRef f = resolve_value(file, arg, depth + 1)) return f;
            for (const auto& arg : v.args)
                if (arg.kind == ValueRef::Kind::Object)
                    if (FunctionRef f = config_handler(file, arg, depth + 1)) return f;
            return {};
        case ValueRef::Kind::Other:
        case ValueRef::Kind::Strings:
        case ValueRef::Kind::Object: return {};
    }
    return {};
}

FunctionRef Project::config_handler(int file, const ValueRef& object, int depth) const {
    static constexpr std::string_view handler_keys[] = {"handler", "fn", "handle", "action", "resolve", "execute", "run"};
    for (std::string_view key : handler_keys)
        for (size_t i = 0; i < object.strings.size() && i < object.args.size(); ++i)
            if (object.strings[i] == key)
                if (FunctionRef f = resolve_value(file, object.args[i], depth)) return f;
    return {};
}

FunctionRef Project::resolve_name(int file, std::string_view name, int depth) const {
    if (depth > kMaxResolveDepth) return {};
    const auto& facts = units_[file].facts;
    if (const Binding* b = local_binding(file, name)) return resolve_value(file, b->value, depth + 1);
    for (const auto& imp : facts.imports) {
        if (imp.local != name || imp.type_only || imp.imported == "*") continue;
        int target = resolve_module(file, imp.specifier);
        return target < 0 ? FunctionRef{} : resolve_export(target, imp.imported, depth + 1);
    }
    return {};
}

FunctionRef Project::resolve_export(int file, std::string_view name, int depth) const {
    if (depth > kMaxResolveDepth || file < 0) return {};
    const auto& facts = units_[file].facts;
    for (const auto& e : facts.exports) {
        if (e.name != name) continue;
        if (!e.from.empty()) {
            if (e.local == "*") return {};  // `export * as ns from`: a namespace object
            int target = resolve_module(file, e.from);
            return target < 0 ? FunctionRef{} : resolve_export(target, e.local.empty() ? name : e.local, depth + 1);
        }
        if (!e.local.empty()) return resolve_name(file, e.local, depth + 1);
        return resolve_value(file, e.value, depth + 1);
    }
    if (name == "default") return {};  // `export *` never re-exports the default
    for (const auto& e : facts.exports) {
        if (e.name != "*" || e.from.empty()) continue;
        int target = resolve_module(file, e.from);
        if (target < 0) continue;
        if (FunctionRef f = resolve_export(target, name, depth + 1)) return f;
    }
    return {};
}

FunctionRef Project::resolve_callee(int file, std::string_view callee) const {
    size_t dot = callee.find('.');
    if (dot == std::string_view::npos) return resolve_name(file, callee, 0);
    // `ns.fn()` through `import * as ns from "./m"`
    if (callee.find('.', dot + 1) != std::string_view::npos) return {};
    std::string_view ns = callee.substr(0, dot), member = callee.substr(dot + 1);
    const auto& facts = units_[file].facts;
    // `service.method()` on an object literal: `export const service = { async method() {} }`
    if (auto [bf, b] = resolve_binding(file, ns); b) {
        if (b->value.kind != ValueRef::Kind::Object) return {};
        for (size_t i = 0; i < b->value.strings.size() && i < b->value.args.size(); ++i)
            if (b->value.strings[i] == member) return resolve_value(bf, b->value.args[i], 1);
        return {};
    }
    for (const auto& imp : facts.imports) {
        if (imp.local != ns || imp.imported != "*") continue;
        int target = resolve_module(file, imp.specifier);
        return target < 0 ? FunctionRef{} : resolve_export(target, member, 0);
    }
    return {};
}

const Import* Project::import_of(int file, std::string_view local) const {
    const auto& m = imports_by_local_[file];
    auto it = m.find(std::string(local));
    return it == m.end() ? nullptr : &units_[file].facts.imports[it->second];
}

bool Project::calls_method(int file, const Call& call, const CallPattern& p) const {
    if (call.loose.find('.') == std::string::npos) return false;  // a bare name is no method
    const auto& imports = units_[file].facts.imports;
    if (!calls_pattern(p, call.loose, imports, true)) return false;  // the method's name
    if (calls_pattern(p, call.loose, imports)) return true;
    const Import* root = import_of(file, call.root);
    int m = root ? resolve_module(file, root->specifier) : -1;
    return m >= 0 && calls_pattern(p, call.loose, units_[m].facts.imports);
}

std::pair<int, const Binding*> Project::resolve_binding(int file, std::string_view name) const {
    return resolve_binding(file, name, 0);
}

std::pair<int, const Binding*> Project::resolve_binding(int file, std::string_view name, int depth) const {
    if (depth > kMaxResolveDepth || file < 0) return {-1, nullptr};
    if (const Binding* b = local_binding(file, name)) return {file, b};
    const Import* imp = import_of(file, name);
    if (!imp || imp->imported == "*") return {-1, nullptr};
    int target = resolve_module(file, imp->specifier);
    return target < 0 ? std::pair<int, const Binding*>{-1, nullptr}
                      : resolve_exported_binding(target, imp->imported, depth + 1);
}

std::pair<int, const Binding*> Project::resolve_exported_binding(int file, std::string_view name, int depth) const {
    if (depth > kMaxResolveDepth || file < 0) return {-1, nullptr};
    const auto& facts = units_[file].facts;
    for (const auto& e : facts.exports) {
        if (e.name != name) continue;
        if (!e.from.empty()) {
            if (e.local == "*") return {-1, nullptr};
            int target = resolve_module(file, e.from);
            return resolve_exported_binding(target, e.local.empty() ? name : e.local, depth + 1);
        }
        return resolve_binding(file, e.local.empty() ? name : e.local, depth + 1);
    }
    if (name == "default") return {-1, nullptr};
    for (const auto& e : facts.exports) {
        if (e.name != "*" || e.from.empty()) continue;
        auto found = resolve_exported_binding(resolve_module(file, e.from), name, depth + 1);
        if (found.second) return found;
    }
    return {-1, nullptr};
}

std::optional<Import> Project::package_origin(int file, std::string_view local) const {
    return package_origin(file, local, 0);
}

std::optional<Import> Project::package_origin(int file, std::string_view local, int depth) const {
    const Import* imp = import_of(file, local);
    if (!imp || depth > kMaxResolveDepth) return std::nullopt;
    int target = resolve_module(file, imp->specifier);
    if (target < 0) return depth == 0 ? std::nullopt : std::optional<Import>(*imp);
    if (imp->imported == "*") return std::nullopt;
    return exported_origin(target, imp->imported, depth + 1);
}

std::optional<Import> Project::exported_origin(int file, std::string_view name, int depth) const {
    if (depth > kMaxResolveDepth || file < 0) return std::nullopt;
    for (const auto& e : units_[file].facts.exports) {
        if (e.name != name) continue;
        if (!e.from.empty()) {
            if (e.local == "*") return std::nullopt;
            std::string inner = e.local.empty() ? std::string(name) : e.local;
            int target = resolve_module(file, e.from);
            if (target < 0) return Import{e.from, inner, std::string(name), false, e.range.start.line};
            return exported_origin(target, inner, depth + 1);
        }
        // `export { NextAuth }`, `export default NextAuth`: a name of this module
        std::string local = !e.local.empty() ? e.local
                            : e.value.kind == ValueRef::Kind::Identifier ? e.value.name
                                                                         : std::string(name);
        return package_origin(file, local, depth + 1);
    }
    return std::nullopt;
}

std::pair<int, const Export*> Project::export_site(int file, std::string_view name, int depth) const {
    if (depth > kMaxResolveDepth || file < 0) return {-1, nullptr};
    const auto& facts = units_[file].facts;
    for (const auto& e : facts.exports) {
        if (e.name != name) continue;
        if (e.from.empty()) return {file, &e};
        if (e.local == "*") return {-1, nullptr};
        return export_site(resolve_module(file, e.from), e.local.empty() ? name : e.local, depth + 1);
    }
    if (name == "default") return {-1, nullptr};
    for (const auto& e : facts.exports) {
        if (e.name != "*" || e.from.empty()) continue;
        auto found = export_site(resolve_module(file, e.from), name, depth + 1);
        if (found.second) return found;
    }
    return {-1, nullptr};
}

void Project::find_entry_points() {
    for (int fi = 0; fi < static_cast<int>(units_.size()); ++fi) {
        const auto& unit = units_[fi];
        const auto& facts = unit.facts;
        RouteInfo route = classify_file(facts.rel, unit.app_dir);

        auto add_entry = [&](EntryPoint::Kind kind, std::string name, Range range, std::string url,
                             const Export* e = nullptr) {
            EntryPoint ep;
            ep.kind = kind;
            ep.handler = resolve_export(fi, name);
            ep.name = std::move(name);
            ep.file = fi;
            ep.url = std::move(url);
            ep.range = range;
            if (e && !e->from.empty()) ep.reexport_from = e->from;
            // The exported expression, wherever re-exports lead.
            auto [site_file, site] = export_site(fi, ep.name, 0);
            if (site) {
                ep.value_file = site_file;
                if (site->local.empty()) ep.value = &site->value;
                else if (const Binding* b = units_[site_file].facts.binding(site->local)) ep.value = &b->value;
            }
            entries_.push_back(std::move(ep));
        };

        for (const auto& e : facts.exports) {
            switch (route.kind) {
                case RouteInfo::Kind::Route:
                    if (is_http_method(e.name)) add_entry(EntryPoint::Kind::Route, e.name, e.range, route.url, &e);
                    break;
                case RouteInfo::Kind::ApiRoute:
                    if (e.name == "default") add_entry(EntryPoint::Kind::ApiRoute, e.name, e.range, route.url, &e);
                    break;
                case RouteInfo::Kind::Middleware:
                    if (e.name == "default" || e.name == "middleware" || e.name == "proxy") {
                        add_entry(EntryPoint::Kind::Middleware, e.name, e.range, "", &e);
                        entries_.back().matchers = facts.middleware_config.matchers;
                    }
                    break;
                case RouteInfo::Kind::None: break;
            }
        }
        // `export * from "../other/route"` exposes the other route's handlers here too.
        if (route.kind == RouteInfo::Kind::Route) {
            for (const auto& star : facts.exports) {
                if (star.name != "*" || star.from.empty()) continue;
                for (std::string_view method : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
                    bool explicit_export = std::any_of(facts.exports.begin(), facts.exports.end(),
                                                       [&](const Export& e) { return e.name == method; });
                    bool listed = std::any_of(entries_.begin(), entries_.end(), [&](const EntryPoint& ep) {
                        return ep.file == fi && ep.name == method;
                    });
                    if (explicit_export || listed) continue;
                    int target = resolve_module(fi, star.from);
                    if (target >= 0 && resolve_export(target, method))
                        add_entry(EntryPoint::Kind::Route, std::string(method), star.range, route.url);
                }
            }
        }

        std::set<int> actions;
        if (facts.use_server) {
            for (const auto& e : facts.exports) {
                if (e.name == "*" || !e.from.empty()) continue;
                FunctionRef f = resolve_export(fi, e.name);
                if (!f) continue;  // types, constants: Next.js only allows async functions here
                add_entry(EntryPoint::Kind::ServerAction, e.name, e.range, "", &e);
                if (f.file == fi) actions.insert(f.function);
            }
        }
        for (const auto& proc : facts.procedures) {
            EntryPoint ep;
            ep.kind = EntryPoint::Kind::Procedure;
            ep.name = proc.name;
            ep.file = fi;
            ep.range = proc.range;
            ep.value = &proc.chain;
            ep.value_file = fi;
            for (const auto& arg : proc.chain.args)
                if ((ep.handler = resolve_function(fi, arg))) break;
            entries_.push_back(std::move(ep));
        }
        for (int f = 0; f < static_cast<int>(facts.functions.size()); ++f) {
            const auto& fn = facts.functions[f];
            if (!fn.use_server || actions.count(f)) continue;
            EntryPoint ep;
            ep.kind = EntryPoint::Kind::ServerAction;
            ep.name = fn.name.empty() ? "(inline action)" : fn.name;
            ep.file = fi;
            ep.handler = {fi, f};
            ep.range = fn.range;
            entries_.push_back(std::move(ep));
        }
    }
    for (auto& ep : entries_)
        if ((ep.kind == EntryPoint::Kind::Route || ep.kind == EntryPoint::Kind::ApiRoute) && ep.handler)
            ep.dispatches = dispatcher_call(ep.handler);
    add_route_table_entries();
}

namespace {

/// "GET /", "POST /messages": a key of a route table, or "" when `key` is none.
bool route_table_key(std::string_view key) {
    size_t sp = key.find(' ');
    return sp != std::string_view::npos && is_http_method(key.substr(0, sp)) && sp + 1 < key.size() && key[sp + 1] == '/';
}

/// The URL a route table key is served at: the catch-all segment of `url` replaced by the
/// key's path (`/api/conversations/[[...c]]` + `POST /messages` -> `/api/conversations/messages`).
std::string table_url(std::string_view url, std::string_view key) {
    std::string base(url);
    size_t slash = base.rfind('/');
    if (slash != std::string::npos && base.compare(slash + 1, 4, "[...") == 0) base.resize(slash);
    else if (slash != std::string::npos && base.compare(slash + 1, 5, "[[...") == 0) base.resize(slash);
    std::string_view path = key.substr(key.find(' ') + 1);
    if (path == "/") return base.empty() ? "/" : base;
    return base + std::string(path);
}

}  // namespace

void Project::add_route_table_entries() {
    // A catch-all route whose handler dispatches through a table of handlers keyed by
    // method and path (`const routes = { "GET /": fn, "POST /messages": fn }`, looked up
    // with `routes[`${method} /${path}`]`): each key is an entry point of its own. The table
    // sits in a file the route's handler reaches.
    std::vector<EntryPoint> added;
    for (auto& ep : entries_) {
        if ((ep.kind != EntryPoint::Kind::Route && ep.kind != EntryPoint::Kind::ApiRoute) || !ep.handler ||
            ep.url.find("[...") == std::string::npos)
            continue;
        std::set<int> files{ep.file};
        for (FunctionRef f : reachable(ep)) files.insert(f.file);
        for (int file : files) {
            for (const auto& b : units_[file].facts.bindings) {
                if (b.value.kind != ValueRef::Kind::Object) continue;
                for (size_t k = 0; k < b.value.strings.size() && k < b.value.args.size(); ++k) {
                    const std::string& key = b.value.strings[k];
                    if (!route_table_key(key)) continue;
                    FunctionRef handler = resolve_function(file, b.value.args[k]);
                    if (!handler) continue;
                    EntryPoint t;
                    t.kind = ep.kind;
                    t.name = key;
                    t.file = ep.file;
                    t.handler = handler;
                    t.url = table_url(ep.url, key);
                    t.range = ep.range;
                    added.push_back(std::move(t));
                    ep.dispatches = "route table " + b.name;
                }
            }
        }
    }
    // A Pages Router handler made from a table of methods: `export default withMethods({
    // GET: createKeyRoute({...}), PUT: createOpenRoute({...}) })`. Each method is an entry
    // point with its own wrapper.
    for (auto& ep : entries_) {
        if (ep.kind != EntryPoint::Kind::ApiRoute || !ep.value || ep.value->kind != ValueRef::Kind::Call) continue;
        for (const auto& arg : ep.value->args) {
            if (arg.kind != ValueRef::Kind::Object) continue;
            for (size_t k = 0; k < arg.strings.size() && k < arg.args.size(); ++k) {
                if (!is_http_method(arg.strings[k])) continue;
                EntryPoint t;
                t.kind = ep.kind;
                t.name = arg.strings[k];
                t.file = ep.file;
                t.value = &arg.args[k];
                t.value_file = ep.value_file;
                t.handler = resolve_function(ep.value_file, arg.args[k]);
                t.url = ep.url;
                t.range = ep.range;
                added.push_back(std::move(t));
                ep.dispatches = "method table";
            }
        }
    }
    for (auto& t : added) entries_.push_back(std::move(t));
}

std::string Project::dispatcher_call(FunctionRef f) const {
    std::vector<FunctionRef> todo{f};
    for (size_t i = 0; i < todo.size() && i < 64; ++i) {
        const auto& facts = units_[todo[i].file].facts;
        for (int ci : calls_by_fn_[todo[i].file][todo[i].function]) {
            const Call& c = facts.calls[ci];
            if (c.callee.empty() || c.callee.find('.') != std::string::npos) continue;
            const Import* imp = import_of(todo[i].file, c.callee);
            if (!imp) continue;
            for (const auto& lib : knowledge_->libraries)
                for (const auto& p : lib.dispatchers)
                    if (p.form == CallPattern::Form::Function && imp->imported == p.name &&
                        std::find(p.from.begin(), p.from.end(), imp->specifier) != p.from.end())
                        return c.callee;
        }
        for (int n : nested_by_fn_[todo[i].file][todo[i].function]) todo.push_back({todo[i].file, n});
    }
    return {};
}

std::vector<FunctionRef> Project::reachable(const EntryPoint& entry) const {
    std::set<FunctionRef> seen;
    if (!entry.handler) return {};
    std::vector<FunctionRef> work{entry.handler};
    while (!work.empty()) {
        FunctionRef cur = work.back();
        work.pop_back();
        if (!seen.insert(cur).second) continue;
        const auto& facts = units_[cur.file].facts;
        // Nested functions (callbacks, helpers declared inside) run on the function's behalf;
        // nested inline Server Actions are entry points of their own.
        for (int f : nested_by_fn_[cur.file][cur.function])
            if (!facts.functions[f].use_server) work.push_back({cur.file, f});
        for (int c : calls_by_fn_[cur.file][cur.function])
            if (FunctionRef f = callees_[cur.file][c]) work.push_back(f);
    }
    return {seen.begin(), seen.end()};
}
EntryRef Project::entry_ref(const EntryPoint& entry) const {
    EntryRef r;
    r.kind = EntryPoint::kind_name(entry.kind);
    r.name = entry.name;
    r.file = units_[entry.file].facts.rel;
    r.line = entry.range.start.line;
    r.column = entry.range.start.column;
    r.url = entry.url;
    return r;
}

const TaintModel& Project::taint() const {
    std::call_once(taint_once_, [this] { taint_ = std::make_unique<TaintModel>(*this); });
    return *taint_;
}

const AuthModel& Project::auth() const {
    std::call_once(auth_once_, [this] { auth_ = std::make_unique<AuthModel>(*this); });
    return *auth_;
}

Project::~Project() = default;

}  // namespace nextguard::analysis
