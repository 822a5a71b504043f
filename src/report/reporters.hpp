// Reporters: the results of a run as text for people, JSON for editors, SARIF for GitHub.
#pragma once

#include <ostream>
#include <string>

#include "engine/run.hpp"

namespace nextguard::report {

// ---------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------

struct TextOptions {
    bool color = false;  ///< ANSI colours: severity red/yellow/cyan, rule id dim, path bold
    bool quiet = false;  ///< like `eslint --quiet`: only error-level findings, no summary line
};

/// Writes findings for a terminal, one block per finding:
///
///     app/api/projects/route.ts:12:26  warning  unpaginated-query  message
///       12 |   const rows = await prisma.project.findMany();
///          |                      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
///       entry: GET /api/projects (app/api/projects/route.ts:10)
///       related: lib/db.ts:3:1 message
///
/// then `N findings in M files · K files analyzed in T s` (or `no findings · ...`).
/// Columns in the header are UTF-16 units (as editors count); the caret is placed from the
/// byte column, keeping tabs of the source line. Notices are not written here: the CLI
/// prints them to stderr.
void write_text(std::ostream& out, const engine::RunResult& result, const TextOptions& options);

// ---------------------------------------------------------------------------------------
// JSON (schema version 1), for editors and scripts
// ---------------------------------------------------------------------------------------
//
// {
//   "version": 1,
//   "tool": { "name": "nextguard", "version": "0.1.0" },
//   "findings": [ {
//       "rule": "unpaginated-query",
//       "severity": "error" | "warning" | "note",
//       "file": "app/api/projects/route.ts",   // relative to the analyzed root, '/' separators
//       "line": 12, "column": 26,               // 1-based; columns count UTF-16 code units
//       "endLine": 12, "endColumn": 55,         // exclusive end, same units
//       "message": "...",
//       "fingerprint": "...",                   // stable across line moves
//       "suppressed": false,                    // matched a nextguard-ignore comment
//       "suppressionReason": null,              // its `-- reason`, when suppressed
//       "entry": { "kind": "route" | "api-route" | "server-action" | "middleware",
//                  "name": "GET", "label": "GET /api/projects",
//                  "file": "app/api/projects/route.ts", "line": 10,
//                  "url": "/api/projects" } | null,   // url is "" when not a route
//       "related": [ { "file", "line", "column", "endLine", "endColumn", "message" } ]
//   } ],
//   "errors": [ {                              // notices: problems with the input
//       "file": "app/broken.ts" | null,        // null when not about one file
//       "line": 3,                             // 0 when about the whole file
//       "severity": "error" | "warning" | "note",
//       "message": "..."
//   } ],
//   "stats": { "filesAnalyzed": 42, "filesSkipped": 0, "bytes": 123456,
//              "entryPoints": 7, "seconds": 0.12,      // the whole run, of which
//              "discoverSeconds": 0.01,                // finding the files and
//              "filesSeconds": 0.09 }                  // reading, parsing, extracting facts
// }
//
// Findings keep the engine's order (file, line, column, rule); keys are written in the
// order shown. New fields may be added within version 1; removing or changing one bumps it.

/// The run as JSON (schema above), pretty-printed, without a final newline.
std::string to_json(const engine::RunResult& result);

// ---------------------------------------------------------------------------------------
// SARIF 2.1.0, for GitHub code scanning
// ---------------------------------------------------------------------------------------

/// The run as a SARIF 2.1.0 log with one run: every rule of rules::all_rule_infos() in
/// tool.driver.rules (with help markdown, tags, precision, security-severity), results
/// with ruleIndex, relative URIs under uriBaseId %SRCROOT%, partialFingerprints, the
/// entry point and related places as relatedLocations, and notices as
/// toolExecutionNotifications. Columns are UTF-16 code units (columnKind says so).
/// Pretty-printed, without a final newline.
std::string to_sarif(const engine::RunResult& result);

// ---------------------------------------------------------------------------------------
// The entry-point inventory (--list-entry-points)
// ---------------------------------------------------------------------------------------
//
// {
//   "version": 1,
//   "entryPoints": [ {
//       "kind": "route" | "api-route" | "server-action" | "trpc-procedure",
//       "name": "POST", "label": "POST /api/projects", "file": "app/api/projects/route.ts",
//       "line": 12, "url": "/api/projects",
//       "auth": { "by": "none" | "call" | "wrapper" | "middleware" | "procedure" |
//                       "action-client" | "signature" | "secret" | "capability",
//                 "file": "lib/auth.ts" | null, "line": 8, "detail": "withAuth" },
//       "publicByDesign": "sign-in" | null,      // why "none" is by purpose
//       "dispatches": "fetchRequestHandler" | null,  // hands requests to procedures
//       "validated": true,                       // no request data reaches a sink unchecked
//       "unvalidated": [ location ], "writes": [ location ]   // location as in findings' related
//   } ]
// }

/// The inventory as JSON (schema above), pretty-printed, without a final newline.
std::string entry_points_to_json(const engine::RunResult& result);

/// The inventory for a terminal: one line per entry point, then a summary line.
void write_entry_points_text(std::ostream& out, const engine::RunResult& result);

/// Percent-encodes a relative '/'-separated path for a URI (spaces, brackets, '%', non-ASCII...).
std::string uri_encode_path(const std::string& path);

}  // namespace nextguard::report
