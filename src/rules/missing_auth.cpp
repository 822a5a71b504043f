#include <cctype>
#include <map>
#include <tuple>

#include "analysis/auth.hpp"
#include "rules/rule.hpp"

namespace nextguard::rules {

namespace {

using analysis::AuthModel;
using analysis::DbOp;
using analysis::EntryAuth;
using analysis::EntryPoint;

/// The entry point is built on something its authors named public (`publicProcedure`,
/// `PublicEndpoint(handler)`, `publicActionClient`): they mean anyone to call it.
bool declared_public(const analysis::ValueRef* v) {
    for (int depth = 0; v && depth < 16; ++depth) {
        for (const std::string* name : {&v->name, &v->root}) {
            std::string lower;
            for (char c : *name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (lower.find("public") != std::string::npos) return true;
        }
        v = v->receiver.empty() ? nullptr : &v->receiver.front();
    }
    return false;
}

/// missing-auth: an entry point that writes data, or reads someone's rows, before any
/// authentication.
class MissingAuth final : public Rule {
public:
    std::string_view id() const override { return "missing-auth"; }

    void check(const analysis::Project& project, std::vector<Finding>& out) const override {
        const AuthModel& auth = project.auth();
        // Several exports of one handler (`export { handler as GET, handler as HEAD }`) make
        // one finding.
        std::map<std::tuple<int, analysis::FunctionRef, analysis::OpRef>, size_t> at;
        for (const auto& entry : project.entry_points()) {
            if (!entry.reported() || !entry.handler) continue;
            const auto& s = auth.summary(entry.handler);
            analysis::OpRef op = s.unprotected_write ? s.unprotected_write : s.unprotected_read;
            // A Server Action is called from the app's own pages, not browsed: a list of one
            // parent's rows it returns is that parent's private contents.
            if (!op && entry.kind == EntryPoint::Kind::ServerAction) op = s.unprotected_parent_list;
            if (!op) continue;
            // Reads through a builder or wrapper declared public are public by design (a
            // profile's posts); its writes, and reads of sensitive models, are still reported.
            if (!s.unprotected_write && declared_public(entry.value) &&
                !AuthModel::is_sensitive_read(project.units()[op.file].facts.db_ops[op.op]))
                continue;
            // The handler's own check protects what follows it only: a write in its body
            // before it (an insert, then `currentUser()`) has already happened for any
            // caller. A read before a check that rejects discloses nothing, and a helper
            // writing before it returns (an API key's `lastUsedAt`) may be the check itself.
            if (EntryAuth::By by = auth.entry_auth(entry).by; by == EntryAuth::By::Handler) {
                const auto& w = s.unprotected_write;
                if (!w || w.file != entry.handler.file ||
                    project.units()[w.file].facts.db_ops[w.op].function != entry.handler.function)
                    continue;
                op = w;
            } else if (by != EntryAuth::By::None) {
                continue;
            }
            const auto& facts = project.units()[op.file].facts;
            const DbOp& db = facts.db_ops[op.op];
            EntryRef ref = project.entry_ref(entry);
            auto key = std::make_tuple(entry.file, entry.handler, op);
            if (auto it = at.find(key); it != at.end()) {
                out[it->second].message += " (also " + ref.label() + ")";
                out[it->second].also.push_back(std::move(ref));
                continue;
            }
            at.emplace(key, out.size());
            Finding f;
            f.location.file = project.units()[entry.file].facts.rel;
            f.location.range = entry.range;
            bool write = db.kind == DbOp::Kind::Write || db.kind == DbOp::Kind::Raw;
            f.message = ref.label() + (write ? " writes with " : " reads rows that belong to someone with ") +
                        db.describe() + " without authenticating the caller first";
            f.statement = db.statement;
            f.related.push_back({facts.rel, db.range, write ? "the unauthenticated write" : "the unauthenticated read"});
            f.entry = std::move(ref);
            out.push_back(std::move(f));
        }
    }
};

}  // namespace

const Rule& missing_auth() { return the_rule<MissingAuth>(); }

}  // namespace nextguard::rules
