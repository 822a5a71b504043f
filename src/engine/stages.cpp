#include "engine/stages.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <atomic>
#include <thread>
#include <tuple>

#include "rules/rule.hpp"
#include "core/files.hpp"
#include "core/rule_info.hpp"
#include "syntax/tree.hpp"

namespace nextguard::engine::stages {

bool read_source(const project::SourceFile& file, const std::string* overlay, std::string& text,
                 std::vector<Notice>& notices) {
    auto note = [&](std::string msg, uint32_t line = 0) {
        notices.push_back({Severity::Warning, file.rel, line, std::move(msg)});
    };
    if (overlay) {
        text = *overlay;  // an editor's unsaved buffer (--stdin-filename)
    } else if (!read_file(file.path, text)) {
        note("cannot read file; skipped");
        return false;
    }
    if (text.find('\0') != std::string::npos) {
        note("binary file (contains NUL bytes); skipped");
        return false;
    }
    size_t bad = 0;
    if (!syntax::valid_utf8(text, bad)) {
        uint32_t line = 1 + static_cast<uint32_t>(std::count(text.begin(), text.begin() + bad, '\n'));
        note(fmt::format("invalid UTF-8 at byte {}; analyzed anyway, positions on that line may be off", bad), line);
    }
    return true;
}

void analyze_source(const project::SourceFile& file, std::string text, bool parse_only,
                    const analysis::Knowledge& knowledge, FileOutcome& r) {
    try {
        r.bytes = text.size();
        syntax::Tree tree = syntax::thread_parser().parse(std::move(text), syntax::dialect_for(file.rel));
        r.analyzed = true;
        if (syntax::SyntaxError e = syntax::first_syntax_error(tree)) {
            r.notices.push_back({Severity::Warning, file.rel, e.line,
                                 e.missing.empty() ? std::string("syntax error; analyzed what could be parsed")
                                                   : "syntax error: missing " + e.missing +
                                                         "; analyzed what could be parsed"});
        }
        if (!parse_only) {
            r.facts = analysis::extract_facts(tree, file.rel, knowledge, rules::local_checks());
            for (auto& n : r.facts.notices) r.notices.push_back(n);
            r.facts.notices.clear();
        }
    } catch (const std::exception& e) {
        r.notices.push_back({Severity::Warning, file.rel, 0,
                             std::string("internal error while analyzing this file: ") + e.what() + "; skipped"});
        r.analyzed = false;
    }
}

FileOutcome process_file(const project::SourceFile& file, const analysis::Knowledge& knowledge,
                         const std::string* overlay) {
    FileOutcome r;
    std::string text;
    if (!read_source(file, overlay, text, r.notices)) return r;
    r.suppressions = scan_suppressions(text);
    analyze_source(file, std::move(text), false, knowledge, r);
    return r;
}

std::vector<analysis::AppConfig> app_configs(const project::Workspace& ws) {
    auto rel = [&](const std::string& abs) {
        std::string r = std::filesystem::path(abs).lexically_normal().lexically_relative(ws.root).generic_string();
        return r == "." ? std::string() : r;
    };
    std::vector<analysis::AppConfig> out;
    for (const auto& app : ws.apps) {
        analysis::AppConfig cfg;
        cfg.dir = app.rel;
        if (app.tsconfig) {
            if (app.tsconfig->base_url) {
                cfg.has_base_url = true;
                cfg.base_url = rel(app.tsconfig->base_url->string());
            }
            for (const auto& [pattern, targets] : app.tsconfig->paths) {
                std::vector<std::string> rts;
                for (const auto& t : targets) rts.push_back(rel(t));
                cfg.paths.emplace_back(pattern, std::move(rts));
            }
        }
        out.push_back(std::move(cfg));
    }
    return out;
}

void parallel_for(size_t n, unsigned jobs, const std::function<void(size_t)>& work) {
    std::atomic<size_t> next{0};
    auto worker = [&] {
        for (size_t i; (i = next.fetch_add(1)) < n;) work(i);
    };
    unsigned threads = static_cast<unsigned>(std::min<size_t>(jobs, n));
    if (threads <= 1) {
        worker();
        return;
    }
    std::vector<std::thread> pool;
    for (unsigned j = 1; j < threads; ++j) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
}

void check_rules(const analysis::Project& project, unsigned jobs, std::vector<Finding>& out) {
    const std::vector<const rules::Rule*>& selected = rules::all_rules();
    std::vector<std::vector<Finding>> found(selected.size());
    parallel_for(selected.size(), jobs, [&](size_t i) { selected[i]->check(project, found[i]); });
    for (size_t i = 0; i < selected.size(); ++i) {
        const rules::RuleInfo* info = rules::find_rule_info(selected[i]->id());
        for (auto& f : found[i]) {
            f.rule = std::string(selected[i]->id());
            f.severity = info ? info->severity : Severity::Warning;
            out.push_back(std::move(f));
        }
    }
}

void sort_result(RunResult& result) {
    std::sort(result.findings.begin(), result.findings.end(), [](const Finding& a, const Finding& b) {
        return std::tie(a.location.file, a.location.range.start.line, a.location.range.start.column, a.rule) <
               std::tie(b.location.file, b.location.range.start.line, b.location.range.start.column, b.rule);
    });
    std::stable_sort(result.notices.begin(), result.notices.end(), [](const Notice& a, const Notice& b) {
        return std::tie(a.file, a.line) < std::tie(b.file, b.line);
    });
}

}  // namespace nextguard::engine::stages
