#include "analysis/modules.hpp"

#include <algorithm>
#include <array>

namespace nextguard::analysis {

namespace {

constexpr std::array kExtensions = {".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"};

std::string_view dirname(std::string_view path) {
    size_t slash = path.rfind('/');
    return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

/// Longest `#x` -> package -> ... chain followed.
constexpr int kMaxPackageDepth = 8;

/// True when the folder `dir` ("" = the workspace root) holds `path`, at any depth.
bool folder_contains(std::string_view dir, std::string_view path) {
    if (dir.empty()) return !path.starts_with("../");
    return path.size() > dir.size() && path.starts_with(dir) && path[dir.size()] == '/';
}

/// How many leading folders `dir` and the folder of `path` share.
size_t shared_folders(std::string_view dir, std::string_view path) {
    size_t n = 0, i = 0;
    while (i < dir.size()) {
        size_t end = dir.find('/', i);
        if (end == std::string_view::npos) end = dir.size();
        std::string_view seg = dir.substr(i, end - i);
        if (!path.substr(i).starts_with(seg) || path.size() <= end || path[end] != '/') break;
        ++n;
        i = end + 1;
    }
    return n;
}

/// Splits a package specifier into its name ("pkg", "@scope/pkg") and subpath ("", "a/b");
/// false when it is no package name.
bool split_package(std::string_view spec, std::string_view& name, std::string_view& sub) {
    size_t end = spec.find('/');
    if (!spec.empty() && spec.front() == '@') {
        if (end == std::string_view::npos || end == 1) return false;
        end = spec.find('/', end + 1);
    }
    name = spec.substr(0, end);
    sub = end == std::string_view::npos ? std::string_view() : spec.substr(end + 1);
    return !name.empty() && name.back() != '/' && name.front() != '.';
}

/// `target` with every '*' replaced by `captured`.
std::string substitute(std::string target, std::string_view captured) {
    for (size_t s = target.find('*'); s != std::string::npos; s = target.find('*', s + captured.size()))
        target.replace(s, 1, captured);
    return target;
}

}  // namespace

std::string join_paths(std::string_view dir, std::string_view rel) {
    std::vector<std::string_view> parts;
    auto push = [&](std::string_view text) {
        size_t start = 0;
        while (start <= text.size()) {
            size_t slash = text.find('/', start);
            if (slash == std::string_view::npos) slash = text.size();
            std::string_view seg = text.substr(start, slash - start);
            if (seg == "..") {
                if (!parts.empty() && parts.back() != "..") parts.pop_back();
                else parts.push_back(seg);
            } else if (!seg.empty() && seg != ".") {
                parts.push_back(seg);
            }
            start = slash + 1;
        }
    };
    push(dir);
    push(rel);
    std::string out;
    for (auto p : parts) {
        if (!out.empty()) out += '/';
        out += p;
    }
    return out;
}

ModuleResolver::ModuleResolver(const std::vector<std::string>& files, std::vector<AppConfig> apps,
                               std::vector<project::WorkspacePackage> packages)
    : files_(files), apps_(std::move(apps)), packages_(std::move(packages)) {
    for (int i = 0; i < static_cast<int>(files_.size()); ++i) index_.emplace(files_[i], i);
    for (int i = 0; i < static_cast<int>(packages_.size()); ++i) {
        if (!packages_[i].name.empty()) by_name_[packages_[i].name].push_back(i);
    }
    // Most specific pattern first: longest prefix before '*' (exact patterns win ties).
    for (auto& app : apps_) {
        std::stable_sort(app.paths.begin(), app.paths.end(), [](const auto& a, const auto& b) {
            auto prefix = [](const std::string& p) {
                size_t star = p.find('*');
                return star == std::string::npos ? p.size() + 1 : star;
            };
            return prefix(a.first) > prefix(b.first);
        });
    }
}

int ModuleResolver::probe(const std::string& path) const {
    if (auto it = index_.find(path); it != index_.end()) return it->second;
    // TypeScript lets `./x.js` name `./x.ts`.
    for (std::string_view js : {".js", ".jsx", ".mjs", ".cjs"}) {
        if (path.ends_with(js)) {
            std::string stem = path.substr(0, path.size() - js.size());
            for (auto ext : kExtensions)
                if (auto it = index_.find(stem + ext); it != index_.end()) return it->second;
        }
    }
    for (auto ext : kExtensions)
        if (auto it = index_.find(path + ext); it != index_.end()) return it->second;
    return probe_index(path);
}

int ModuleResolver::probe_index(const std::string& dir) const {
    std::string base = dir.empty() ? "index" : dir + "/index";
    for (auto ext : kExtensions)
        if (auto it = index_.find(base + ext); it != index_.end()) return it->second;
    return -1;
}

const project::WorkspacePackage* ModuleResolver::nearest_package(const std::string& file) const {
    const project::WorkspacePackage* best = nullptr;
    for (const auto& pkg : packages_) {
        if (folder_contains(pkg.rel, file) && (!best || pkg.rel.size() > best->rel.size())) best = &pkg;
    }
    return best;
}

int ModuleResolver::resolve_map(int from, const project::WorkspacePackage& pkg,
                                const std::vector<project::PackageMapEntry>& map, std::string_view key,
                                int depth) const {
    // Node's order: an exact key, else the pattern with the longest prefix before '*'
    // (then the longest key); a key ending in '/' maps a whole folder (legacy form).
    const project::PackageMapEntry* best = nullptr;
    std::string_view captured;
    size_t best_prefix = 0;
    for (const auto& entry : map) {
        const std::string& k = entry.key;
        if (k == key) {
            best = &entry;
            captured = {};
            break;
        }
        size_t star = k.find('*');
        size_t prefix = 0;
        std::string_view cap;
        if (star != std::string::npos) {
            std::string_view post = std::string_view(k).substr(star + 1);
            if (key.size() < k.size() || !key.starts_with(std::string_view(k).substr(0, star)) || !key.ends_with(post))
                continue;
            prefix = star;
            cap = key.substr(star, key.size() - star - post.size());
        } else if (!k.empty() && k.back() == '/' && key.size() > k.size() && key.starts_with(k)) {
            prefix = k.size();
            cap = key.substr(k.size());
        } else {
            continue;
        }
        if (!best || prefix > best_prefix || (prefix == best_prefix && k.size() > best->key.size())) {
            best = &entry;
            captured = cap;
            best_prefix = prefix;
        }
    }
    if (!best) return -2;
    bool is_import = !key.empty() && key.front() == '#';
    for (const auto& t : best->targets) {
        std::string target = t;
        if (target.find('*') != std::string::npos) target = substitute(std::move(target), captured);
        else if (target.ends_with("/")) target += captured;
        int f = -1;
        if (target.starts_with("./") || target.starts_with("../")) {
            f = probe(join_paths(pkg.rel, target));
        } else if (is_import && !target.empty() && target.front() != '/' && target.front() != '#') {
            f = resolve_package(from, target, depth + 1);  // "#db": "@acme/db"
        }
        if (f >= 0) return f;
    }
    return -1;
}

int ModuleResolver::resolve_package(int from, std::string_view spec, int depth) const {
    if (depth > kMaxPackageDepth || spec.empty()) return -1;
    const std::string& file = files_[from];
    if (spec.front() == '#') {
        const project::WorkspacePackage* pkg = nearest_package(file);
        if (!pkg) return -1;
        return std::max(-1, resolve_map(from, *pkg, pkg->imports, spec, depth));
    }
    std::string_view name, sub;
    if (!split_package(spec, name, sub)) return -1;
    auto named = by_name_.find(std::string(name));
    if (named == by_name_.end()) return -1;
    // Several packages of that name (copies, examples): the one nearest the importer.
    const project::WorkspacePackage* pkg = nullptr;
    size_t best_shared = 0;
    for (int i : named->second) {
        size_t shared = shared_folders(packages_[i].rel, file);
        if (!pkg || shared > best_shared) {
            pkg = &packages_[i];
            best_shared = shared;
        }
    }
    std::string key = sub.empty() ? std::string(".") : "./" + std::string(sub);
    if (!pkg->exports.empty()) {
        if (int f = resolve_map(from, *pkg, pkg->exports, key, depth); f >= 0) return f;
    }
    if (sub.empty()) {
        for (const std::string* field : {&pkg->main, &pkg->module, &pkg->types}) {
            if (field->empty()) continue;
            if (int f = probe(join_paths(pkg->rel, *field)); f >= 0) return f;
        }
        if (int f = probe_index(join_paths(pkg->rel, "src")); f >= 0) return f;
        return probe_index(pkg->rel);
    }
    if (int f = probe(join_paths(pkg->rel, sub)); f >= 0) return f;
    return probe(join_paths(join_paths(pkg->rel, "src"), sub));
}

int ModuleResolver::resolve(int from, int app, std::string_view spec) const {
    if (spec.empty() || from < 0 || from >= static_cast<int>(files_.size())) return -1;
    if (spec == "." || spec == ".." || spec.substr(0, 2) == "./" || spec.substr(0, 3) == "../") {
        return probe(join_paths(dirname(files_[from]), spec));
    }
    if (spec.front() == '/') return -1;
    if (int f = resolve_paths(app, spec); f >= 0) return f;
    return resolve_package(from, spec, 0);
}

int ModuleResolver::resolve_paths(int app, std::string_view spec) const {
    if (app < 0 || app >= static_cast<int>(apps_.size())) return -1;
    const AppConfig& cfg = apps_[app];
    for (const auto& [pattern, targets] : cfg.paths) {
        size_t star = pattern.find('*');
        std::string captured;
        if (star == std::string::npos) {
            if (spec != pattern) continue;
        } else {
            std::string_view pre = std::string_view(pattern).substr(0, star);
            std::string_view post = std::string_view(pattern).substr(star + 1);
            if (spec.size() < pre.size() + post.size() || spec.substr(0, pre.size()) != pre ||
                !spec.ends_with(post))
                continue;
            captured = std::string(spec.substr(pre.size(), spec.size() - pre.size() - post.size()));
        }
        for (const auto& target : targets) {
            std::string t = target;
            if (size_t s = t.find('*'); s != std::string::npos) t.replace(s, 1, captured);
            if (int f = probe(join_paths("", t)); f >= 0) return f;
        }
        break;  // only the most specific matching pattern is tried, then baseUrl
    }
    if (cfg.has_base_url) return probe(join_paths(cfg.base_url, spec));
    return -1;
}

}  // namespace nextguard::analysis
