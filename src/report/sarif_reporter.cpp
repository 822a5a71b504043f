#include <algorithm>
#include <cctype>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report/reporters.hpp"
#include "core/rule_info.hpp"

namespace nextguard::report {

namespace {

using ojson = nlohmann::ordered_json;

constexpr const char* kBaseId = "%SRCROOT%";

/// "problem.severity" as GitHub reads it.
const char* problem_severity(Severity s) {
    switch (s) {
        case Severity::Error: return "error";
        case Severity::Warning: return "warning";
        case Severity::Note: return "recommendation";
    }
    return "warning";
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string pascal_case(std::string_view id) {
    std::string out;
    bool upper = true;
    for (char c : id) {
        if (c == '-' || c == '_') {
            upper = true;
            continue;
        }
        out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        upper = false;
    }
    return out;
}

/// Tags for GitHub: the category, the doc's tags, "security" for security rules, and
/// "external/cwe/cwe-N" per CWE; without duplicates, in that order.
ojson rule_tags(const rules::RuleInfo& info) {
    std::vector<std::string> tags;
    auto add = [&](std::string t) {
        if (!t.empty() && std::find(tags.begin(), tags.end(), t) == tags.end()) tags.push_back(std::move(t));
    };
    add(info.category);
    for (const auto& t : info.tags) add(t);
    if (info.category == "security" || !info.security_severity.empty()) add("security");
    for (const auto& c : info.cwe) add("external/cwe/" + lower(c));
    return tags;
}

ojson rule_descriptor(const rules::RuleInfo& info) {
    std::string help_uri = rules::rule_help_uri(info.id);
    ojson props{{"tags", rule_tags(info)}, {"precision", info.precision}};
    if (!info.measured.empty()) props["measuredAccuracy"] = info.measured;
    if (!info.security_severity.empty()) props["security-severity"] = info.security_severity;
    props["problem.severity"] = problem_severity(info.severity);
    return ojson{{"id", info.id},
                 {"name", info.name},
                 {"shortDescription", {{"text", info.summary}}},
                 {"fullDescription", {{"text", info.description}}},
                 {"helpUri", help_uri},
                 {"help", {{"text", info.description + "\n\nDocumentation: " + help_uri}, {"markdown", info.markdown}}},
                 {"defaultConfiguration", {{"level", severity_name(info.severity)}}},
                 {"properties", std::move(props)}};
}

/// A descriptor for a rule id with no doc (should not happen; keeps the log valid).
ojson bare_descriptor(const std::string& id, Severity severity) {
    std::string text = fmt::format("nextguard rule {}.", id);
    return ojson{{"id", id},
                 {"name", pascal_case(id)},
                 {"shortDescription", {{"text", text}}},
                 {"fullDescription", {{"text", text}}},
                 {"helpUri", rules::rule_help_uri(id)},
                 {"help", {{"text", text}}},
                 {"defaultConfiguration", {{"level", severity_name(severity)}}},
                 {"properties", {{"tags", ojson::array()}, {"problem.severity", problem_severity(severity)}}}};
}

ojson region_json(const Range& r) {
    uint32_t start_line = std::max<uint32_t>(r.start.line, 1);
    uint32_t start_col = std::max<uint32_t>(r.start.column, 1);
    uint32_t end_line = std::max(r.end.line, start_line);
    uint32_t end_col = end_line == start_line ? std::max(r.end.column, start_col) : std::max<uint32_t>(r.end.column, 1);
    return ojson{{"startLine", start_line}, {"startColumn", start_col}, {"endLine", end_line}, {"endColumn", end_col}};
}

ojson physical(const std::string& file, ojson region) {
    ojson p{{"artifactLocation", {{"uri", uri_encode_path(file)}, {"uriBaseId", kBaseId}}}};
    if (!region.is_null()) p["region"] = std::move(region);
    return p;
}

/// The flagged place, with the flagged text and its line as snippets when the range is on one line.
ojson primary_location(const Finding& f) {
    ojson p = physical(f.location.file, region_json(f.location.range));
    std::string_view line = f.line_text;
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
    const Range& r = f.location.range;
    if (line.empty() || r.start.line != r.end.line || r.start.byte_column < 1 || r.end.byte_column < r.start.byte_column ||
        r.end.byte_column - 1 > line.size())
        return p;
    p["region"]["snippet"] = {{"text", line.substr(r.start.byte_column - 1, r.end.byte_column - r.start.byte_column)}};
    p["contextRegion"] = {{"startLine", r.start.line}, {"endLine", r.start.line}, {"snippet", {{"text", line}}}};
    return p;
}

/// FNV-1a 64 of rule, file and statement (or message): stable while the code is unchanged.
std::string fallback_fingerprint(const Finding& f) {
    uint64_t h = 1469598103934665603ull;
    auto mix = [&](std::string_view s) {
        for (unsigned char c : s) {
            h ^= c;
            h *= 1099511628211ull;
        }
        h ^= 0xff;
        h *= 1099511628211ull;
    };
    mix(f.rule);
    mix(f.location.file);
    mix(f.statement.empty() ? f.message : f.statement);
    return fmt::format("{:016x}", h);
}

/// file:///abs/root/ for originalUriBaseIds.
std::string root_uri(const std::filesystem::path& root) {
    std::string p = root.generic_string();
    if (p.empty()) return {};
    if (p.back() != '/') p += '/';
    std::string uri = "file://";
    if (p.size() >= 2 && p[1] == ':') {  // C:/work/ on Windows: file:///C:/work/
        uri += '/';
        uri.append(p, 0, 2);
        p.erase(0, 2);
    }
    uri += uri_encode_path(p);
    return uri;
}

ojson result_json(const Finding& f, size_t rule_index) {
    ojson related = ojson::array();
    int id = 1;
    if (f.entry) {
        ojson region = nullptr;
        if (f.entry->line > 0) {
            region = ojson{{"startLine", f.entry->line}};
            if (f.entry->column > 0) region["startColumn"] = f.entry->column;
        }
        related.push_back(ojson{{"id", id++},
                                {"physicalLocation", physical(f.entry->file, std::move(region))},
                                {"message", {{"text", "entry point: " + f.entry->label()}}}});
    }
    for (const Location& l : f.related)
        related.push_back(ojson{{"id", id++},
                                {"physicalLocation", physical(l.file, region_json(l.range))},
                                {"message", {{"text", l.message.empty() ? std::string("related location") : l.message}}}});

    ojson r{{"ruleId", f.rule},
            {"ruleIndex", rule_index},
            {"level", severity_name(f.severity)},
            {"message", {{"text", f.message}}},
            {"locations", ojson::array({ojson{{"physicalLocation", primary_location(f)}}})},
            {"partialFingerprints",
             {{"primaryLocationLineHash", f.fingerprint.empty() ? fallback_fingerprint(f) : f.fingerprint}}}};
    if (!related.empty()) r["relatedLocations"] = std::move(related);
    if (f.suppressed) {
        // An inline `nextguard-ignore-*` comment: the result stays in the log, marked, so
        // code scanning shows it as suppressed rather than forgetting it.
        ojson sup{{"kind", "inSource"}};
        if (!f.suppression_reason.empty()) sup["justification"] = f.suppression_reason;
        r["suppressions"] = ojson::array({std::move(sup)});
    }
    return r;
}

ojson notification_json(const Notice& n) {
    ojson o{{"level", severity_name(n.level)}, {"message", {{"text", n.message}}}};
    if (!n.file.empty()) {
        ojson region = nullptr;
        if (n.line > 0) region = ojson{{"startLine", n.line}};
        o["locations"] = ojson::array({ojson{{"physicalLocation", physical(n.file, std::move(region))}}});
    }
    return o;
}

}  // namespace

std::string uri_encode_path(const std::string& path) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(path.size());
    for (unsigned char c : path) {
        bool keep = std::isalnum(c) || c == '/' || c == '-' || c == '.' || c == '_' || c == '~' || c == '!' ||
                    c == '$' || c == '&' || c == '\'' || c == '(' || c == ')' || c == '*' || c == '+' || c == ',' ||
                    c == ';' || c == '=' || c == '@';
        if (c >= 0x80) keep = false;
        if (keep) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
    }
    return out;
}

std::string to_sarif(const engine::RunResult& result) {
    const auto& infos = rules::all_rule_infos();
    ojson rules_json = ojson::array();
    std::map<std::string, size_t, std::less<>> index;
    for (const auto& info : infos) {
        index.emplace(info.id, rules_json.size());
        rules_json.push_back(rule_descriptor(info));
    }

    ojson results = ojson::array();
    for (const Finding& f : result.findings) {
        auto it = index.find(f.rule);
        if (it == index.end()) {
            it = index.emplace(f.rule, rules_json.size()).first;
            rules_json.push_back(bare_descriptor(f.rule, f.severity));
        }
        results.push_back(result_json(f, it->second));
    }

    ojson invocation{{"executionSuccessful", true}};
    if (!result.notices.empty()) {
        ojson notes = ojson::array();
        for (const Notice& n : result.notices) notes.push_back(notification_json(n));
        invocation["toolExecutionNotifications"] = std::move(notes);
    }

    ojson driver{{"name", "nextguard"},
                 {"version", NEXTGUARD_VERSION},
                 {"semanticVersion", NEXTGUARD_VERSION},
                 {"informationUri", "https://github.com/nextguard/nextguard"},
                 {"rules", std::move(rules_json)}};
    ojson run{{"tool", {{"driver", std::move(driver)}}}};
    if (std::string uri = root_uri(result.root); !uri.empty())
        run["originalUriBaseIds"] = {{kBaseId, {{"uri", uri}}}};
    run["invocations"] = ojson::array({std::move(invocation)});
    run["columnKind"] = "utf16CodeUnits";
    run["results"] = std::move(results);

    ojson log{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", ojson::array({std::move(run)})}};
    return log.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace nextguard::report
