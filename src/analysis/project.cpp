#include "analysis/project.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace nextguard::analysis {

namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

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

Project::Project(std::vector<Unit> units) : units_(std::move(units)) { find_entry_points(); }

int Project::resolve_function(int file, const ValueRef& value) const { return resolve_function(file, value, 0); }

int Project::resolve_function(int file, const ValueRef& value, int depth) const {
    if (depth > 16) return -1;
    const auto& facts = units_[file].facts;
    const ValueRef* v = &value;
    for (int hops = 0; hops < 16 && v; ++hops) {
        switch (v->kind) {
            case ValueRef::Kind::Function: return v->function;
            case ValueRef::Kind::Identifier: {
                const Binding* b = facts.binding(v->name);
                v = b ? &b->value : nullptr;
                break;
            }
            case ValueRef::Kind::Call: {
                // A wrapper call: the handler is the first argument that is (or names) a function.
                for (const auto& arg : v->args) {
                    int f = resolve_function(file, arg, depth + 1);
                    if (f >= 0) return f;
                }
                return -1;
            }
            case ValueRef::Kind::Other: return -1;
        }
    }
    return -1;
}

void Project::find_entry_points() {
    for (int fi = 0; fi < static_cast<int>(units_.size()); ++fi) {
        const auto& unit = units_[fi];
        const auto& facts = unit.facts;
        std::string_view rel = facts.rel;
        std::string_view in_app = rel;
        if (!unit.app_dir.empty()) {
            if (!starts_with(rel, unit.app_dir) || rel.size() <= unit.app_dir.size() ||
                rel[unit.app_dir.size()] != '/')
                in_app = {};
            else
                in_app = rel.substr(unit.app_dir.size() + 1);
        }
        RouteInfo route = classify_path(in_app);

        auto add_export_entry = [&](EntryPoint::Kind kind, const Export& e, std::string url) {
            EntryPoint ep;
            ep.kind = kind;
            ep.name = e.name;
            ep.file = fi;
            ep.url = std::move(url);
            ep.range = e.range;
            ep.function = e.local.empty() ? resolve_function(fi, e.value)
                                          : resolve_function(fi, ValueRef{ValueRef::Kind::Identifier, -1, e.local, {}, {}});
            if (!e.from.empty()) ep.function = -1;
            entries_.push_back(std::move(ep));
        };

        for (const auto& e : facts.exports) {
            switch (route.kind) {
                case RouteInfo::Kind::Route:
                    if (is_http_method(e.name)) add_export_entry(EntryPoint::Kind::Route, e, route.url);
                    break;
                case RouteInfo::Kind::ApiRoute:
                    if (e.name == "default") add_export_entry(EntryPoint::Kind::ApiRoute, e, route.url);
                    break;
                case RouteInfo::Kind::Middleware:
                    if (e.name == "default" || e.name == "middleware" || e.name == "proxy") {
                        add_export_entry(EntryPoint::Kind::Middleware, e, "");
                        entries_.back().matchers = facts.middleware_config.matchers;
                    }
                    break;
                case RouteInfo::Kind::None: break;
            }
        }

        std::set<int> actions;
        if (facts.use_server) {
            for (const auto& e : facts.exports) {
                if (e.name == "*" || !e.from.empty()) continue;
                int f = e.local.empty()
                            ? resolve_function(fi, e.value)
                            : resolve_function(fi, ValueRef{ValueRef::Kind::Identifier, -1, e.local, {}, {}});
                if (f < 0) continue;  // types, constants: Next.js only allows async functions here
                add_export_entry(EntryPoint::Kind::ServerAction, e, "");
                actions.insert(f);
            }
        }
        for (int f = 0; f < static_cast<int>(facts.functions.size()); ++f) {
            const auto& fn = facts.functions[f];
            if (!fn.use_server || actions.count(f)) continue;
            EntryPoint ep;
            ep.kind = EntryPoint::Kind::ServerAction;
            ep.name = fn.name.empty() ? "(inline action)" : fn.name;
            ep.file = fi;
            ep.function = f;
            ep.range = fn.range;
            entries_.push_back(std::move(ep));
        }
    }
}

std::vector<FunctionRef> Project::reachable(const EntryPoint& entry) const {
    std::set<FunctionRef> seen;
    if (entry.function < 0) return {};
    std::vector<FunctionRef> work{{entry.file, entry.function}};
    while (!work.empty()) {
        FunctionRef cur = work.back();
        work.pop_back();
        if (!seen.insert(cur).second) continue;
        const auto& facts = units_[cur.file].facts;
        // Nested functions (callbacks, helpers declared inside) run on the function's behalf;
        // nested inline Server Actions are entry points of their own.
        for (int f = cur.function + 1; f < static_cast<int>(facts.functions.size()); ++f) {
            const auto& fn = facts.functions[f];
            if (fn.parent == cur.function && !fn.use_server) work.push_back({cur.file, f});
        }
        for (const auto& call : facts.calls) {
            if (call.function != cur.function || call.callee.empty()) continue;
            if (call.callee.find('.') != std::string::npos) continue;
            int f = resolve_function(cur.file, ValueRef{ValueRef::Kind::Identifier, -1, call.callee, {}, {}});
            if (f >= 0) work.push_back({cur.file, f});
        }
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

}  // namespace nextguard::analysis
