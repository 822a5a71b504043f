// The whole pipeline: Workspace -> per-file stage -> index -> entry points -> rules -> filter.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "analysis/inventory.hpp"
#include "core/diagnostic.hpp"

namespace nextguard::engine {

struct RunOptions {
    std::vector<std::string> inputs;  ///< folders or files; empty means "."
    unsigned jobs = 0;                ///< 0: all cores
    bool parse_only = false;          ///< read and parse only (for tools/bench)
    bool list_entry_points = false;   ///< list the entry points (RunResult::entry_points), run no rules
    std::string config_path;          ///< --config FILE; empty: nextguard.json in the root, if any
    /// --rule ID=LEVEL, in order (LEVEL: error, warn, off); they override the config file.
    std::vector<std::pair<std::string, std::string>> rule_overrides;
    std::string baseline_path;        ///< --baseline FILE: report only findings not in it
    std::string write_baseline_path;  ///< --write-baseline FILE: record today's findings
    bool report_unused_suppressions = false;
    /// --stdin-filename PATH: analyze `stdin_text` as if it were the file at PATH (the rest
    /// of the project read from disk).
    std::string stdin_filename;
    std::string stdin_text;
};

struct RunStats {
    uint64_t files_analyzed = 0;  ///< files read and parsed
    uint64_t files_skipped = 0;   ///< files found but not analyzed (too big, binary, unreadable)
    /// Component (.tsx/.jsx) and test files read but not parsed: no route, action or server
    /// module imports them, so nothing a request runs is in them.
    uint64_t files_unreached = 0;
    uint64_t bytes = 0;           ///< bytes parsed
    uint64_t entry_points = 0;
    double seconds = 0;           ///< wall time of the whole run
    double discover_seconds = 0;  ///< of which: finding the files (Workspace)
    double files_seconds = 0;     ///< of which: the per-file stage (read, parse, extract) on all threads
};

struct RunResult {
    std::filesystem::path root;     ///< absolute; finding paths are relative to it
    std::vector<Finding> findings;  ///< sorted by file, line, column, rule
    std::vector<Notice> notices;    ///< sorted by file, line
    /// --list-entry-points: every entry point, sorted by file, line, name.
    std::vector<analysis::EntryInventory> entry_points;
    RunStats stats;
};

/// Runs the pipeline. Throws std::runtime_error for usage errors (an input that does not
/// exist); every problem with a single file becomes a Notice instead.
RunResult run(const RunOptions& options);

}  // namespace nextguard::engine
