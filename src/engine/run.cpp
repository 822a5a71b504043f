#include "engine/run.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "analysis/knowledge.hpp"
#include "analysis/modules.hpp"
#include "analysis/project.hpp"
#include "core/files.hpp"
#include "engine/config.hpp"
#include "engine/filter.hpp"
#include "engine/stages.hpp"
#include "engine/suppressions.hpp"
#include "project/workspace.hpp"

namespace nextguard::engine {

namespace {

using stages::app_configs;
using stages::FileOutcome;

uint64_t fnv1a(std::string_view s, uint64_t h = 1469598103934665603ull) {
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

/// Fingerprints that survive edits elsewhere in the file: rule, entry point and the
/// normalized flagged statement, plus an occurrence counter for identical statements.
void assign_fingerprints(std::vector<Finding>& findings) {
    std::map<uint64_t, int> seen;
    for (auto& f : findings) {
        uint64_t h = fnv1a(f.rule);
        h = fnv1a("\x1f", h);
        h = fnv1a(f.location.file, h);
        h = fnv1a("\x1f", h);
        if (f.entry) h = fnv1a(f.entry->kind + ":" + f.entry->name + ":" + f.entry->url, h);
        h = fnv1a("\x1f", h);
        h = fnv1a(f.statement, h);
        int n = ++seen[h];
        f.fingerprint = fmt::format("{:016x}:{}", h, n);
    }
}

/// Fills `line_text` of each finding from the file on disk, or from `overlay_text` for
/// the file `overlay_file` (an editor's buffer, --stdin-filename).
void attach_lines(const std::filesystem::path& root, std::vector<Finding>& findings,
                  const std::string& overlay_file = {}, const std::string* overlay_text = nullptr) {
    std::map<std::string, std::vector<std::string>> cache;
    for (auto& f : findings) {
        auto it = cache.find(f.location.file);
        if (it == cache.end()) {
            std::vector<std::string> lines;
            std::string text;
            if (overlay_text && f.location.file == overlay_file ? (text = *overlay_text, true)
                                                                : read_file(root / f.location.file, text)) {
                std::string line;
                std::istringstream in(text);
                while (std::getline(in, line)) {
                    if (!line.empty() && line.back() == '\r') line.pop_back();
                    lines.push_back(line);
                }
            }
            it = cache.emplace(f.location.file, std::move(lines)).first;
        }
        uint32_t l = f.location.range.start.line;
        if (l >= 1 && l <= it->second.size()) f.line_text = it->second[l - 1];
    }
}

/// True when a file must be parsed whatever imports it: a route, API route or middleware
/// by its path, a file whose text says "use server" somewhere (an inline or module-level
/// Server Action), and every other file but a React component file (.tsx/.jsx) or a
/// test: any of those may run on the server, and the local checks (secrets, cookies,
/// CORS) read each. A component or test file no such file imports, directly or not, cannot run on the
/// server on a request's behalf, so it is not parsed.
bool parsed_anyway(const project::Workspace& ws, const project::SourceFile& file, std::string_view text) {
    std::string_view app_dir = file.app >= 0 ? std::string_view(ws.apps[file.app].rel) : std::string_view();
    if (analysis::classify_file(file.rel, app_dir).kind != analysis::RouteInfo::Kind::None) return true;
    if (text.find("use server") != std::string_view::npos) return true;
    return !file.rel.ends_with(".tsx") && !file.rel.ends_with(".jsx") && !analysis::is_test_file(file.rel);
}

/// The per-file stage on all cores. Every file is read and checked; files that must be
/// parsed are parsed at once, component files only once a parsed file imports them (in
/// rounds, until no new import names one). --parse-only parses every file.
void load_files(const project::Workspace& ws, const RunOptions& options, const analysis::Knowledge& knowledge,
                unsigned jobs, size_t overlay_index, std::vector<FileOutcome>& outcomes) {
    const size_t n = ws.files.size();
    std::vector<std::string> held(n);  // read, not parsed (yet)
    std::vector<char> waiting(n, 0);
    stages::parallel_for(n, jobs, [&](size_t i) {
        const auto& file = ws.files[i];
        FileOutcome& r = outcomes[i];
        std::string text;
        if (!stages::read_source(file, i == overlay_index ? &options.stdin_text : nullptr, text, r.notices)) return;
        if (options.parse_only) {
            stages::analyze_source(file, std::move(text), true, knowledge, r);
            return;
        }
        r.suppressions = scan_suppressions(text);
        if (i == overlay_index || parsed_anyway(ws, file, text)) {
            stages::analyze_source(file, std::move(text), false, knowledge, r);
        } else {
            held[i] = std::move(text);
            waiting[i] = 1;
        }
    });
    if (options.parse_only) return;
    std::vector<std::string> rels;
    rels.reserve(n);
    for (const auto& f : ws.files) rels.push_back(f.rel);
    analysis::ModuleResolver modules(rels, app_configs(ws), ws.packages);
    std::vector<size_t> round;
    for (size_t i = 0; i < n; ++i)
        if (outcomes[i].analyzed) round.push_back(i);
    while (!round.empty()) {
        std::vector<size_t> next;
        auto reach = [&](size_t from, const std::string& specifier) {
            int t = modules.resolve(static_cast<int>(from), ws.files[from].scope, specifier);
            if (t >= 0 && waiting[t]) {
                waiting[t] = 0;
                next.push_back(static_cast<size_t>(t));
            }
        };
        for (size_t i : round) {
            for (const auto& imp : outcomes[i].facts.imports) reach(i, imp.specifier);
            for (const auto& e : outcomes[i].facts.exports)
                if (!e.from.empty()) reach(i, e.from);
        }
        stages::parallel_for(next.size(), jobs, [&](size_t k) {
            size_t i = next[k];
            stages::analyze_source(ws.files[i], std::move(held[i]), false, knowledge, outcomes[i]);
        });
        round = std::move(next);
    }
    for (size_t i = 0; i < n; ++i) outcomes[i].unreached = waiting[i];
}

/// The index in `ws.files` of the file an editor's buffer stands for (--stdin-filename).
/// A buffer not saved yet (no such file on disk) joins the workspace when it lies in the
/// analyzed folder and names a source file; a file on disk that discovery left out
/// (ignored, skipped) stays out, with a note. SIZE_MAX when there is none.
size_t overlay_file(project::Workspace& ws, const Config& config, const std::string& name, RunResult& result) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path abs = fs::weakly_canonical(fs::absolute(name), ec);
    std::string rel = abs.lexically_relative(fs::weakly_canonical(ws.root, ec)).generic_string();
    for (size_t i = 0; i < ws.files.size(); ++i)
        if (ws.files[i].rel == rel) return i;
    bool on_disk = fs::exists(abs, ec);
    if (on_disk)  // found through a symlink, perhaps: compare real paths (costly, so only now)
        for (size_t i = 0; i < ws.files.size(); ++i)
            if (fs::weakly_canonical(ws.files[i].path, ec) == abs) return i;
    auto note = [&](std::string why) { result.notices.push_back({Severity::Warning, name, 0, std::move(why)}); };
    if (rel.empty() || rel.starts_with("..")) {
        note("--stdin-filename names a file outside the analyzed folder; its text is not analyzed");
    } else if (on_disk || is_ignored(config, rel)) {
        note("--stdin-filename names a file the analysis leaves out (ignored or not a source file); "
             "its text is not analyzed");
    } else if (!project::is_source_extension(abs) || project::is_declaration_file(rel)) {
        note("--stdin-filename names no TypeScript or JavaScript source file; its text is not analyzed");
    } else {
        ws.files.push_back({abs, rel, 0, project::owning_app(ws, abs), project::owning_app(ws, abs, true)});
        return ws.files.size() - 1;
    }
    return SIZE_MAX;
}

}  // namespace

RunResult run(const RunOptions& options) {
    auto t0 = std::chrono::steady_clock::now();
    project::Workspace ws = project::discover(options.inputs);
    Config config = load_config(ws.root, options.config_path);
    std::erase_if(ws.files, [&](const project::SourceFile& f) { return is_ignored(config, f.rel); });  // `ignore` globs
    const analysis::Knowledge& knowledge = config.knowledge;
    auto since = [](auto t) { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count(); };
    double discover_seconds = since(t0);
    auto t1 = std::chrono::steady_clock::now();
    RunResult result;
    result.root = ws.root;
    result.notices = ws.notices;

    // --stdin-filename: that file's text comes from the editor, not the disk.
    size_t overlay_index = options.stdin_filename.empty() ? SIZE_MAX : overlay_file(ws, config, options.stdin_filename, result);

    // Per-file stage on all cores.
    std::vector<FileOutcome> outcomes(ws.files.size());
    unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
    jobs = std::min<unsigned>(jobs, std::max<size_t>(1, ws.files.size()));
    load_files(ws, options, knowledge, jobs, overlay_index, outcomes);

    double files_seconds = since(t1);
    std::map<std::string, std::vector<Suppression>> suppressions;
    for (size_t i = 0; i < ws.files.size(); ++i)
        if (!outcomes[i].suppressions.empty()) suppressions[ws.files[i].rel] = std::move(outcomes[i].suppressions);
    std::vector<analysis::Unit> units;
    units.reserve(ws.files.size());
    for (size_t i = 0; i < ws.files.size(); ++i) {
        auto& o = outcomes[i];
        for (auto& n : o.notices) result.notices.push_back(std::move(n));
        const auto& sf = ws.files[i];
        std::string app_dir = sf.app >= 0 ? ws.apps[sf.app].rel : std::string();
        if (o.unreached) {
            ++result.stats.files_unreached;
            continue;
        }
        if (!o.analyzed) {
            ++result.stats.files_skipped;
            continue;
        }
        ++result.stats.files_analyzed;
        result.stats.bytes += o.bytes;
        if (options.parse_only) continue;
        units.push_back({std::move(o.facts), std::move(app_dir), sf.scope});
    }
    outcomes.clear();

    if (!options.parse_only) {
        analysis::Project project(std::move(units), app_configs(ws), ws.packages, &knowledge);
        result.stats.entry_points = project.entry_points().size();
        if (options.list_entry_points) {
            result.entry_points = analysis::inventory(project);
            std::sort(result.entry_points.begin(), result.entry_points.end(), [](const auto& a, const auto& b) {
                return std::tie(a.entry.file, a.entry.line, a.entry.name) < std::tie(b.entry.file, b.entry.line, b.entry.name);
            });
        } else {
            stages::check_rules(project, jobs, result.findings);
        }
    }

    stages::sort_result(result);
    assign_fingerprints(result.findings);
    attach_lines(result.root, result.findings, overlay_index < ws.files.size() ? ws.files[overlay_index].rel : "",
                 &options.stdin_text);
    if (!options.parse_only) apply_filters(result, config, options, suppressions);
    result.stats.seconds = since(t0);
    result.stats.discover_seconds = discover_seconds;
    result.stats.files_seconds = files_seconds;
    return result;
}

}  // namespace nextguard::engine
