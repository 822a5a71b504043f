// Command-line options of the nextguard binary.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"

namespace nextguard::cli {

enum class Format { Text, Json, Sarif };
enum class Color { Auto, Always, Never };

struct Options {
    std::vector<std::string> paths;
    Format format = Format::Text;
    std::string output;  ///< empty: stdout
    unsigned jobs = 0;
    Color color = Color::Auto;
    bool quiet = false;
    bool list_rules = false;
    bool list_entry_points = false;   ///< --list-entry-points: the attack-surface inventory
    bool version = false;
    bool help = false;
    bool parse_only = false;      ///< hidden: read and parse only, for tools/bench
    std::optional<Severity> fail_on = Severity::Error;  ///< nullopt: never fail on findings
    bool lsp = false;                 ///< `nextguard lsp`: a language server on stdio
    std::string explain;              ///< --explain RULE: print the rule's doc
    std::string config;               ///< --config FILE
    std::vector<std::pair<std::string, std::string>> rules;  ///< --rule ID=LEVEL
    std::string baseline;             ///< --baseline FILE
    std::string write_baseline;       ///< --write-baseline FILE
    bool report_unused_suppressions = false;
    std::string stdin_filename;       ///< --stdin-filename PATH
};

/// Parses argv. Throws std::invalid_argument with a one-line reason on bad usage.
Options parse_options(int argc, char** argv);

/// The --help text.
const char* usage();

}  // namespace nextguard::cli
