// The baseline: findings recorded on purpose (`--write-baseline FILE`) so that later runs
// (`--baseline FILE`) report only new ones. A file of JSON:
//
//   {"version": 1, "findings": [{"rule", "file", "fingerprint", "message"}]}
//
// Entries are matched by (rule, fingerprint); fingerprints do not depend on line numbers,
// so a finding whose code moved within its file stays baselined.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/diagnostic.hpp"

namespace nextguard::engine {

struct BaselineEntry {
    std::string rule;
    std::string file;
    std::string fingerprint;
    std::string message;
};

struct Baseline {
    std::vector<BaselineEntry> entries;
    /// True when an entry has this rule and fingerprint.
    bool contains(const std::string& rule, const std::string& fingerprint) const;

private:
    friend Baseline parse_baseline(std::string_view text, const std::string& name);
    std::set<std::pair<std::string, std::string>> keys_;
};

/// Parses a baseline's text; `name` (the file) is used in errors. Throws
/// std::runtime_error for invalid JSON, another version or a malformed entry.
Baseline parse_baseline(std::string_view text, const std::string& name);

/// Reads and parses the baseline at `path`; throws std::runtime_error when it cannot.
Baseline load_baseline(const std::filesystem::path& path);

/// The baseline of `findings` as JSON text (entries sorted by file, rule, fingerprint so
/// that the file changes only where findings do), with a final newline.
std::string baseline_json(const std::vector<const Finding*>& findings);

/// Writes `findings` as a baseline to `path` atomically (temp file in the same folder,
/// then rename). Throws std::runtime_error when it cannot.
void write_baseline(const std::filesystem::path& path, const std::vector<const Finding*>& findings);

}  // namespace nextguard::engine
