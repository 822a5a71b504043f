// FileFacts: everything the later stages need from one file, extracted in the per-file
// stage so that the syntax tree can be freed right away.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"

namespace nextguard::syntax {
class Tree;
}

namespace nextguard::analysis {

/// The shape of an expression, as far as the later stages care: a function, a name,
/// a call (with its arguments' shapes) or something else.
struct ValueRef {
    enum class Kind { Other, Function, Identifier, Call };
    Kind kind = Kind::Other;
    int function = -1;       ///< Function: index into FileFacts::functions
    std::string name;        ///< Identifier: the name; Call: the callee as written ("withAuth", "client.action")
    std::vector<ValueRef> args;  ///< Call: the arguments, depth-bounded
    Range range;
};

/// `import x from "m"`, `import { a as b } from "m"`, `import * as ns from "m"`.
struct Import {
    std::string specifier;  ///< "m"
    std::string imported;   ///< "default", "*" or the exported name
    std::string local;      ///< the local binding
    bool type_only = false;
    uint32_t line = 0;
};

/// One exported name of a module.
struct Export {
    std::string name;       ///< exported name: "GET", "default", "deleteProject"; "*" for `export * from`
    std::string local;      ///< `export { local as name }`: the local binding, else ""
    std::string from;       ///< re-export source specifier, else ""
    ValueRef value;         ///< the exported expression when declared inline
    Range range;
};

/// A top-level `const|let|var name = value` or function declaration.
struct Binding {
    std::string name;
    ValueRef value;
};

/// A function-like node: declaration, expression, arrow or method.
struct Function {
    std::string name;       ///< declared name, else the variable or property it is assigned to, else ""
    int parent = -1;        ///< enclosing function, -1 at module level
    Range range;
    bool is_async = false;
    bool use_server = false;  ///< its body starts with the "use server" directive
    std::vector<std::string> params;  ///< parameter names as written (patterns as text)
};

/// A call made inside a function (or at module level).
struct Call {
    int function = -1;      ///< enclosing function, -1 at module level
    std::string callee;     ///< "getUser", "prisma.user.findMany"; "" when the callee is not a simple path
    Range range;
};

/// A database list read: a query that may return many rows.
struct ListQuery {
    enum class Api { PrismaFindMany, DrizzleSelect, DrizzleQueryFindMany };
    Api api = Api::PrismaFindMany;
    int function = -1;      ///< enclosing function, -1 at module level
    std::string client;     ///< "prisma", "db", "tx"
    std::string model;      ///< "user" or the table ("users"), "" when unknown
    /// Bounded: an explicit take/limit, a unique-key filter. Unknown: the arguments
    /// cannot be seen into (a variable or spread), so the rule stays quiet.
    enum class Bound { None, Bounded, Unknown };
    Bound bound = Bound::None;
    Range range;            ///< the whole call chain
    std::string statement;  ///< normalized source text of the call, for fingerprints
};

/// What a middleware file exports as `config.matcher`.
struct MiddlewareConfig {
    bool present = false;               ///< a `config` with a `matcher` was exported
    std::vector<std::string> matchers;  ///< string entries and `source` of object entries
    Range range;
};

/// The facts of one file. A pure function of the file's bytes and name.
struct FileFacts {
    std::string rel;  ///< path relative to the workspace root
    uint64_t bytes = 0;
    bool use_server = false;   ///< module starts with "use server"
    bool use_client = false;   ///< module starts with "use client"
    bool server_only = false;  ///< imports "server-only"
    std::vector<Import> imports;
    std::vector<Export> exports;
    std::vector<Binding> bindings;
    std::vector<Function> functions;  ///< in source order
    std::vector<Call> calls;
    std::vector<ListQuery> list_queries;
    MiddlewareConfig middleware_config;
    std::vector<Notice> notices;  ///< syntax errors, nesting too deep

    /// The top-level binding called `name`, or nullptr.
    const Binding* binding(std::string_view name) const;
};

/// Extracts facts from a parsed tree. Walks iteratively, so deep nesting cannot overflow
/// the stack.
FileFacts extract_facts(const syntax::Tree& tree, const std::string& rel);

}  // namespace nextguard::analysis
