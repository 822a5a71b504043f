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
    enum class Kind { Other, Function, Identifier, Call, Strings, Object };
    Kind kind = Kind::Other;
    int function = -1;       ///< Function: index into FileFacts::functions
    std::string name;        ///< Identifier: the name; Call: the callee as written ("withAuth", "client.action")
    std::string root;        ///< Call: the first name of the callee chain ("authActionClient" in a.use(f).action(g))
    std::string method;      ///< Call: the last property of a member callee ("action"), else ""
    std::vector<ValueRef> args;  ///< Call: the arguments, depth-bounded
    std::vector<ValueRef> receiver;  ///< Call on a call (`a.use(f).action(g)`): the inner call, at most one
    std::vector<std::string> strings;  ///< Strings: a string literal, or an array of them; Object: the keys of `args`
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
    bool destructured = false;  ///< `const { name } = value`: bound to a part of the value
};

/// A function-like node: declaration, expression, arrow or method.
struct Function {
    std::string name;       ///< declared name, else the variable or property it is assigned to, else ""
    int parent = -1;        ///< enclosing function, -1 at module level
    Range range;
    uint32_t start = 0;     ///< byte offset of the function
    bool is_async = false;
    bool use_server = false;  ///< its body starts with the "use server" directive
    bool per_item = false;    ///< a callback of `.map`/`.forEach`/`.flatMap`: runs once per item
    /// a callback of `Promise.allSettled(items.map(...))`: each item's failure is its own
    bool settled = false;
    bool validates = false;   ///< calls a validator (`schema.safeParse(...)`, `v.parse(...)`)
    /// a member of the object literal its enclosing function returns (`return { async
    /// createUser() {...} }`: an adapter, a service): it runs when someone calls it on the
    /// result, not on the enclosing function's behalf
    bool returned_member = false;
    /// run by a library later, not on the enclosing function's behalf: a function in the
    /// options of a library configuration call (knowledge "configs": `betterAuth({
    /// databaseHooks: { user: { create: { after: fn } } } })`). Callbacks such as the AI
    /// SDK's `onFinish` do run within the request and are not deferred.
    bool deferred = false;
    std::vector<std::string> params;  ///< parameter names as written (patterns as text)
    /// Parameters a throwing guard of its own tests, directly or through names derived from
    /// them: `assertAdmin(session)` throws unless `session?.user?.role` says admin.
    std::vector<int> checked_params;
    /// What it returns when that is a call or a name: an arrow's expression body, or the
    /// first top-level `return <call|name>` of its block (at most one element).
    std::vector<ValueRef> returns;
};

/// A call made inside a function (or at module level).
struct Call {
    int function = -1;      ///< enclosing function, -1 at module level
    std::string callee;     ///< "getUser", "prisma.user.findMany"; "" when the callee is not a simple path
    /// The callee's names with calls skipped: `createClient().auth.getUser` -> "createClient.auth.getUser".
    std::string loose;
    std::string root;       ///< the leftmost name of the callee chain ("db", "createClient"), or ""
    uint32_t start = 0;     ///< byte offsets of the call
    uint32_t end = 0;
    uint32_t line = 0;      ///< 1-based line where it starts
    /// Names bound from its (awaited) result: `const session = await auth()` -> {"session"};
    /// `const { data: { user } } = ...` -> {"data", "user"}.
    std::vector<std::string> assigned;
    /// Names bound later from a part of that result: `const userId = session?.user?.id`,
    /// `const { user } = session` (also from those names in turn).
    std::vector<std::string> derived;
    std::vector<ValueRef> args;  ///< shallow shapes of the arguments
    bool swallowed = false;  ///< inside a `try` whose `catch` does not leave: its throw is ignored
    bool in_try = false;     ///< inside a `try` body that has a `catch` (per-item error handling)
    bool in_catch = false;   ///< inside a `catch` clause: runs when something failed
    /// in the options of a library configuration call (knowledge "configs"): made when the
    /// library runs its hooks, not by the enclosing function (`plugins: createPlugins(db)`)
    bool deferred = false;
    /// The fallback of a value that may be there already: `x || await create()`,
    /// `x ?? await create()`, `id ? { id } : await create()` (a get-or-create).
    bool fallback = false;
    /// Where its result goes in the function: returned (directly or through a variable), or
    /// sent in a response (`Response.json(x)`, `res.json(x)`, `res.send(x)`).
    bool returned = false;
    bool responded = false;
};

