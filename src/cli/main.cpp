// nextguard: command-line entry point.

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "cli/options.hpp"
#include "engine/run.hpp"
#include "lsp/server.hpp"
#include "report/reporters.hpp"
#include "rules/rule.hpp"
#include "core/files.hpp"
#include "core/rule_info.hpp"

using namespace nextguard;

namespace {


int list_rules() {
    for (const auto* rule : rules::all_rules()) {
        const auto* info = rules::find_rule_info(rule->id());
        fmt::print("{:<24} {:<8} {}\n", rule->id(), info ? severity_name(info->severity) : "?",
                   info ? info->summary : "");
    }
    return 0;
}

/// `nextguard lsp`: a language server on standard input and output.
int lsp_main(const cli::Options& o) {
    lsp::ServerOptions so;
    so.jobs = o.jobs;
    so.config_path = o.config;
    so.rule_overrides = o.rules;
    so.roots = o.paths;
    return lsp::serve_stdio(so);
}

int run_main(const cli::Options& o) {
    if (o.help) {
        std::fputs(cli::usage(), stdout);
        return 0;
    }
    if (o.version) {
        fmt::print("nextguard {}\n", NEXTGUARD_VERSION);
        return 0;
    }
    if (o.list_rules) return list_rules();
    if (!o.explain.empty()) {
        const auto* info = rules::find_rule_info(o.explain);
        if (!info) throw std::invalid_argument("unknown rule '" + o.explain + "' (see --list-rules)");
        std::fputs(info->markdown.c_str(), stdout);
        return 0;
    }
    if (o.lsp) return lsp_main(o);

    engine::RunOptions ro;
    ro.inputs = o.paths;
    ro.jobs = o.jobs;
    ro.parse_only = o.parse_only;
    ro.list_entry_points = o.list_entry_points;
    ro.config_path = o.config;
    ro.rule_overrides = o.rules;
    ro.baseline_path = o.baseline;
    ro.write_baseline_path = o.write_baseline;
    ro.report_unused_suppressions = o.report_unused_suppressions;
    ro.stdin_filename = o.stdin_filename;
    if (!o.stdin_filename.empty()) {
        std::ostringstream in;
        in << std::cin.rdbuf();
        ro.stdin_text = std::move(in).str();
    }
    engine::RunResult result = engine::run(ro);

    if (!o.quiet) {
        for (const auto& n : result.notices) {
            std::string where = n.file.empty() ? "" : n.line ? fmt::format("{}:{}: ", n.file, n.line) : n.file + ": ";
            fmt::print(stderr, "nextguard: {}: {}{}\n", severity_name(n.level), where, n.message);
        }
    }
    if (o.parse_only) {
        fmt::print("{} files, {} bytes parsed in {:.3f} s\n", result.stats.files_analyzed, result.stats.bytes,
                   result.stats.seconds);
        return 0;
    }

    std::string report;
    if (o.list_entry_points) {
        if (o.format == cli::Format::Sarif) throw std::invalid_argument("--list-entry-points writes text or json, not sarif");
        if (o.format == cli::Format::Json) {
            report = report::entry_points_to_json(result) + "\n";
        } else {
            std::ostringstream out;
            report::write_entry_points_text(out, result);
            report = std::move(out).str();
        }
        if (o.output.empty()) {
            std::fwrite(report.data(), 1, report.size(), stdout);
        } else {
            write_file_atomically(o.output, report);
        }
        return 0;
    }
    switch (o.format) {
        case cli::Format::Json: report = report::to_json(result) + "\n"; break;
        case cli::Format::Sarif: report = report::to_sarif(result) + "\n"; break;
        case cli::Format::Text: {
            report::TextOptions to;
            bool tty = o.output.empty() && ::isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
            to.color = o.color == cli::Color::Always || (o.color == cli::Color::Auto && tty);
            to.quiet = o.quiet;
            std::ostringstream out;
            report::write_text(out, result, to);
            report = std::move(out).str();
            break;
        }
    }
    if (o.output.empty()) {
        std::fwrite(report.data(), 1, report.size(), stdout);
        std::fflush(stdout);
    } else {
        try {
            write_file_atomically(o.output, report);
        } catch (const std::exception& e) {
            throw std::runtime_error("cannot write " + o.output + ": " + e.what());
        }
    }

    if (!o.fail_on) return 0;
    for (const auto& f : result.findings)
        if (!f.suppressed && f.severity >= *o.fail_on) return 1;
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    cli::Options o;
    try {
        o = cli::parse_options(argc, argv);
    } catch (const std::exception& e) {
        fmt::print(stderr, "nextguard: {}\n", e.what());
        return 2;
    }
    try {
        return run_main(o);
    } catch (const std::exception& e) {
        fmt::print(stderr, "nextguard: error: {}\n", e.what());
        return 2;
    } catch (...) {
        fmt::print(stderr, "nextguard: error: internal error\n");
        return 2;
    }
}
