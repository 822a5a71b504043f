#include "project/workspace.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <tuple>
#include <utility>

#include "project/gitignore.hpp"
#include "project/jsonc.hpp"

#include "core/files.hpp"

namespace fs = std::filesystem;

namespace nextguard::project {

namespace {

/// Folders never walked, wherever they are (dependencies, build output, caches, VCS data).
constexpr std::array<std::string_view, 9> kSkippedFolders = {
    "node_modules", ".next", ".git", "out", "dist", "build", "coverage", ".turbo", ".vercel"};

constexpr std::array<std::string_view, 5> kNextConfigs = {
    "next.config.js", "next.config.mjs", "next.config.cjs", "next.config.ts", "next.config.mts"};

std::string join(const std::string& rel, const std::string& name) { return rel.empty() ? name : rel + "/" + name; }

/// "3.1 MiB", "2 MiB", "512 KiB", "100 bytes".
std::string human_size(uint64_t bytes) {
    auto one = [](double v, const char* unit) {
        std::string s = fmt::format("{:.1f}", v);
        if (s.ends_with(".0")) s.resize(s.size() - 2);
        return s + " " + unit;
    };
    if (bytes >= 1024ull * 1024 * 1024) return one(double(bytes) / (1024.0 * 1024 * 1024), "GiB");
    if (bytes >= 1024ull * 1024) return one(double(bytes) / (1024.0 * 1024), "MiB");
    if (bytes >= 1024) return one(double(bytes) / 1024.0, "KiB");
    return fmt::format("{} bytes", bytes);
}

fs::path normal_absolute(const fs::path& p) {
    std::error_code ec;
    fs::path abs = fs::absolute(p, ec);
    if (ec) abs = p;
    abs = abs.lexically_normal();
    if (!abs.has_filename() && abs.has_relative_path()) abs = abs.parent_path();  // drop a trailing '/'
    return abs;
}

std::string rel_to(const fs::path& p, const fs::path& root) {
    fs::path r = p.lexically_relative(root);
    if (r.empty()) return p.generic_string();
    std::string s = r.generic_string();
    return s == "." ? std::string() : s;
}

/// `root` joined with a '/'-separated relative folder, without a trailing separator.
fs::path folder_of(const fs::path& root, const std::string& rel) {
    if (rel.empty()) return root;
    return (root / rel).lexically_normal();
}

/// True when `p` is `dir` or below it (both absolute and normal).
bool is_within(const fs::path& p, const fs::path& dir) {
    auto d = dir.begin(), pe = p.begin();
    for (; d != dir.end(); ++d, ++pe) {
        if (d->empty()) continue;  // trailing separator
        if (pe == p.end() || *pe != *d) return false;
    }
    return true;
}

using FileId = std::pair<dev_t, ino_t>;

std::optional<FileId> file_id(const fs::path& p) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return std::nullopt;
    return FileId{st.st_dev, st.st_ino};
}

/// The folder holding the git repository that contains `dir` (a ".git" folder or file),
/// or `dir` itself when it is in no repository.
fs::path git_top(const fs::path& dir) {
    for (fs::path d = dir;; d = d.parent_path()) {
        std::error_code ec;
        if (fs::exists(d / ".git", ec)) return d;
        if (d == d.parent_path() || d.empty()) break;
    }
    return dir;
}

/// .gitignore rules relative to one base folder (the repository top), and which folders'
/// files have been read already.
struct IgnoreScope {
    fs::path base;
    GitIgnore rules;
    std::set<std::string> loaded;
};

struct PackageInfo {
    bool ok = false;
    bool depends_on_next = false;
    std::set<std::string> dependencies;
    WorkspacePackage package;  ///< name, exports, imports, entry fields (rel is set by discover)
};

/// Conditions of "exports"/"imports" values, most preferred first.
constexpr std::array<std::string_view, 5> kConditions = {"types", "import", "default", "require", "node"};

/// Appends the target strings of an "exports"/"imports" value: a string, an array of
/// fallbacks, or a condition object (preferred conditions first, then the others).
void collect_targets(const nlohmann::json& value, std::vector<std::string>& out, int depth = 0) {
    if (depth > 16) return;
    if (value.is_string()) {
        std::string t = value.get<std::string>();
        if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(std::move(t));
    } else if (value.is_array()) {
        for (const auto& v : value) collect_targets(v, out, depth + 1);
    } else if (value.is_object()) {
        for (std::string_view cond : kConditions) {
            auto it = value.find(std::string(cond));
            if (it != value.end()) collect_targets(*it, out, depth + 1);
        }
        for (const auto& item : value.items()) {
            if (std::find(kConditions.begin(), kConditions.end(), item.key()) == kConditions.end())
                collect_targets(item.value(), out, depth + 1);
        }
    }
}

/// The entries of an "exports" map (`lead` '.') or an "imports" map (`lead` '#').
std::vector<PackageMapEntry> digest_map(const nlohmann::json& value, char lead) {
    std::vector<PackageMapEntry> out;
    bool keyed = false;
    if (value.is_object()) {
        for (const auto& item : value.items()) {
            if (!item.key().empty() && item.key().front() == lead) keyed = true;
        }
    }
    if (keyed) {
        for (const auto& item : value.items()) {
            if (item.key().empty() || item.key().front() != lead) continue;
            PackageMapEntry entry{item.key(), {}};
            collect_targets(item.value(), entry.targets);
            out.push_back(std::move(entry));
        }
    } else if (lead == '.' && !value.is_null()) {  // "exports": "./x.js", [...] or {"import": ...}
        PackageMapEntry entry{".", {}};
        collect_targets(value, entry.targets);
        out.push_back(std::move(entry));
    }
    return out;
}

std::string string_field(const nlohmann::json& object, const char* field) {
    auto it = object.find(field);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// One folder waiting to be listed.
struct Pending {
    fs::path abs;
    std::string rel;     ///< relative to the workspace root
    IgnoreScope* scope;  ///< nullptr: no .gitignore applies
    std::string ig_rel;  ///< relative to scope->base
    bool via_symlink = false;
};

class Walker {
public:
    Walker(Workspace& ws, const DiscoverOptions& options) : ws_(ws), options_(options) {}

    void walk_folder(const fs::path& abs) {
        IgnoreScope* scope = scope_for(abs);
        std::string ig_rel = rel_to(abs, scope->base);
        load_ancestor_ignores(*scope, ig_rel);
        stack_.push_back(Pending{abs, rel_to(abs, ws_.root), scope, ig_rel, false});
        drain();
    }

    void add_input_file(const fs::path& abs) {
        std::string rel = rel_to(abs, ws_.root);
        if (!is_source_extension(abs)) {
            notice(rel, "skipped: not a JavaScript or TypeScript file");
            return;
        }
        std::error_code ec;
        uint64_t size = fs::file_size(abs, ec);
        if (ec) {
            notice(rel, "cannot read file: " + ec.message());
            return;
        }
        if (!size_ok(rel, size)) return;
        ws_.files.push_back(SourceFile{abs, rel, size, -1});
    }

    /// Records `folder` as an app root when it holds next.config.* or a package.json
    /// that depends on `next` (`names` are the names of its entries).
    void detect_app(const fs::path& abs, const std::string& rel, const std::vector<std::string>& names) {
        bool is_app = false, has_package = false, has_tsconfig = false;
        for (const auto& name : names) {
            if (std::find(kNextConfigs.begin(), kNextConfigs.end(), name) != kNextConfigs.end()) is_app = true;
            if (name == "package.json") has_package = true;
            if (name == "tsconfig.json") has_tsconfig = true;
        }
        if (has_package && has_tsconfig && !rel.empty()) scope_folders.insert(rel);
        if (has_package) {
            PackageInfo info = read_package(abs / "package.json", join(rel, "package.json"));
            is_app = is_app || info.depends_on_next;
            packages.emplace(rel, std::move(info));
        }
        if (is_app) app_folders.emplace(rel, abs);
    }

    PackageInfo read_package(const fs::path& file, const std::string& rel) {
        PackageInfo info;
        std::string text;
        if (!read_file(file, text)) {
            notice(rel, "cannot read package.json");
            return info;
        }
        auto parsed = parse_jsonc(text);
        if (!parsed.ok || !parsed.value.is_object()) {
            std::string why = parsed.ok ? "the top level is not an object" : parsed.error;
            uint32_t line = 0;
            if (why.rfind("line ", 0) == 0) line = static_cast<uint32_t>(std::strtoul(why.c_str() + 5, nullptr, 10));
            notice(rel, "invalid package.json: " + why, line);
            return info;
        }
        info.ok = true;
        const nlohmann::json& pkg = parsed.value;
        info.package.name = string_field(pkg, "name");
        if (auto e = pkg.find("exports"); e != pkg.end()) info.package.exports = digest_map(*e, '.');
        if (auto i = pkg.find("imports"); i != pkg.end()) info.package.imports = digest_map(*i, '#');
        info.package.main = string_field(pkg, "main");
        info.package.module = string_field(pkg, "module");
        info.package.types = string_field(pkg, "types");
        if (info.package.types.empty()) info.package.types = string_field(pkg, "typings");
        for (const char* field : {"dependencies", "devDependencies", "peerDependencies"}) {
            auto deps = parsed.value.find(field);
            if (deps == parsed.value.end() || !deps->is_object()) continue;
            for (const auto& item : deps->items()) {
                info.dependencies.insert(item.key());
                if (item.key() == "next" && std::string_view(field) != "peerDependencies") info.depends_on_next = true;
            }
        }
        return info;
    }

    std::map<std::string, fs::path> app_folders;  ///< rel -> absolute folder of each Next.js app root
    std::set<std::string> scope_folders;  ///< rel of each package folder with its own tsconfig.json
    std::map<std::string, PackageInfo> packages;  ///< rel of a folder -> its package.json

private:
    Workspace& ws_;
    const DiscoverOptions& options_;
    std::vector<std::unique_ptr<IgnoreScope>> scopes_;
    std::set<FileId> visited_;
    std::vector<Pending> stack_;
    std::vector<Pending> deferred_;  ///< symlinked folders, walked after all real folders

    void notice(const std::string& rel, std::string message, uint32_t line = 0) {
        ws_.notices.push_back(Notice{Severity::Warning, rel, line, std::move(message)});
    }

    IgnoreScope* scope_for(const fs::path& dir) {
        fs::path base = git_top(dir);
        for (auto& s : scopes_) {
            if (s->base == base) return s.get();
        }
        scopes_.push_back(std::make_unique<IgnoreScope>());
        scopes_.back()->base = base;
        return scopes_.back().get();
    }

    void load_ignore(IgnoreScope& scope, const fs::path& dir, const std::string& ig_rel) {
        if (!scope.loaded.insert(ig_rel).second) return;
        std::string text;
        std::error_code ec;
        fs::path file = dir / ".gitignore";
        if (fs::is_regular_file(file, ec) && read_file(file, text)) scope.rules.add(ig_rel, text);
    }

    /// Reads the .gitignore files between the repository top and a walked input folder,
    /// as git applies them to it.
    void load_ancestor_ignores(IgnoreScope& scope, const std::string& ig_rel) {
        if (ig_rel.empty() || ig_rel.rfind("..", 0) == 0) return;
        std::string prefix;
        load_ignore(scope, scope.base, prefix);
        for (size_t pos = ig_rel.find('/'); pos != std::string::npos; pos = ig_rel.find('/', pos + 1)) {
            prefix = ig_rel.substr(0, pos);
            load_ignore(scope, scope.base / prefix, prefix);
        }
    }

    bool size_ok(const std::string& rel, uint64_t size) {
        if (size <= options_.max_file_size) return true;
        notice(rel, "skipped: " + human_size(size) + " is over the " + human_size(options_.max_file_size) + " limit");
        return false;
    }

    void drain() {
        for (;;) {
            if (stack_.empty()) {
                if (deferred_.empty()) return;
                // Symlinked folders go last so that folders reached both ways keep their real path.
                std::reverse(deferred_.begin(), deferred_.end());
                stack_.swap(deferred_);
            }
            Pending p = std::move(stack_.back());
            stack_.pop_back();
            visit(p);
        }
    }

    void visit(const Pending& folder) {
        auto id = file_id(folder.abs);
        if (!id) {
            notice(folder.rel, "cannot read folder: " + std::string(std::strerror(errno)));
            return;
        }
        if (!visited_.insert(*id).second) {
            if (folder.via_symlink) symlink_revisit(folder);
            return;  // the same folder given twice, or reached again through a bind mount
        }
        if (folder.scope) load_ignore(*folder.scope, folder.abs, folder.ig_rel);

        std::error_code ec;
        fs::directory_iterator it(folder.abs, ec);
        if (ec) {
            notice(folder.rel, "cannot read folder: " + ec.message());
            return;
        }
        std::vector<fs::directory_entry> entries;
        for (; it != fs::directory_iterator(); it.increment(ec)) {
            entries.push_back(*it);
        }
        if (ec) notice(folder.rel, "cannot list the whole folder: " + ec.message());
        std::sort(entries.begin(), entries.end(),
                  [](const auto& a, const auto& b) { return a.path().filename() < b.path().filename(); });

        std::vector<std::string> names;
        for (const auto& e : entries) names.push_back(e.path().filename().string());
        detect_app(folder.abs, folder.rel, names);

        std::vector<Pending> subfolders;
        for (const auto& entry : entries) {
            std::string name = entry.path().filename().string();
            std::string rel = join(folder.rel, name);
            std::string ig_rel = join(folder.ig_rel, name);
            std::error_code e1;
            bool is_link = entry.is_symlink(e1);
            std::error_code e2;
            fs::file_status st = entry.status(e2);
            if (is_link && (e2 || !fs::exists(st))) {
                // Only links that would have been analyzed are worth a note.
                if (!is_source_extension(entry.path()) || is_declaration_file(name)) continue;
                std::error_code e3;
                std::string target = e3 ? std::string() : fs::read_symlink(entry.path(), e3).string();
                for (char& c : target)
                    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
                notice(rel, "broken symlink: " + (e3 || target.empty() ? std::string("its target") : target) +
                                " does not exist");
                continue;
            }
            if (e2) {
                notice(rel, "cannot read: " + e2.message());
                continue;
            }
            if (fs::is_directory(st)) {
                if (std::find(kSkippedFolders.begin(), kSkippedFolders.end(), name) != kSkippedFolders.end()) continue;
                if (folder.scope && folder.scope->rules.ignored(ig_rel, true)) continue;
                Pending sub{entry.path(), rel, folder.scope, ig_rel, is_link};
                if (is_link) deferred_.push_back(std::move(sub));
                else subfolders.push_back(std::move(sub));
            } else if (fs::is_regular_file(st)) {
                if (!is_source_extension(entry.path()) || is_declaration_file(name)) continue;
                if (folder.scope && folder.scope->rules.ignored(ig_rel, false)) continue;
                add_file(entry, rel, name);
            }
        }
        for (auto s = subfolders.rbegin(); s != subfolders.rend(); ++s) stack_.push_back(std::move(*s));
    }

    void symlink_revisit(const Pending& folder) {
        std::error_code ec;
        fs::path target = fs::weakly_canonical(folder.abs, ec);
        fs::path here = fs::weakly_canonical(folder.abs.parent_path(), ec);
        std::string shown = rel_to(target, fs::weakly_canonical(ws_.root, ec));
        if (shown.empty()) shown = "the analyzed root";
        if (!ec && is_within(here, target)) {
            notice(folder.rel, "symlink loop: points to " + shown + ", a folder that contains it; skipped");
        } else {
            notice(folder.rel, "symlink loop: points to " + shown + ", a folder already visited; skipped");
        }
    }

    void add_file(const fs::directory_entry& entry, const std::string& rel, const std::string& name) {
        std::error_code ec;
        uint64_t size = entry.file_size(ec);
        if (ec) {
            notice(rel, "cannot read file: " + ec.message());
            return;
        }
        if (!size_ok(rel, size)) return;
        std::string head;
        if (!read_file(entry.path(), head, 4096)) {
            notice(rel, "cannot read file");
            return;
        }
        if (looks_minified(name, head)) return;
        ws_.files.push_back(SourceFile{entry.path(), rel, size, -1});
    }
};

/// The tsconfig.json (else jsconfig.json) of `dir`, or of the nearest folder above it up
/// to `root`.
std::optional<fs::path> find_tsconfig(const fs::path& dir, const fs::path& root) {
    bool inside = is_within(dir, root);
    for (fs::path d = dir;; d = d.parent_path()) {
        for (const char* name : {"tsconfig.json", "jsconfig.json"}) {
            std::error_code ec;
            if (fs::is_regular_file(d / name, ec)) return d / name;
        }
        if (!inside || d == root || d == d.parent_path() || !is_within(d.parent_path(), root)) break;
    }
    return std::nullopt;
}

}  // namespace

bool is_declaration_file(std::string_view name) {
    return name.ends_with(".d.ts") || name.ends_with(".d.mts") || name.ends_with(".d.cts");
}

bool is_source_extension(const fs::path& p) {
    static const std::array<std::string_view, 8> exts = {".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"};
    std::string ext = p.extension().string();
    return std::find(exts.begin(), exts.end(), ext) != exts.end();
}

bool looks_minified(const std::string& name, std::string_view head) {
    if (name.ends_with(".min.js") || name.ends_with(".min.mjs") || name.ends_with(".min.cjs")) return true;
    // Minifiers drop the spaces people and formatters put between tokens: a long line of
    // hand-written code is roughly 10-20% spaces, minified output well under 1%. So a line
    // over 1000 characters (within the first 4 KiB) with fewer than 2% spaces is taken as
    // minified. A source file that embeds a long base64 string on one line is caught too,
    // which is acceptable: there is nothing to analyze in it.
    head = head.substr(0, 4096);
    size_t start = 0;
    while (start < head.size()) {
        size_t end = head.find('\n', start);
        if (end == std::string_view::npos) end = head.size();
        size_t length = end - start;
        if (length > 1000) {
            size_t spaces = 0;
            for (size_t i = start; i < end; ++i) {
                if (head[i] == ' ' || head[i] == '\t') ++spaces;
            }
            if (spaces * 50 < length) return true;
        }
        start = end + 1;
    }
    return false;
}

Workspace discover(const std::vector<std::string>& inputs_in, const DiscoverOptions& options) {
    std::vector<std::string> inputs = inputs_in.empty() ? std::vector<std::string>{"."} : inputs_in;
    struct Input {
        fs::path abs;
        bool is_dir;
    };
    std::vector<Input> resolved;
    for (const auto& in : inputs) {
        fs::path abs = normal_absolute(in);
        std::error_code ec;
        fs::file_status st = fs::status(abs, ec);
        if (ec || !fs::exists(st)) throw std::runtime_error("no such file or directory: " + in);
        resolved.push_back(Input{abs, fs::is_directory(st)});
    }

    Workspace ws;
    ws.root = resolved.front().is_dir ? resolved.front().abs : resolved.front().abs.parent_path();
    Walker walker(ws, options);
    for (const auto& in : resolved) {
        if (in.is_dir) walker.walk_folder(in.abs);
        else walker.add_input_file(in.abs);
    }
    if (!resolved.front().is_dir) {  // the root was not walked: look at it for an app root
        std::vector<std::string> names;
        for (std::string_view n : kNextConfigs) names.emplace_back(n);
        names.emplace_back("package.json");
        std::erase_if(names, [&](const std::string& n) {
            std::error_code ec;
            return !fs::is_regular_file(ws.root / n, ec);
        });
        walker.detect_app(ws.root, "", names);
    }

    // Files: sorted by rel, each once (inputs may overlap).
    std::sort(ws.files.begin(), ws.files.end(), [](const SourceFile& a, const SourceFile& b) { return a.rel < b.rel; });
    ws.files.erase(std::unique(ws.files.begin(), ws.files.end(),
                               [](const SourceFile& a, const SourceFile& b) { return a.rel == b.rel; }),
                   ws.files.end());

    // Apps: every Next.js root found, plus the workspace root so that `apps` is never empty.
    auto& app_folders = walker.app_folders;
    if (!app_folders.count("")) {
        ws.apps.push_back(AppRoot{"", false, std::nullopt, {}});
    }
    for (const auto& [rel, abs] : app_folders) ws.apps.push_back(AppRoot{rel, true, std::nullopt, {}});
    for (const auto& rel : walker.scope_folders)
        if (!app_folders.count(rel)) ws.apps.push_back(AppRoot{rel, false, std::nullopt, {}, true});
    std::sort(ws.apps.begin(), ws.apps.end(), [](const AppRoot& a, const AppRoot& b) { return a.rel < b.rel; });

    // Packages: every package.json read, for workspace imports and `#` imports.
    std::map<std::string, fs::path> package_dirs;  // name -> folder; the first by rel wins
    for (auto& [rel, info] : walker.packages) {
        if (!info.ok) continue;
        info.package.rel = rel;
        if (!info.package.name.empty()) package_dirs.emplace(info.package.name, folder_of(ws.root, rel));
        ws.packages.push_back(info.package);
    }

    std::map<fs::path, std::optional<TsConfig>> tsconfigs;  // shared configs load (and warn) once
    for (auto& app : ws.apps) {
        fs::path dir = folder_of(ws.root, app.rel);
        auto pkg = walker.packages.find(app.rel);
        if (pkg != walker.packages.end()) {
            app.dependencies = pkg->second.dependencies;
        }
        if (auto file = find_tsconfig(dir, ws.root)) {
            auto cached = tsconfigs.find(*file);
            if (cached == tsconfigs.end()) {
                cached = tsconfigs.emplace(*file, load_tsconfig(*file, ws.root, ws.notices, package_dirs)).first;
            }
            app.tsconfig = cached->second;
        }
    }

    for (auto& f : ws.files) {
        f.app = owning_app(ws, f.path);
        f.scope = owning_app(ws, f.path, true);
    }

    std::stable_sort(ws.notices.begin(), ws.notices.end(), [](const Notice& a, const Notice& b) {
        return std::tie(a.file, a.line) < std::tie(b.file, b.line);
    });
    return ws;
}

int owning_app(const Workspace& ws, const fs::path& file, bool scopes) {
    int app = -1;
    size_t best_depth = 0;
    fs::path normal = file.lexically_normal();
    for (size_t i = 0; i < ws.apps.size(); ++i) {
        if (ws.apps[i].scope_only && !scopes) continue;
        fs::path dir = folder_of(ws.root, ws.apps[i].rel);
        size_t depth = static_cast<size_t>(std::distance(dir.begin(), dir.end()));
        if (is_within(normal, dir) && (app < 0 || depth > best_depth)) {
            app = static_cast<int>(i);
            best_depth = depth;
        }
    }
    return app < 0 ? 0 : app;  // outside every app (an input outside the root): the root's entry
}

}  // namespace nextguard::project
