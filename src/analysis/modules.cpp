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

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
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

ModuleResolver::ModuleResolver(const std::vector<std::string>& files, std::vector<AppConfig> apps)
    : files_(files), apps_(std::move(apps)) {
    for (int i = 0; i < static_cast<int>(files_.size()); ++i) index_.emplace(files_[i], i);
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
        if (ends_with(path, js)) {
            std::string stem = path.substr(0, path.size() - js.size());
            for (auto ext : kExtensions)
                if (auto it = index_.find(stem + ext); it != index_.end()) return it->second;
        }
    }
    for (auto ext : kExtensions)
        if (auto it = index_.find(path + ext); it != index_.end()) return it->second;
    std::string base = path.empty() ? "index" : path + "/index";
    for (auto ext : kExtensions)
        if (auto it = index_.find(base + ext); it != index_.end()) return it->second;
    return -1;
}

int ModuleResolver::resolve(int from, int app, std::string_view spec) const {
    if (spec.empty() || from < 0 || from >= static_cast<int>(files_.size())) return -1;
    if (spec == "." || spec == ".." || spec.substr(0, 2) == "./" || spec.substr(0, 3) == "../") {
        return probe(join_paths(dirname(files_[from]), spec));
    }
    if (spec.front() == '/') return -1;
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
                !ends_with(spec, post))
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
