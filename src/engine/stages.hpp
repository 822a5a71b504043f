// Engine internals shared by run() and Session: the per-file stage and the apps'
// module-resolution settings. Not a public interface of the engine.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "analysis/facts.hpp"
#include "analysis/knowledge.hpp"
#include "analysis/modules.hpp"
#include "analysis/project.hpp"
#include "core/diagnostic.hpp"
#include "engine/run.hpp"
#include "engine/suppressions.hpp"
#include "project/workspace.hpp"

namespace nextguard::engine::stages {

/// Result of the per-file stage for one file.
struct FileOutcome {
    bool analyzed = false;
    bool unreached = false;  ///< read, but not parsed: a component or test file nothing parsed imports
    uint64_t bytes = 0;
    analysis::FileFacts facts;
    std::vector<Notice> notices;
    std::vector<Suppression> suppressions;
};

/// Reads a file (or takes `overlay`, an editor's buffer, when not null) into `text` and
/// checks it: false, with a note, when it cannot be read or is binary; invalid UTF-8 gets
/// a note but is analyzed. Never throws on I/O errors.
bool read_source(const project::SourceFile& file, const std::string* overlay, std::string& text,
                 std::vector<Notice>& notices);

/// Parses `text` and extracts its facts into `r` (sets bytes, analyzed, facts and
/// notes), then frees the tree. Never throws.
void analyze_source(const project::SourceFile& file, std::string text, bool parse_only,
                    const analysis::Knowledge& knowledge, FileOutcome& r);

/// Read, check, parse, extract, free: the whole per-file stage for one file (the editor
/// session's; a run defers component files, see run.cpp). `overlay`, when not null, is
/// the file's text (an editor's buffer) instead of what is on disk. Never throws.
FileOutcome process_file(const project::SourceFile& file, const analysis::Knowledge& knowledge,
                         const std::string* overlay);

/// The apps' module-resolution settings with paths relative to the workspace root.
std::vector<analysis::AppConfig> app_configs(const project::Workspace& ws);

/// Runs `work(i)` for i in [0, n) on up to `jobs` threads.
void parallel_for(size_t n, unsigned jobs, const std::function<void(size_t)>& work);

/// Runs every rule side by side over the project
/// model, which they only read, and appends their findings with rule id and severity set.
void check_rules(const analysis::Project& project, unsigned jobs, std::vector<Finding>& out);

/// Orders findings by (file, line, column, rule) and notices by (file, line).
void sort_result(RunResult& result);

}  // namespace nextguard::engine::stages
