#include "project/tsconfig.hpp"

#include <string_view>

#include "project/jsonc.hpp"

#include "core/files.hpp"

namespace fs = std::filesystem;

namespace nextguard::project {

namespace {

/// Longest `extends` chain followed; deeper chains are reported and cut.
constexpr size_t kMaxDepth = 32;

bool is_file(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

std::string rel_to(const fs::path& p, const fs::path& root) {
    fs::path r = p.lexically_relative(root);
    if (r.empty()) return p.generic_string();
    return r.generic_string();
}

uint32_t error_line(const std::string& error) {
    if (error.rfind("line ", 0) != 0) return 0;
    uint32_t n = 0;
    for (size_t i = 5; i < error.size() && error[i] >= '0' && error[i] <= '9'; ++i) n = n * 10 + uint32_t(error[i] - '0');
    return n;
}

/// Lexically normal, without a trailing separator ("a/." is "a", not "a/").
fs::path clean(const fs::path& p) {
    fs::path n = p.lexically_normal();
    if (!n.has_filename() && n.has_relative_path()) n = n.parent_path();
    return n;
}

fs::path normal(const fs::path& p) {
    std::error_code ec;
    fs::path abs = fs::absolute(p, ec);
    return clean(ec ? p : abs);
}

/// The file a package.json "exports" entry names for `subpath` ("." or "./x"), if any.
std::optional<fs::path> exports_target(const nlohmann::json& pkg, const std::string& subpath, const fs::path& dir) {
    auto exp = pkg.find("exports");
    if (exp == pkg.end()) return std::nullopt;
    const nlohmann::json* entry = nullptr;
    if (exp->is_string() && subpath == ".") entry = &*exp;
    else if (exp->is_object()) {
        auto it = exp->find(subpath);
        if (it != exp->end()) entry = &*it;
    }
    // Conditions: take the first string among the usual ones, one level deep.
    for (int round = 0; entry && entry->is_object() && round < 4; ++round) {
        const nlohmann::json* next = nullptr;
        for (const char* cond : {"types", "require", "import", "node", "default"}) {
            auto it = entry->find(cond);
            if (it != entry->end()) {
                next = &*it;
                break;
            }
        }
        entry = next;
    }
    if (!entry || !entry->is_string()) return std::nullopt;
    fs::path target = (dir / entry->get<std::string>()).lexically_normal();
    if (is_file(target)) return target;
    return std::nullopt;
}

/// The config that `sub` ("" for the package itself, else "file.json", "configs/base")
/// names in the package folder `pkg_dir`.
std::optional<fs::path> resolve_in_package(const fs::path& pkg_dir, const std::string& sub) {
    nlohmann::json pkg;
    std::string text;
    if (read_file(pkg_dir / "package.json", text)) {
        auto parsed = parse_jsonc(text);
        if (parsed.ok && parsed.value.is_object()) pkg = std::move(parsed.value);
    }
    if (pkg.is_object()) {
        if (auto t = exports_target(pkg, sub.empty() ? "." : "./" + sub, pkg_dir)) return t;
    }
    std::error_code ec;
    if (sub.empty()) {
        if (pkg.is_object()) {
            auto field = pkg.find("tsconfig");
            if (field != pkg.end() && field->is_string()) {
                fs::path t = (pkg_dir / field->get<std::string>()).lexically_normal();
                if (is_file(t)) return t;
            }
        }
        if (is_file(pkg_dir / "tsconfig.json")) return pkg_dir / "tsconfig.json";
    } else {
        fs::path t = pkg_dir / sub;
        if (is_file(t)) return t;
        if (t.extension() != ".json" && is_file(fs::path(t.string() + ".json"))) return fs::path(t.string() + ".json");
        if (fs::is_directory(t, ec) && is_file(t / "tsconfig.json")) return t / "tsconfig.json";
    }
    return std::nullopt;
}

/// Resolves a package `extends` ("pkg", "pkg/file.json", "@scope/pkg/file") from `from`:
/// in node_modules folders upwards, else among the workspace's packages.
std::optional<fs::path> resolve_package(const std::string& spec, const fs::path& from,
                                        const std::map<std::string, fs::path>& workspace_packages) {
    size_t name_end = spec.find('/');
    if (!spec.empty() && spec[0] == '@' && name_end != std::string::npos) name_end = spec.find('/', name_end + 1);
    std::string name = spec.substr(0, name_end);
    std::string sub = name_end == std::string::npos ? std::string() : spec.substr(name_end + 1);

    for (fs::path dir = from;; dir = dir.parent_path()) {
        fs::path pkg_dir = dir / "node_modules" / name;
        std::error_code ec;
        if (fs::is_directory(pkg_dir, ec)) {
            if (auto t = resolve_in_package(pkg_dir, sub)) return t;
        }
        if (dir == dir.parent_path() || dir.empty()) break;
    }
    if (auto it = workspace_packages.find(name); it != workspace_packages.end()) {
        return resolve_in_package(it->second, sub);
    }
    return std::nullopt;
}

/// Resolves one `extends` entry written in the config whose folder is `from`.
std::optional<fs::path> resolve_extends(const std::string& spec, const fs::path& from,
                                        const std::map<std::string, fs::path>& workspace_packages) {
    bool relative = spec.rfind("./", 0) == 0 || spec.rfind("../", 0) == 0 || spec == "." || spec == "..";
    if (relative || fs::path(spec).is_absolute()) {
        fs::path p = (from / spec).lexically_normal();
        if (is_file(p)) return p;
        if (p.extension() != ".json" && is_file(fs::path(p.string() + ".json"))) return fs::path(p.string() + ".json");
        return std::nullopt;
    }
    return resolve_package(spec, from, workspace_packages);
}

/// Options gathered so far along the chain; later layers overwrite earlier ones.
struct Merged {
    std::optional<fs::path> base_url;
    bool has_paths = false;
    std::vector<std::pair<std::string, std::vector<std::string>>> paths;  ///< targets as written
    fs::path paths_dir;  ///< folder of the config that declared `paths`
};

struct Loader {
    const fs::path& root;
    std::vector<Notice>& notices;
    const std::map<std::string, fs::path>& workspace_packages;
    fs::path config_dir;         ///< folder of the top config, for ${configDir}
    std::vector<fs::path> stack;  ///< configs being loaded, for cycle detection

    void notice(const fs::path& file, uint32_t line, std::string message) {
        notices.push_back(Notice{Severity::Warning, rel_to(file, root), line, std::move(message)});
    }

    /// Replaces a leading ${configDir} (TypeScript 5.5) and makes `value` absolute.
    fs::path absolute_in(const std::string& value, const fs::path& dir) const {
        constexpr std::string_view var = "${configDir}";
        if (value.rfind(var, 0) == 0) {
            std::string rest = value.substr(var.size());
            while (!rest.empty() && rest.front() == '/') rest.erase(0, 1);
            return clean(config_dir / rest);
        }
        return clean(dir / value);
    }

    /// Loads `file` and the configs it extends into `merged`; false when `file` itself
    /// could not be read or parsed (a notice says why).
    bool load(const fs::path& file, Merged& merged) {
        std::string text;
        if (!read_file(file, text)) {
            notice(file, 0, "cannot read tsconfig");
            return false;
        }
        auto parsed = parse_jsonc(text);
        if (!parsed.ok) {
            notice(file, error_line(parsed.error), "invalid tsconfig: " + parsed.error);
            return false;
        }
        if (!parsed.value.is_object()) {
            notice(file, 0, "invalid tsconfig: the top level is not an object");
            return false;
        }
        const nlohmann::json& config = parsed.value;
        const fs::path dir = file.parent_path();

        stack.push_back(file);
        auto ext = config.find("extends");
        if (ext != config.end()) {
            std::vector<std::string> specs;
            if (ext->is_string()) specs.push_back(ext->get<std::string>());
            else if (ext->is_array()) {
                for (const auto& e : *ext) {
                    if (e.is_string()) specs.push_back(e.get<std::string>());
                    else notice(file, 0, "\"extends\" entries must be strings");
                }
            } else {
                notice(file, 0, "\"extends\" must be a string or an array of strings");
            }
            for (const auto& spec : specs) extend(file, dir, spec, merged);
        }
        stack.pop_back();

        auto opts = config.find("compilerOptions");
        if (opts == config.end() || opts->is_null()) return true;
        if (!opts->is_object()) {
            notice(file, 0, "\"compilerOptions\" must be an object");
            return true;
        }
        auto base = opts->find("baseUrl");
        if (base != opts->end()) {
            if (base->is_string()) merged.base_url = absolute_in(base->get<std::string>(), dir);
            else if (!base->is_null()) notice(file, 0, "\"compilerOptions.baseUrl\" must be a string");
        }
        auto paths = opts->find("paths");
        if (paths != opts->end()) {
            if (paths->is_object()) {
                merged.has_paths = true;
                merged.paths.clear();
                merged.paths_dir = dir;
                for (const auto& [pattern, targets] : paths->items()) {
                    std::vector<std::string> list;
                    if (targets.is_array()) {
                        for (const auto& t : targets) {
                            if (t.is_string()) list.push_back(t.get<std::string>());
                        }
                    }
                    if (list.empty() && !targets.is_array()) {
                        notice(file, 0, "\"compilerOptions.paths\" entry \"" + pattern + "\" must be an array of strings");
                        continue;
                    }
                    merged.paths.emplace_back(pattern, std::move(list));
                }
            } else if (!paths->is_null()) {
                notice(file, 0, "\"compilerOptions.paths\" must be an object");
            }
        }
        return true;
    }

    void extend(const fs::path& file, const fs::path& dir, const std::string& spec, Merged& merged) {
        auto target = resolve_extends(spec, dir, workspace_packages);
        if (!target) {
            notice(file, 0, "extends \"" + spec + "\": not found");
            return;
        }
        fs::path t = normal(*target);
        for (size_t i = 0; i < stack.size(); ++i) {
            if (stack[i] != t) continue;
            std::string chain;
            for (size_t k = i; k < stack.size(); ++k) chain += rel_to(stack[k], root) + " -> ";
            chain += rel_to(t, root);
            notice(file, 0, "extends cycle: " + chain + "; \"" + spec + "\" ignored");
            return;
        }
        if (stack.size() >= kMaxDepth) {
            notice(file, 0, "extends \"" + spec + "\": chain longer than " + std::to_string(kMaxDepth) + " configs, ignored");
            return;
        }
        load(t, merged);
    }
};

}  // namespace

std::optional<TsConfig> load_tsconfig(const fs::path& file, const fs::path& root, std::vector<Notice>& notices,
                                      const std::map<std::string, fs::path>& workspace_packages) {
    fs::path top = normal(file);
    Loader loader{root, notices, workspace_packages, top.parent_path(), {}};
    Merged merged;
    if (!loader.load(top, merged)) return std::nullopt;

    TsConfig config;
    config.file = top;
    config.base_url = merged.base_url;
    if (merged.has_paths) {
        const fs::path& base = merged.base_url ? *merged.base_url : merged.paths_dir;
        for (auto& [pattern, targets] : merged.paths) {
            std::vector<std::string> resolved;
            resolved.reserve(targets.size());
            for (const auto& t : targets) resolved.push_back(loader.absolute_in(t, base).generic_string());
            config.paths.emplace_back(pattern, std::move(resolved));
        }
    }
    return config;
}

}  // namespace nextguard::project