/// `if (<condition>) <exit>`: an early return, throw, or a call to redirect()/notFound()/
/// unauthorized()/forbidden() taken when the condition holds.
struct Guard {
    int function = -1;
    uint32_t start = 0;     ///< byte offset of the `if`
    uint32_t line = 0;
    uint32_t condition_end = 0;  ///< byte offset where the condition ends
    std::vector<std::string> names;  ///< identifiers the condition reads (not property names)
    bool env_compare = false;  ///< compares something with `process.env.X` (a shared secret)
    bool throws = false;       ///< exits by throwing (throw, redirect(), notFound()...), not by returning
    bool rejects = false;      ///< the exit says 401/403/Unauthorized/Forbidden
    bool throttles = false;    ///< the exit says 429/Too Many Requests/rate limit
    bool truthy = false;       ///< the condition holds when what it tests is there or non-zero (`if (x.count > 0)`)
    bool returns_tested = false;  ///< the exit returns a name the condition tests (`if (found) return found`)
    /// Paths the guard leaves equal to a known value: `if (userId !== session.user.id)
    /// throw` and `if (!session || input.role != "admin") return` pin `userId`, `input.role`.
    std::vector<std::string> pinned;
};

/// A conditional block: the consequence of an `if`, or a `case` of a `switch` on a
/// request method.
struct Branch {
    int function = -1;
    uint32_t start = 0;     ///< byte span of the block that runs when the condition holds
    uint32_t end = 0;
    std::vector<std::string> condition_calls;  ///< callees called in the condition (`isProtectedRoute`)
    bool negated = false;   ///< the condition starts with `!`
    /// HTTP methods the condition selects: `req.method === "POST"`, `case "GET":`.
    std::vector<std::string> methods;
    int group = -1;         ///< arms of one `if`/`else` or one `switch` share a group: they never both run
    /// `if (event.type === "a")`: the compared path and the literal; two branches on one
    /// subject with different literals never both run (unless the subject changes between).
    std::string subject;
    std::string value;
    bool exits = false;     ///< the arm leaves the function (return/throw at its top level)
    bool registered = false;  ///< a handler registered under a name (`.handle("getCap", fn)`), not a condition
};

/// The body of a loop, or a callback run per item (`items.map(async (x) => ...)`).
struct Loop {
    int function = -1;
    uint32_t start = 0;
    uint32_t end = 0;
};

/// A tRPC procedure: `name: <procedure>.input(...).mutation(fn)` in a router object.
struct Procedure {
    std::string name;       ///< the property key
    std::string kind;       ///< query, mutation, subscription
    ValueRef chain;         ///< the whole call chain (receiver: the procedure builder)
    Range range;            ///< the property key
};

/// A plain member access `name.x` (no `?.`) on a name bound from a call's result; it throws
/// when the value is null, so it acts as a check.
struct Deref {
    int function = -1;
    std::string name;
    uint32_t start = 0;
};

/// A database operation recognised from library knowledge.
struct DbOp {
    enum class Kind { List, Read, Write, Aggregate, Raw };
    Kind kind = Kind::Read;
    std::string style;      ///< prisma, drizzle, supabase, kysely, mongoose, typeorm
    std::string method;     ///< findMany, insert, select...
    int function = -1;      ///< enclosing function, -1 at module level
    int call = -1;          ///< the outermost call of its chain (index into FileFacts::calls): where its result goes
    std::string client;     ///< "prisma", "db", "tx"
    std::string model;      ///< "user" or the table ("users"), "" when unknown
    /// For lists: bounded by an explicit take/limit or a unique-key filter. Unknown: the
    /// arguments cannot be seen into (a variable or spread), so rules stay quiet.
    enum class Bound { None, Bounded, Unknown };
    Bound bound = Bound::None;
    std::vector<std::string> filter_keys;  ///< keys of the `where` filter, when visible
    std::string filter;  ///< Prisma: the `where` object's normalized text (which row a write targets)
    /// Prisma: names read through `?.` in the `where` filter (`authorId: session?.user.id`).
    /// When the name is empty the value is undefined, and Prisma drops the key: the filter
    /// no longer ties the row to anyone.
    std::vector<std::string> optional_filter;
    /// Prisma: the same names where the method must name a unique key and none other is
    /// set (`findUnique({ where: { id: session?.user.id } })`): undefined, the call throws
    /// before it touches a row, so it checks them.
    std::vector<std::string> required_filter;
    std::vector<std::string> data_keys;    ///< writes: the keys set (`data`, `.set()`, `.values()`); "..." for a spread
    bool in_transaction = false;  ///< inside the callback or array of a transaction call in this file
    /// Built but not run here: put in an array or a variable for a later batch
    /// (`updates.push(prisma.x.update(...))`; Prisma and Drizzle queries run when awaited).
    bool deferred = false;
    std::string batch;  ///< deferred into this array variable (`writes.push(op)`, `const writes = [op]`)
    /// An ensure-exists write that is harmless to repeat or to leave alone:
    /// `createMany({ skipDuplicates: true })`, `upsert({ update: {} })`.
    bool idempotent = false;
    /// Its failure is tolerated: `.catch(...)` chained on it, inside a `try` whose `catch`
    /// carries on, or a compensation inside a `catch`.
    bool best_effort = false;
    bool in_try = false;  ///< inside a `try` body that has a `catch` (per-item error handling)
    Range range;            ///< the whole call chain
    uint32_t start = 0;     ///< byte offset
    std::string statement;  ///< normalized source text of the call, for fingerprints

