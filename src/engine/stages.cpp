#include "engine/stages.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "syntax/tree.hpp"

namespace nextguard::engine::stages {

bool read_all(const std::filesystem::path& p, std::string& out) {
    std::ifstream f(p, std::ios::binary);
    if (!f) return false;
    std::ostringstream ss;
    ss << f.rdbuf();
    if (f.bad()) return false;
    out = std::move(ss).str();
    return true;
}

FileOutcome process_file(const project::SourceFile& file, bool parse_only, const analysis::Knowledge& knowledge,
                         const std::string* overlay) {
    FileOutcome r;
    auto note = [&](std::string msg, uint32_t line = 0) {
        r.notices.push_back({Severity::Warning, file.rel, line, std::move(msg)});
    };
    try {
        std::string text;
        if (overlay) {
            text = *overlay;  // an editor's unsaved buffer (--stdin-filename)
        } else if (!read_all(file.path, text)) {
            note("cannot read file; skipped");
            return r;
        }
        if (text.find('\0') != std::string::npos) {
            note("binary file (contains NUL bytes); skipped");
            return r;
        }
        size_t bad = 0;
        if (!syntax::valid_utf8(text, bad)) {
            uint32_t line = 1 + static_cast<uint32_t>(std::count(text.begin(), text.begin() + bad, '\n'));
            note(fmt::format("invalid UTF-8 at byte {}; analyzed anyway, positions on that line may be off", bad),
                 line);
        }
        r.bytes = text.size();
        if (!parse_only) r.suppressions = scan_suppressions(text);
        syntax::Tree tree = syntax::thread_parser().parse(std::move(text), syntax::dialect_for(file.rel));
        r.analyzed = true;
        if (!parse_only) {
            r.facts = analysis::extract_facts(tree, file.rel, knowledge);
            for (auto& n : r.facts.notices) r.notices.push_back(n);
            r.facts.notices.clear();
        }
    } catch (const std::exception& e) {
        note(std::string("internal error while analyzing this file: ") + e.what() + "; skipped");
        r.analyzed = false;
    }
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

}  // namespace nextguard::engine::stages
