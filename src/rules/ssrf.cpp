#include "rules/common.hpp"

namespace nextguard::rules {

namespace {

/// ssrf: request data choosing where the server sends a request.
class Ssrf final : public Rule {
public:
    std::string_view id() const override { return "ssrf"; }

    void check(const analysis::Project& project, std::vector<Finding>& out) const override {
        report_taint(
            project, project.taint(), [](std::string_view kind) { return kind == "outbound request URL"; },
            [](const std::string& what, const std::string&, const std::string& entry) {
                return what + " chooses the URL the server fetches in " + entry +
                       ": a caller can reach internal services and cloud metadata. Fix the origin in code, or check the "
                       "host against an allowlist; a URL schema alone does not";
            },
            out);
    }
};

}  // namespace

const Rule& ssrf() { return the_rule<Ssrf>(); }

}  // namespace nextguard::rules
