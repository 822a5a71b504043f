#include <nlohmann/json.hpp>

#include "report/reporters.hpp"

namespace nextguard::report {

namespace {

using ojson = nlohmann::ordered_json;

ojson entry_json(const EntryRef& e) {
    return ojson{{"kind", e.kind}, {"name", e.name}, {"label", e.label()},
                 {"file", e.file}, {"line", e.line}, {"url", e.url}};
}

ojson location_json(const Location& l) {
    return ojson{{"file", l.file},
                 {"line", l.range.start.line},
                 {"column", l.range.start.column},
                 {"endLine", l.range.end.line},
                 {"endColumn", l.range.end.column},
                 {"message", l.message}};
}

}  // namespace

std::string to_json(const engine::RunResult& result) {
    ojson findings = ojson::array();
    for (const Finding& f : result.findings) {
        ojson entry = f.entry ? entry_json(*f.entry) : ojson(nullptr);
        ojson also = ojson::array();
        for (const EntryRef& e : f.also) also.push_back(entry_json(e));
        ojson related = ojson::array();
        for (const Location& r : f.related) related.push_back(location_json(r));
        const Range& r = f.location.range;
        findings.push_back(ojson{{"rule", f.rule},
                                 {"severity", severity_name(f.severity)},
                                 {"file", f.location.file},
                                 {"line", r.start.line},
                                 {"column", r.start.column},
                                 {"endLine", r.end.line},
                                 {"endColumn", r.end.column},
                                 {"message", f.message},
                                 {"fingerprint", f.fingerprint},
                                 {"entry", std::move(entry)},
                                 {"alsoEntries", std::move(also)},
                                 {"related", std::move(related)},
                                 {"suppressed", f.suppressed},
                                 {"suppressionReason", f.suppressed ? ojson(f.suppression_reason) : ojson(nullptr)}});
    }
    ojson errors = ojson::array();
    for (const Notice& n : result.notices)
        errors.push_back(ojson{{"file", n.file.empty() ? ojson(nullptr) : ojson(n.file)},
                               {"line", n.line},
                               {"severity", severity_name(n.level)},
                               {"message", n.message}});
    const engine::RunStats& s = result.stats;
    ojson doc{{"version", 1},
              {"tool", {{"name", "nextguard"}, {"version", NEXTGUARD_VERSION}}},
              {"findings", std::move(findings)},
              {"errors", std::move(errors)},
              {"stats",
               {{"filesAnalyzed", s.files_analyzed},
                {"filesSkipped", s.files_skipped},
                {"filesUnreached", s.files_unreached},
                {"bytes", s.bytes},
                {"entryPoints", s.entry_points},
                {"seconds", s.seconds},
                {"discoverSeconds", s.discover_seconds},
                {"filesSeconds", s.files_seconds}}}};
    // Invalid UTF-8 in a message or source path must not abort a report: replace it.
    return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace nextguard::report

namespace nextguard::report {

std::string entry_points_to_json(const engine::RunResult& result) {
    ojson list = ojson::array();
    for (const auto& inv : result.entry_points) {
        ojson e = entry_json(inv.entry);
        bool has_check = !inv.auth_at.file.empty();
        e["auth"] = ojson{{"by", inv.auth_by},
                          {"file", has_check ? ojson(inv.auth_at.file) : ojson(nullptr)},
                          {"line", inv.auth_at.range.start.line * has_check},
                          {"detail", inv.auth_detail}};
        e["publicByDesign"] = inv.public_by_design.empty() ? ojson(nullptr) : ojson(inv.public_by_design);
        e["dispatches"] = inv.dispatches.empty() ? ojson(nullptr) : ojson(inv.dispatches);
        e["validated"] = inv.unvalidated.empty();
        ojson unvalidated = ojson::array(), writes = ojson::array();
        for (const auto& l : inv.unvalidated) unvalidated.push_back(location_json(l));
        for (const auto& l : inv.writes) writes.push_back(location_json(l));
        e["unvalidated"] = std::move(unvalidated);
        e["writes"] = std::move(writes);
        list.push_back(std::move(e));
    }
    ojson doc{{"version", 1}, {"entryPoints", std::move(list)}};
    return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace nextguard::report
