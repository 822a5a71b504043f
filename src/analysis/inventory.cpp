#include "analysis/inventory.hpp"

#include <set>

#include "analysis/auth.hpp"
#include "analysis/taint_model.hpp"

namespace nextguard::analysis {

namespace {

std::string auth_by(const EntryPoint& entry, const EntryAuth& a) {
    switch (a.by) {
        case EntryAuth::By::None:
        case EntryAuth::By::PublicByDesign: return "none";
        case EntryAuth::By::Wrapper: return "wrapper";
        case EntryAuth::By::Middleware: return "middleware";
        case EntryAuth::By::Builder: return entry.kind == EntryPoint::Kind::Procedure ? "procedure" : "action-client";
        case EntryAuth::By::Handler: break;
    }
    switch (a.check.how) {
        case AuthCheck::How::Signature: return "signature";
        case AuthCheck::How::Secret: return "secret";
        case AuthCheck::How::Capability: return "capability";
        default: return "call";
    }
}

}  // namespace

std::vector<EntryInventory> inventory(const Project& project) {
    AuthModel auth(project);
    const TaintModel& taint = project.taint();
    const auto& units = project.units();
    std::vector<EntryInventory> out;
    for (const auto& entry : project.entry_points()) {
        if (entry.kind == EntryPoint::Kind::Middleware) continue;
        EntryInventory inv;
        inv.entry = project.entry_ref(entry);
        inv.dispatches = entry.dispatches;
        EntryAuth a = auth.entry_auth(entry);
        // Authenticated in some request-method branches only (`if (req.method === "POST")`).
        if (a.by == EntryAuth::By::None && entry.handler && auth.summary(entry.handler).any_auth) {
            a.by = EntryAuth::By::Handler;
            a.check = auth.summary(entry.handler).check;
            a.detail = "in some method branches: " + a.check.detail;
        }
        inv.auth_by = auth_by(entry, a);
        if (a.by == EntryAuth::By::PublicByDesign) inv.public_by_design = a.detail;
        if (a.by != EntryAuth::By::None && a.by != EntryAuth::By::PublicByDesign) {
            inv.auth_detail = a.detail.empty() ? a.check.detail : a.detail;
            // The place of the check; a library wrapper at the export is checked where it is applied.
            int file = a.check.file >= 0 ? a.check.file : entry.file;
            uint32_t line = a.check.file >= 0 && a.check.line > 0 ? a.check.line : entry.range.start.line;
            inv.auth_at.file = units[file].facts.rel;
            inv.auth_at.range.start.line = inv.auth_at.range.end.line = line;
            inv.auth_at.message = a.check.detail;
        }
        std::set<SinkRef> sinks;
        for (const auto& hit : taint.findings(entry)) {
            if (!sinks.insert(hit.sink).second) continue;
            const auto& facts = units[hit.sink.file].facts;
            const auto& sink = facts.sinks[hit.sink.sink];
            inv.unvalidated.push_back({facts.rel, sink.range, sink.kind});
        }
        for (FunctionRef f : project.reachable(entry)) {
            const auto& facts = units[f.file].facts;
            for (const auto& op : facts.db_ops)
                if (op.function == f.function && (op.kind == DbOp::Kind::Write || op.kind == DbOp::Kind::Raw))
                    inv.writes.push_back({facts.rel, op.range, op.describe()});
        }
        out.push_back(std::move(inv));
    }
    return out;
}

}  // namespace nextguard::analysis
