// A long-lived analysis of one project for editors: every file's facts stay in memory, so
// re-analyzing after an edit re-parses only the files that changed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/diagnostic.hpp"
#include "engine/run.hpp"

namespace nextguard::engine {

struct SessionOptions {
    unsigned jobs = 0;                                                ///< threads for parsing and rules; 0: all cores
    std::string config_path;                                          ///< like RunOptions::config_path
    std::vector<std::pair<std::string, std::string>> rule_overrides;  ///< like RunOptions::rule_overrides
};

/// What the last analyze() did.
struct SessionStats {
    uint64_t files = 0;         ///< files in the project
    uint64_t files_parsed = 0;  ///< of which re-parsed by the last analyze()
    uint64_t parses = 0;        ///< files parsed since the session started
    double seconds = 0;         ///< wall time of the last analyze()
};

/// The project below `root`, analyzed once on construction, then again on demand. The
/// findings equal those of engine::run() on `root` with the same texts (without
/// fingerprints, line texts and the baseline, which editors do not need). A session
/// parses every file, since an edit may make any of them reachable, so its file counts
/// include the component files a run leaves unparsed. Not thread-safe.
class Session {
public:
    /// Discovers and analyzes the project. Throws std::runtime_error when `root` does not
    /// exist or the configuration is invalid.
    explicit Session(const std::filesystem::path& root, SessionOptions options = {});
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    /// The workspace root (absolute); finding paths are relative to it.
    const std::filesystem::path& root() const;

    /// The path of `file` relative to the root with '/' separators, "" when it is outside.
    std::string relative(const std::filesystem::path& file) const;

    /// True when `rel` is one of the project's source files.
    bool has_file(const std::string& rel) const;

    /// Sets the text of `rel` (an editor's buffer); nullopt goes back to the file on disk.
    /// Re-parsed by the next analyze() only when the text differs from the one analyzed.
    /// Returns false when `rel` is not a project file.
    bool set_text(const std::string& rel, std::optional<std::string> text);

    /// Walks the folder again: picks up new and deleted files, files changed on disk (and
    /// not held as editor text), and changed tsconfig.json / package.json files. Takes
    /// effect at the next analyze().
    void rescan();

    /// Re-parses the changed files, rebuilds the project model from the facts in memory
    /// and runs the rules and filters again.
    void analyze();

    /// set_text(rel, text), analyze(), then findings(rel).
    std::vector<Finding> update(const std::string& rel, std::string text);

    /// The findings in `rel` from the last analyze(), sorted, suppressed ones included
    /// (marked `suppressed`).
    std::vector<Finding> findings(const std::string& rel) const;

    /// The last analyze()'s whole result.
    const RunResult& result() const;

    const SessionStats& stats() const;

private:
    struct State;
    std::unique_ptr<State> s_;
};

}  // namespace nextguard::engine
