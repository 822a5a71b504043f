// Local checks: rules that judge a node and its surroundings (a call and its options, an
// object literal, a string) and run as visitors of the one fact walk, oxlint's model.
// Their findings are facts of the file, cached with it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analysis/facts.hpp"
#include "analysis/knowledge.hpp"
#include "syntax/tree.hpp"

namespace nextguard::analysis {

/// What a local check sees of the file while the walk visits a node.
class LocalContext {
public:
    virtual ~LocalContext() = default;
    /// The file, relative to the workspace root.
    virtual const std::string& file() const = 0;
    /// The enclosing function (index into FileFacts::functions), -1 at module level.
    virtual int function() const = 0;
    /// True when `name` is a parameter of the enclosing function (or of a function around it).
    virtual bool is_parameter(std::string_view name) const = 0;
    /// The file's imports (all known before the walk), and the one that binds `local`.
    virtual const std::vector<Import>& imports() const = 0;
    virtual const Import* import_of(std::string_view local) const = 0;
    virtual const Knowledge& knowledge() const = 0;
    /// True when the module starts with the "use server" directive (its exports are
    /// Server Actions).
    virtual bool use_server_module() const = 0;
    /// Records a finding of `rule` at `at`.
    virtual void report(std::string_view rule, syntax::Node at, std::string message) = 0;
};

/// A check run on the nodes of the kinds it names, during the fact walk. Stateless and
/// const: files are walked on several threads at once.
class LocalCheck {
public:
    virtual ~LocalCheck() = default;
    /// The rule whose findings it makes.
    virtual std::string_view rule() const = 0;
    /// The node kinds it wants to see.
    virtual std::vector<syntax::Kind> kinds() const = 0;
    virtual void visit(syntax::Node n, LocalContext& cx) const = 0;
};

}  // namespace nextguard::analysis