    /// How the operation reads in a message: "`prisma.user.findMany()`".
    std::string describe() const;
};

/// Where a value at a sink comes from.
struct TaintOrigin {
    enum class Kind { Request, Param };
    Kind kind = Kind::Request;
    int param = -1;      ///< Param: the parameter's index
    /// Param: the function whose parameter it is when a closure reads an enclosing
    /// function's parameter (index into FileFacts::functions); -1 for the sink's own.
    int owner = -1;
    std::string field;   ///< Param: the property read from it (`parsedInput`, `input`, `title`), "" for all of it
    std::string what;    ///< Request: what was read ("the JSON body", "a form field", "the query string")
    Range range;         ///< Request: where it was read
};

/// A value reaching a sink (database write data or filter, a limit, raw SQL, an outbound
/// fetch URL, a redirect, a file path, a shell command) without passing a validator.
struct TaintSink {
    int function = -1;
    std::string kind;       ///< "database write", "database filter", "query limit", "raw SQL", ...
    Range range;            ///< the unvalidated value at the sink
    uint32_t start = 0;
    uint32_t call = 0;      ///< byte offset of the sink call (a call may hold several sinks)
    std::string statement;  ///< normalized text of the sink call
    std::vector<TaintOrigin> origins;
};

/// A call handing request-derived values (or the function's own parameters) to another
/// function, per argument.
struct CallTaint {
    int call = -1;  ///< index into calls
    /// Per argument: origins of the whole argument, and, for an object literal, of each key.
    struct Arg {
        std::vector<TaintOrigin> whole;
        /// An object literal argument: origins per key ("" for spreads), used instead of `whole`.
        bool object = false;
        std::vector<std::pair<std::string, std::vector<TaintOrigin>>> fields;
    };
    std::vector<Arg> args;
};

/// A finding of a local check (analysis/local_check.hpp), made during the fact walk.
struct LocalFinding {
    std::string rule;
    Range range;
    std::string message;
    std::string statement;  ///< normalized text of the flagged node, for fingerprints
    int function = -1;      ///< enclosing function, -1 at module level
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
    std::vector<Import> imports;
    std::vector<Export> exports;
    std::vector<Binding> bindings;
    std::vector<Function> functions;  ///< in source order
    std::vector<Call> calls;
    std::vector<Guard> guards;
    std::vector<Branch> branches;
    std::vector<Loop> loops;
    /// Byte spans of transaction calls (`$transaction(...)`, `db.transaction(...)`): what
    /// runs inside, through any call, is atomic.
    std::vector<std::pair<uint32_t, uint32_t>> transactions;
    /// `Promise.all(writes)` / `prisma.$transaction(writes)`: a batch of deferred queries runs.
    struct BatchRun {
        int function = -1;
        std::string name;  ///< the array variable
        uint32_t at = 0;
        bool atomic = false;  ///< handed to a transaction
    };
    std::vector<BatchRun> batch_runs;
    std::vector<Deref> derefs;
    std::vector<DbOp> db_ops;
    std::vector<Procedure> procedures;
    std::vector<TaintSink> sinks;
    std::vector<CallTaint> call_taints;
    MiddlewareConfig middleware_config;
    std::vector<LocalFinding> local_findings;  ///< of the local checks the walk ran
    std::vector<Notice> notices;  ///< syntax errors, nesting too deep

    /// The top-level binding called `name`, or nullptr.
    const Binding* binding(std::string_view name) const;
};

struct Knowledge;
class LocalCheck;

/// Extracts facts from a parsed tree, recognising library calls with `knowledge`
/// (the built-in knowledge by default), and runs the local `checks` on the nodes they
/// ask for. Walks iteratively, so deep nesting cannot overflow the stack.
FileFacts extract_facts(const syntax::Tree& tree, const std::string& rel);
FileFacts extract_facts(const syntax::Tree& tree, const std::string& rel, const Knowledge& knowledge,
                        const std::vector<const LocalCheck*>& checks = {});

}  // namespace nextguard::analysis
