#include "rules/common.hpp"

namespace nextguard::rules {

namespace {

/// unvalidated-input: request data reaching a database write or key, a page size, a
/// payment call, a storage key, a file path or a shell command without a validator. Raw
/// SQL, outbound URLs and redirects have rules of their own, where a schema is no fix.
class UnvalidatedInput final : public Rule {
public:
    std::string_view id() const override { return "unvalidated-input"; }

    void check(const analysis::Project& project, std::vector<Finding>& out) const override {
        report_taint(
            project, project.taint(), [](std::string_view kind) { return !has_own_rule(kind); },
            [](const std::string& what, const std::string& sink, const std::string& entry) {
                return "unvalidated " + what + " reaches a " + sink + " in " + entry +
                       "; parse it with a schema (zod, valibot...) or check it explicitly first";
            },
            out);
    }
};

}  // namespace

const Rule& unvalidated_input() { return the_rule<UnvalidatedInput>(); }

}  // namespace nextguard::rules
