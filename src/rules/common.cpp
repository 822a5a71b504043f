#include <functional>
#include "rules/common.hpp"

#include <map>

namespace nextguard::rules {

using analysis::EntryPoint;
using analysis::TaintOrigin;

bool has_own_rule(std::string_view kind) {
    return kind == "raw SQL" || kind == "outbound request URL" || kind == "redirect";
}

void report_taint(const analysis::Project& project, const analysis::TaintModel& taint,
                  const std::function<bool(std::string_view)>& accepts, const TaintMessage& message,
                  std::vector<Finding>& out) {
    // One finding per call holding sinks (a write's data and its keys are one place).
    OnePerKey<std::pair<int, uint32_t>> once(out);
    for (const auto& entry : project.entry_points()) {
        if (!entry.reported()) continue;
        EntryRef ref = project.entry_ref(entry);
        // Per call, the sink to show: the data a write stores before the keys it uses.
        std::map<std::pair<int, uint32_t>, analysis::TaintFinding> at_call;
        std::vector<std::pair<int, uint32_t>> order;
        for (const auto& hit : taint.findings(entry)) {
            const auto& sink = project.units()[hit.sink.file].facts.sinks[hit.sink.sink];
            if (!accepts(sink.kind)) continue;
            std::pair<int, uint32_t> call{hit.sink.file, sink.call};
            auto [it, fresh] = at_call.try_emplace(call, hit);
            if (fresh) order.push_back(call);
            else if (sink.kind == "database write" &&
                     project.units()[it->second.sink.file].facts.sinks[it->second.sink.sink].kind == "database key")
                it->second = hit;
        }
        for (const auto& call : order) {
            const auto& hit = at_call.at(call);
            if (once.seen(call, ref, entry.range)) continue;
            const auto& facts = project.units()[hit.sink.file].facts;
            const auto& sink = facts.sinks[hit.sink.sink];
            std::string what;
            if (hit.origin.kind == TaintOrigin::Kind::Request) {
                what = hit.origin.what;
            } else if (entry.kind == EntryPoint::Kind::Procedure) {
                what = "the tRPC input (its `.input()` only casts)";
            } else {
                what = hit.origin.field.empty() ? "argument " + std::to_string(hit.origin.param + 1) + " of the action"
                                                : "`" + hit.origin.field + "` of the action's arguments";
            }
            Finding f;
            f.location.file = facts.rel;
            f.location.range = sink.range;
            f.message = message(what, sink.kind, ref.label());
            f.statement = sink.statement;
            if (hit.origin.kind == TaintOrigin::Kind::Request)
                f.related.push_back({project.units()[hit.origin_file].facts.rel, hit.origin.range, "read here"});
            f.entry = ref;
            out.push_back(std::move(f));
        }
    }
}

bool is_tooling_file(std::string_view rel) {
    if (analysis::is_test_file(rel)) return true;
    for (std::string_view dir : {"e2e/", "test/", "tests/", "scripts/", "fixtures/", "mocks/", "seed/", "seeder/", "stubs/",
                                 "migration/", "migrations/"})
        if (rel.starts_with(dir) || rel.find("/" + std::string(dir)) != std::string_view::npos) return true;
    std::string_view name = rel.substr(rel.rfind('/') == std::string_view::npos ? 0 : rel.rfind('/') + 1);
    return name.find(".config.") != std::string_view::npos || name.starts_with("seed") || name.starts_with("stub");
}

void report_local_findings(const analysis::Project& project, std::string_view rule, std::vector<Finding>& out,
                           const std::function<bool(analysis::FunctionRef)>& keep) {
    for (size_t u = 0; u < project.units().size(); ++u) {
        const auto& unit = project.units()[u];
        for (const auto& lf : unit.facts.local_findings) {
            if (lf.rule != rule) continue;
            if (keep && !keep({static_cast<int>(u), lf.function})) continue;
            Finding f;
            f.location.file = unit.facts.rel;
            f.location.range = lf.range;
            f.message = lf.message;
            f.statement = lf.statement;
            out.push_back(std::move(f));
        }
    }
}

bool machine_caller(std::string_view url) {
    for (std::string_view seg : {"/cron/", "/jobs/", "/webhook/", "/webhooks/", "/queue/", "/workflows/"})
        if (url.find(seg) != std::string_view::npos) return true;
    for (std::string_view seg : {"/cron", "/webhook", "/webhooks"})
        if (url.size() >= seg.size() && url.substr(url.size() - seg.size()) == seg) return true;
    return false;
}

}  // namespace nextguard::rules
