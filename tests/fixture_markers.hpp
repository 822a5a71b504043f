// The fixture annotation language: `// expect: <rule-id>[, <rule-id>...]` at the end of
// the flagged line or alone on the line above it; `// todo-expect: <rule-id>` for a known
// miss. Shared by the fixture test and its own unit tests.
#pragma once

#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace test {

/// One expected (or known-missing) finding.
struct Marker {
    std::string file;  ///< relative to the project
    unsigned line = 0; ///< the line the finding must be on
    std::string rule;
    bool todo = false;
    auto key() const { return std::tie(file, line, rule); }
    bool operator<(const Marker& o) const { return std::tie(file, line, rule, todo) < std::tie(o.file, o.line, o.rule, o.todo); }
};

/// Parses the markers of one file. Malformed markers and unknown rule ids are appended to
/// `errors` as "file:line: what is wrong".
std::vector<Marker> parse_markers(const std::string& file, const std::string& text,
                                  const std::set<std::string>& known_rules, std::vector<std::string>& errors);

}  // namespace test
