// The rule interface: a rule reads the project model and reports findings.
#pragma once

#include <functional>
#include <map>
#include <string_view>
#include <vector>

#include "analysis/local_check.hpp"
#include "analysis/project.hpp"
#include "core/diagnostic.hpp"

namespace nextguard::rules {

/// A rule. Stateless and const: `check` may run on several threads at once.
class Rule {
public:
    virtual ~Rule() = default;
    /// The stable kebab-case id; rules/<id>.md holds its doc and metadata.
    virtual std::string_view id() const = 0;
    /// Appends this rule's findings for the whole project. `rule`, `severity` and
    /// fingerprints are filled in by the engine.
    virtual void check(const analysis::Project& project, std::vector<Finding>& out) const = 0;
};

/// One finding per flagged place (an operation, a sink): the first entry point that
/// reaches it makes the finding, the others join it as related locations.
template <typename Key>
class OnePerKey {
public:
    explicit OnePerKey(std::vector<Finding>& out) : out_(out) {}
    /// True when `key` has a finding already: the entry point `ref`, declared at `range`,
    /// joins it. Otherwise false, and the next finding appended to `out` is `key`'s.
    bool seen(const Key& key, const EntryRef& ref, const Range& range) {
        auto [it, fresh] = at_.try_emplace(key, out_.size());
        if (fresh) return false;
        out_[it->second].related.push_back({ref.file, range, "also reached from " + ref.label()});
        out_[it->second].also.push_back(ref);
        return true;
    }

private:
    std::vector<Finding>& out_;
    std::map<Key, size_t> at_;
};

/// Every rule, sorted by id.
const std::vector<const Rule*>& all_rules();

/// Test, end-to-end, seed, migration and tooling code (`*.test.*`, `e2e/`, `scripts/`,
/// `migrations/`, `*.config.*`...): fake keys, local defaults and one-off SQL live there,
/// and no request reaches it.
bool is_tooling_file(std::string_view rel);

/// The local checks of the rules that have one, for the fact walk.
const std::vector<const analysis::LocalCheck*>& local_checks();

/// The findings the local check of `rule` made in the walk of every file, as findings;
/// with `keep`, only those in functions (module level: function -1) it accepts.
void report_local_findings(const analysis::Project& project, std::string_view rule, std::vector<Finding>& out,
                           const std::function<bool(analysis::FunctionRef)>& keep = {});

/// A rule made by a local check: its id names both, and its findings are those the check
/// made in the walk (a rule may still filter them in its own `check`).
class LocalRule : public Rule, public analysis::LocalCheck {
public:
    explicit LocalRule(std::string_view id) : id_(id) {}
    std::string_view id() const override { return id_; }
    std::string_view rule() const override { return id_; }
    void check(const analysis::Project& project, std::vector<Finding>& out) const override {
        report_local_findings(project, id_, out);
    }

private:
    std::string_view id_;
};

/// The one instance of a rule class.
template <typename R>
const R& the_rule() {
    static const R rule;
    return rule;
}

}  // namespace nextguard::rules
