#include "engine/session.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "analysis/project.hpp"
#include "core/files.hpp"
#include "engine/config.hpp"
#include "engine/filter.hpp"
#include "engine/stages.hpp"
#include "project/workspace.hpp"

namespace fs = std::filesystem;

namespace nextguard::engine {

namespace {

fs::file_time_type mtime_of(const fs::path& p) {
    std::error_code ec;
    auto t = fs::last_write_time(p, ec);
    return ec ? fs::file_time_type{} : t;
}

}  // namespace

struct Session::State {
    /// One source file and what the per-file stage made of it.
    struct File {
        project::SourceFile source;
        stages::FileOutcome outcome;
        std::optional<std::string> overlay;  ///< the editor's text, when it holds the file
        size_t hash = 0;                     ///< of the text last parsed
        bool parsed = false;                 ///< `hash` is meaningful
        fs::file_time_type mtime{};          ///< of the file on disk when it was last read
        bool dirty = true;                   ///< to be parsed by the next analyze()
    };

    fs::path input;  ///< the folder as given, for rescans
    SessionOptions options;
    unsigned jobs = 1;
    Config config;
    project::Workspace ws;
    std::vector<analysis::AppConfig> apps;
    std::map<std::string, File> files;  ///< by rel, so in the order run() sees them
    RunResult result;
    SessionStats stats;
    bool analyzed = false;  ///< `result` matches the files as they are (nothing dirty, no rescan since)

    /// Takes the files, apps and packages of a fresh discovery; keeps what is known of the
    /// files that remain and marks those changed on disk.
    void adopt(project::Workspace fresh) {
        std::erase_if(fresh.files, [&](const project::SourceFile& f) { return is_ignored(config, f.rel); });
        std::map<std::string, File> next;
        for (auto& sf : fresh.files) {
            auto old = files.find(sf.rel);
            File f;
            if (old != files.end()) {
                f = std::move(old->second);
                if (!f.overlay && mtime_of(sf.path) != f.mtime) f.dirty = true;
            }
            f.source = sf;
            next.emplace(sf.rel, std::move(f));
        }
        files = std::move(next);
        ws = std::move(fresh);
        apps = stages::app_configs(ws);
        analyzed = false;  // files may have come or gone
    }

