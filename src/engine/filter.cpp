#include "engine/filter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>
#include <tuple>

#include "engine/baseline.hpp"
#include "rules/rule.hpp"

namespace nextguard::engine {

namespace {

/// Rule id -> level after the config and the `--rule` overrides (later ones win);
/// nullopt turns the rule off. Rules not listed keep their default.
std::map<std::string, std::optional<Severity>> rule_levels(const Config& config, const RunOptions& options) {
    std::map<std::string, std::optional<Severity>> levels = config.rules;
    for (const auto& [id, level] : options.rule_overrides) {
        if (level == "off")
            levels[id] = std::nullopt;
        else if (auto s = parse_severity(level))
            levels[id] = *s;
    }
    return levels;
}

void apply_levels(RunResult& result, const std::map<std::string, std::optional<Severity>>& levels) {
    if (levels.empty()) return;
    std::erase_if(result.findings, [&](Finding& f) {
        auto it = levels.find(f.rule);
        if (it == levels.end()) return false;
        if (!it->second) return true;
        f.severity = *it->second;
        return false;
    });
}

bool known_rule(const std::string& id) {
    for (const rules::Rule* r : rules::all_rules())
        if (r->id() == id) return true;
    return false;
}

const char* directive_name(const Suppression& s) {
    return s.scope == Suppression::Scope::File ? "nextguard-ignore-file" : "nextguard-ignore-next-line";
}

/// Marks suppressed findings and adds notices about the suppression comments.
void apply_suppressions(RunResult& result, const std::map<std::string, std::optional<Severity>>& levels,
                        const RunOptions& options,
                        const std::map<std::string, std::vector<Suppression>>& suppressions) {
    if (suppressions.empty()) return;
    // (file, index of the suppression, rule id) that matched at least one finding.
    std::set<std::tuple<std::string, size_t, std::string>> used;
    for (Finding& f : result.findings) {
        auto it = suppressions.find(f.location.file);
        if (it == suppressions.end()) continue;
        const auto& list = it->second;
        for (size_t i = 0; i < list.size(); ++i) {
            const Suppression& s = list[i];
            if (!s.error.empty()) continue;
            if (s.scope == Suppression::Scope::NextLine && s.target != f.location.range.start.line) continue;
            if (std::find(s.rules.begin(), s.rules.end(), f.rule) == s.rules.end()) continue;
            used.emplace(f.location.file, i, f.rule);
            // A next-line suppression is the more specific: its reason wins over a file's.
            if (!f.suppressed || s.scope == Suppression::Scope::NextLine) {
                if (!f.suppressed || !s.reason.empty()) f.suppression_reason = s.reason;
                f.suppressed = true;
            }
        }
    }

    // Whether a rule produced findings in this run at all: a suppression of a rule that is
    // turned off cannot be called unused.
    auto evaluated = [&](const std::string& id) {
        auto lv = levels.find(id);
        return lv == levels.end() || lv->second.has_value();
    };
    for (const auto& [file, list] : suppressions) {
        for (size_t i = 0; i < list.size(); ++i) {
            const Suppression& s = list[i];
            auto warn = [&](std::string msg) {
                result.notices.push_back({Severity::Warning, file, s.line, std::move(msg)});
            };
            if (!s.error.empty()) {
                warn("malformed suppression comment, ignored: " + s.error);
                continue;
            }
            for (const std::string& id : s.rules)
                if (!known_rule(id))
                    warn(fmt::format("{} names unknown rule '{}' (see --list-rules)", directive_name(s), id));
            if (s.reason.empty())
                warn(fmt::format("{} without a reason: add ` -- <why this is safe>` after the rule id",
                                 directive_name(s)));
            if (!options.report_unused_suppressions) continue;
            for (const std::string& id : s.rules) {
                if (!known_rule(id) || !evaluated(id) || used.count({file, i, id})) continue;
                if (s.scope == Suppression::Scope::File)
                    warn(fmt::format("unused suppression: nextguard-ignore-file {} matches no finding in this file",
                                     id));
                else if (s.target == 0)
                    warn(fmt::format("unused suppression: nextguard-ignore-next-line {} is not followed by code", id));
                else
                    warn(fmt::format("unused suppression: nextguard-ignore-next-line {} matches no finding on line {}",
                                     id, s.target));
            }
        }
    }
}

std::string plural(size_t n, std::string_view word) {
    return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

/// `--baseline` drops the findings it holds; `--write-baseline` records the findings that
/// are left (not suppressed) and, like a baseline, keeps them out of this run's report.
void apply_baseline(RunResult& result, const RunOptions& options) {
    if (options.baseline_path.empty() && options.write_baseline_path.empty()) return;
    if (!options.write_baseline_path.empty()) {
        std::vector<const Finding*> keep;
        for (const Finding& f : result.findings)
            if (!f.suppressed) keep.push_back(&f);
        write_baseline(options.write_baseline_path, keep);
        result.notices.push_back(
            {Severity::Note, "", 0,
             fmt::format("wrote {} to the baseline {}", plural(keep.size(), "finding"), options.write_baseline_path)});
        std::erase_if(result.findings, [](const Finding& f) { return !f.suppressed; });
        return;
    }

    Baseline baseline = load_baseline(options.baseline_path);
    std::set<std::pair<std::string, std::string>> matched;
    size_t dropped = 0;
    std::erase_if(result.findings, [&](const Finding& f) {
        if (f.suppressed || !baseline.contains(f.rule, f.fingerprint)) return false;
        matched.emplace(f.rule, f.fingerprint);
        ++dropped;
        return true;
    });
    size_t stale = 0;
    for (const BaselineEntry& e : baseline.entries)
        if (!matched.count({e.rule, e.fingerprint})) ++stale;
    std::string msg =
        fmt::format("{} in the baseline {} not reported", plural(dropped, "finding"), options.baseline_path);
    if (stale == 1)
        msg +=
            "; 1 baseline entry matches nothing any more (fixed?): rewrite the baseline with --write-baseline to "
            "drop it";
    else if (stale > 1)
        msg += fmt::format(
            "; {} baseline entries match nothing any more (fixed?): rewrite the baseline with "
            "--write-baseline to drop them",
            stale);
    result.notices.push_back({Severity::Note, "", 0, std::move(msg)});
}

}  // namespace

void apply_filters(RunResult& result, const Config& config, const RunOptions& options,
                   const std::map<std::string, std::vector<Suppression>>& suppressions) {
    auto is_public = public_route_check(config);
    std::erase_if(result.findings,
                  [&](const Finding& f) { return f.rule == "missing-auth" && f.entry && is_public(f.entry->url); });
    auto levels = rule_levels(config, options);
    apply_levels(result, levels);
    apply_suppressions(result, levels, options, suppressions);
    apply_baseline(result, options);
    std::stable_sort(result.notices.begin(), result.notices.end(), [](const Notice& a, const Notice& b) {
        return std::tie(a.file, a.line) < std::tie(b.file, b.line);
    });
}

}  // namespace nextguard::engine
