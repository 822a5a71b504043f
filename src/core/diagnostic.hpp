// Small value types shared by every layer: positions, locations, findings, notices.
#pragma once

#include <cstdint>
#include <optional>
#include <tuple>
#include <string>
#include <vector>

namespace nextguard {

/// How serious a finding or notice is; ordered so that a larger value is more serious.
enum class Severity { Note = 0, Warning = 1, Error = 2 };

/// Returns "note", "warning" or "error".
const char* severity_name(Severity s);

/// Parses "note"/"warning"/"error" (also "warn", "info"); returns nullopt for anything else.
std::optional<Severity> parse_severity(const std::string& s);

/// A 1-based position. `column` counts UTF-16 code units (as editors and SARIF do);
/// `byte_column` counts bytes, for code frames.
struct Position {
    uint32_t line = 1;
    uint32_t column = 1;
    uint32_t byte_column = 1;
    bool operator==(const Position&) const = default;
    auto operator<=>(const Position& o) const { return std::tie(line, column) <=> std::tie(o.line, o.column); }
};

struct Range {
    Position start;
    Position end;
    bool operator==(const Range&) const = default;
};

/// A place in a file; `file` is relative to the analyzed root with '/' separators.
struct Location {
    std::string file;
    Range range;
    std::string message;  ///< what this place is, for related locations
};

/// The entry point through which a finding is reached.
struct EntryRef {
    std::string kind;  ///< "route", "api-route", "server-action", "middleware"
    std::string name;  ///< exported name: POST, default, deleteProject
    std::string file;
    uint32_t line = 0;
    uint32_t column = 0;
    std::string url;  ///< URL pattern for routes, empty otherwise
    /// Human label used in messages: "POST /api/projects/[id]", "server action deleteProject".
    std::string label() const;
};

/// One reported problem.
struct Finding {
    std::string rule;
    Severity severity = Severity::Warning;
    Location location;
    std::string message;
    std::optional<EntryRef> entry;
    /// Other entry points that reach the same flagged place (also listed in `related`).
    std::vector<EntryRef> also;
    std::vector<Location> related;
    std::string statement;    ///< normalized text of the flagged statement (for fingerprints)
    std::string fingerprint;  ///< filled by the engine: stable across line moves
    std::string line_text;    ///< filled by the engine: the flagged line, for code frames
    bool suppressed = false;          ///< matched an inline suppression (kept for SARIF)
    std::string suppression_reason;   ///< its `-- reason`
};

/// A problem with the input (unreadable file, syntax error, broken config) that did not stop the run.
struct Notice {
    Severity level = Severity::Warning;
    std::string file;  ///< relative to the analyzed root, may be empty
    uint32_t line = 0; ///< 0 when the notice is about the whole file
    std::string message;
};

}  // namespace nextguard