    /// The per-file stage for `f`: its editor text, else the file on disk.
    void parse(File& f) const {
        std::string disk;
        const std::string* text = nullptr;
        if (f.overlay) {
            text = &*f.overlay;
        } else {
            f.mtime = mtime_of(f.source.path);
            if (read_file(f.source.path, disk)) text = &disk;
        }
        f.outcome = stages::process_file(f.source, config.knowledge, text);  // nullptr: notes the read error
        f.parsed = text != nullptr;
        f.hash = text ? std::hash<std::string>{}(*text) : 0;
        f.dirty = false;
    }
};

Session::Session(const fs::path& root, SessionOptions options) : s_(std::make_unique<State>()) {
    s_->input = root;
    s_->options = std::move(options);
    s_->jobs = s_->options.jobs ? s_->options.jobs : std::max(1u, std::thread::hardware_concurrency());
    project::Workspace ws = project::discover({root.string()});
    s_->config = load_config(ws.root, s_->options.config_path);
    s_->adopt(std::move(ws));
    analyze();
}

Session::~Session() = default;

const fs::path& Session::root() const {
    return s_->ws.root;
}

std::string Session::relative(const fs::path& file) const {
    auto inside = [](const fs::path& rel) {
        return !rel.empty() && rel.native() != "." && *rel.begin() != ".." && rel.is_relative();
    };
    fs::path rel = fs::absolute(file).lexically_normal().lexically_relative(s_->ws.root);
    if (inside(rel) && has_file(rel.generic_string())) return rel.generic_string();
    // Through symbolic links (an editor may name the file by its real path).
    std::error_code ec1, ec2;
    fs::path real = fs::weakly_canonical(fs::absolute(file), ec1);
    fs::path real_root = fs::weakly_canonical(s_->ws.root, ec2);
    if (!ec1 && !ec2) {
        fs::path r = real.lexically_relative(real_root);
        if (inside(r)) return r.generic_string();
    }
    return inside(rel) ? rel.generic_string() : std::string();
}

bool Session::has_file(const std::string& rel) const {
    return s_->files.count(rel) > 0;
}

bool Session::set_text(const std::string& rel, std::optional<std::string> text) {
    auto it = s_->files.find(rel);
    if (it == s_->files.end()) return false;
    State::File& f = it->second;
    if (text) {
        if (!f.dirty && f.parsed && f.hash == std::hash<std::string>{}(*text)) {
            f.overlay = std::move(text);  // the same text (didOpen of a saved file): nothing to redo
            return true;
        }
        f.overlay = std::move(text);
        f.dirty = true;
    } else if (f.overlay) {
        f.overlay.reset();
        f.dirty = true;  // back to the disk's text, which may differ from the buffer's
    }
    return true;
}

void Session::rescan() {
    s_->adopt(project::discover({s_->input.string()}));
}

void Session::analyze() {
    auto t0 = std::chrono::steady_clock::now();
    State& s = *s_;

    std::vector<State::File*> dirty;
    for (auto& [rel, f] : s.files)
        if (f.dirty) dirty.push_back(&f);
    if (dirty.empty() && s.analyzed) {  // nothing changed (an edit in another project, say)
        s.stats.files_parsed = 0;
        return;
    }
    stages::parallel_for(dirty.size(), s.jobs, [&](size_t i) { s.parse(*dirty[i]); });

    RunResult result;
    result.root = s.ws.root;
    result.notices = s.ws.notices;
    std::map<std::string, std::vector<Suppression>> suppressions;
    std::vector<analysis::Unit> units;
    units.reserve(s.files.size());
    for (const auto& [rel, f] : s.files) {
        for (const auto& n : f.outcome.notices) result.notices.push_back(n);
        if (!f.outcome.suppressions.empty()) suppressions[rel] = f.outcome.suppressions;
        if (!f.outcome.analyzed) {
            ++result.stats.files_skipped;
            continue;
        }
        ++result.stats.files_analyzed;
        result.stats.bytes += f.outcome.bytes;
        int app = f.source.app;
        std::string app_dir = app >= 0 && static_cast<size_t>(app) < s.ws.apps.size() ? s.ws.apps[app].rel : "";
        units.push_back({f.outcome.facts, std::move(app_dir), f.source.scope});  // a copy: the facts stay here
    }

    {
        analysis::Project project(std::move(units), s.apps, s.ws.packages, &s.config.knowledge);
        result.stats.entry_points = project.entry_points().size();
        stages::check_rules(project, s.jobs, result.findings);
    }

    // As run() finishes: order, then the filters (public routes, levels, suppressions).
    stages::sort_result(result);
    RunOptions filter_options;
    filter_options.rule_overrides = s.options.rule_overrides;
    apply_filters(result, s.config, filter_options, suppressions);

    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    result.stats.seconds = seconds;
    result.stats.files_seconds = 0;
    s.result = std::move(result);
    s.analyzed = true;
    s.stats.files = s.files.size();
    s.stats.files_parsed = dirty.size();
    s.stats.parses += dirty.size();
    s.stats.seconds = seconds;
}

std::vector<Finding> Session::update(const std::string& rel, std::string text) {
    set_text(rel, std::move(text));
    analyze();
    return findings(rel);
}

std::vector<Finding> Session::findings(const std::string& rel) const {
    std::vector<Finding> out;
    for (const auto& f : s_->result.findings)
        if (f.location.file == rel) out.push_back(f);
    return out;
}

const RunResult& Session::result() const {
    return s_->result;
}

const SessionStats& Session::stats() const {
    return s_->stats;
}

}  // namespace nextguard::engine
