#include "rules/common.hpp"

namespace nextguard::rules {

namespace {

/// open-redirect: request data choosing where a response redirects.
class OpenRedirect final : public Rule {
public:
    std::string_view id() const override { return "open-redirect"; }

    void check(const analysis::Project& project, std::vector<Finding>& out) const override {
        report_taint(
            project, project.taint(), [](std::string_view kind) { return kind == "redirect"; },
            [](const std::string& what, const std::string&, const std::string& entry) {
                return what + " chooses where " + entry +
                       " redirects: a link to this site can send users to any other. Redirect to a path of this site "
                       "(starting with one `/`), or check the target against an allowlist";
            },
            out);
    }
};

}  // namespace

const Rule& open_redirect() { return the_rule<OpenRedirect>(); }

}  // namespace nextguard::rules
