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
    bool version = false;
    bool help = false;
    bool parse_only = false;      ///< hidden: read and parse only, for tools/bench
    std::optional<Severity> fail_on = Severity::Error;  ///< nullopt: never fail on findings
};

/// Parses argv. Throws std::invalid_argument with a one-line reason on bad usage.
Options parse_options(int argc, char** argv);

/// The --help text.
const char* usage();

}  // namespace nextguard::cli
