#include "cli/options.hpp"

#include <stdexcept>
#include <string_view>

namespace nextguard::cli {

const char* usage() {
    return R"(Usage: nextguard [options] [PATH...]
       nextguard lsp      (a language server on stdio)

Analyzes the server side of the Next.js app(s) under PATH (default: the current folder)
and reports missing auth checks, unvalidated input, unbounded queries and more.

Options:
  -f, --format FORMAT   text (default), json or sarif
  -o, --output FILE     write the report to FILE (atomically) instead of stdout
  -j, --jobs N          files parsed in parallel (default: all cores)
      --color WHEN      auto (default), always or never
      --fail-on LEVEL   exit 1 when a finding is at LEVEL or above: error (default),
                        warning, note, or never
  -q, --quiet           report only error-level findings, no summary or notes
      --config FILE     the configuration file (default: nextguard.json in the analyzed root)
      --rule ID=LEVEL   set a rule's level: error, warn or off (repeatable; beats the config)
      --baseline FILE   report only findings that are not in FILE
      --write-baseline FILE  record the current findings in FILE
      --report-unused-suppressions  list suppression comments that match nothing
      --stdin-filename PATH  read one file's text from stdin and analyze it as PATH
      --explain RULE    print a rule's documentation and exit
      --list-rules      list the rules and exit
      --list-entry-points  list every entry point (route, API route, server action,
                        tRPC procedure) with how it is authenticated, whether its input
                        is validated and what it writes (text or json); no rules run
      --version         print the version and exit
  -h, --help            print this help and exit

Exit status: 0 no finding at the failing level, 1 findings, 2 usage, config or internal error.
)";
}

Options parse_options(int argc, char** argv) {
    Options o;
    auto value = [&](int& i, std::string_view flag, std::string_view arg) -> std::string {
        auto eq = arg.find('=');
        if (arg.substr(0, 2) == "--" && eq != std::string_view::npos) return std::string(arg.substr(eq + 1));
        if (i + 1 >= argc) throw std::invalid_argument(std::string(flag) + " needs a value");
        return argv[++i];
    };
    bool only_paths = false;
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        if (only_paths || a.empty() || a[0] != '-' || a == "-") {
            if (i == 1 && a == "lsp") o.lsp = true;
            else o.paths.emplace_back(a);
            continue;
        }
        std::string_view name = a.substr(0, a.find('='));
        if (a == "--") only_paths = true;
        else if (name == "-f" || name == "--format") {
            auto v = value(i, "--format", a);
            if (v == "text") o.format = Format::Text;
            else if (v == "json") o.format = Format::Json;
            else if (v == "sarif") o.format = Format::Sarif;
            else throw std::invalid_argument("--format must be text, json or sarif, not '" + v + "'");
        } else if (name == "-o" || name == "--output") {
            o.output = value(i, "--output", a);
            if (o.output.empty()) throw std::invalid_argument("--output needs a file name");
        } else if (name == "-j" || name == "--jobs") {
            auto v = value(i, "--jobs", a);
            try {
                size_t used = 0;
                long n = std::stol(v, &used);
                if (used != v.size() || n < 1 || n > 1024) throw std::invalid_argument("");
                o.jobs = static_cast<unsigned>(n);
            } catch (const std::exception&) {
                throw std::invalid_argument("--jobs must be a number from 1 to 1024, not '" + v + "'");
            }
        } else if (name == "--color" || name == "--colour") {
            auto v = value(i, "--color", a);
            if (v == "auto") o.color = Color::Auto;
            else if (v == "always") o.color = Color::Always;
            else if (v == "never") o.color = Color::Never;
            else throw std::invalid_argument("--color must be auto, always or never, not '" + v + "'");
        } else if (name == "--fail-on") {
            auto v = value(i, "--fail-on", a);
            if (v == "never") o.fail_on.reset();
            else if (auto s = parse_severity(v)) o.fail_on = *s;
            else throw std::invalid_argument("--fail-on must be error, warning, note or never, not '" + v + "'");
        } else if (a == "-q" || a == "--quiet") o.quiet = true;
        else if (a == "--list-rules") o.list_rules = true;
        else if (a == "--list-entry-points") o.list_entry_points = true;
        else if (a == "--version") o.version = true;
        else if (a == "-h" || a == "--help") o.help = true;
        else if (a == "--parse-only") o.parse_only = true;
        else if (name == "--config") o.config = value(i, "--config", a);
        else if (name == "--rule") {
            auto v = value(i, "--rule", a);
            auto eq = v.find('=');
            if (eq == std::string::npos || eq == 0)
                throw std::invalid_argument("--rule takes ID=LEVEL (error, warn or off), not '" + v + "'");
            std::string level = v.substr(eq + 1);
            if (level != "error" && level != "warn" && level != "warning" && level != "off")
                throw std::invalid_argument("--rule " + v + ": the level must be error, warn or off");
            o.rules.emplace_back(v.substr(0, eq), level);
        } else if (name == "--baseline") o.baseline = value(i, "--baseline", a);
        else if (name == "--write-baseline") o.write_baseline = value(i, "--write-baseline", a);
        else if (a == "--report-unused-suppressions") o.report_unused_suppressions = true;
        else if (name == "--stdin-filename") o.stdin_filename = value(i, "--stdin-filename", a);
        else if (name == "--explain") o.explain = value(i, "--explain", a);
        else throw std::invalid_argument("unknown option '" + std::string(a) + "' (see --help)");
    }
    return o;
}

}  // namespace nextguard::cli
