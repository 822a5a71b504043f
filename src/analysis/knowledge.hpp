// Library knowledge: which calls authenticate, verify webhooks, validate input or touch
// the database, per library. Read from rules/knowledge/*.json (format: its README.md).
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace nextguard::analysis {

/// One way to recognise a call: an imported function, a method by the end of its callee
/// path, or the results of a factory the project calls.
struct CallPattern {
    enum class Form { Function, Method, Factory };
    Form form = Form::Function;
    std::string name;                      ///< function, method path ("auth.getUser") or factory
    std::vector<std::string> from;         ///< modules the function or factory is imported from
    std::vector<std::string> if_imported;  ///< Method: only in files importing one of these
    std::vector<std::string> results;      ///< Factory: the names of its results that are auth calls
    bool throws = false;                   ///< the call itself rejects anonymous callers
};

/// A call whose argument must not carry unvalidated request data: a payment API call, a
/// storage key.
struct SinkPattern {
    CallPattern call;
    std::string kind;  ///< how findings name it: "payment call", "storage key"
    int arg = 0;       ///< the argument that matters
};

/// A call that sets a cookie (`serialize(name, value, options)` of `cookie`): where its
/// name, value and options are among the arguments.
struct CookieSetter {
    CallPattern call;
    int name = 0;
    int value = 1;
    int options = 2;
};

/// The shape of a vendor's secret: `sk_live_` and 24 letters or digits.
struct SecretFormat {
    std::string prefix;
    std::string what;        ///< "a Stripe live secret key"
    size_t min_length = 16;  ///< characters after the prefix
    /// Characters the part after the prefix is made of: "alnum", "word" (letters, digits,
    /// `_` and `-`), "upper" (capitals and digits).
    std::string charset = "alnum";
};

/// Middleware that authenticates the routes its matcher covers.
struct MiddlewarePattern {
    std::string function;              ///< a function the middleware is built with
    std::vector<std::string> from;
    std::string reexport;              ///< `export { default } from "<reexport>"`
    std::vector<std::string> when;     ///< only when its callback calls one of these methods
};

struct ValidationKnowledge {
    std::vector<std::string> schema_from;     ///< modules schemas are built from
    std::vector<std::string> schema_methods;  ///< `schema.parse(x)`
    std::vector<CallPattern> functions;       ///< `parse(schema, x)`
    std::vector<CallPattern> callable_factories;  ///< `const S = type({...}); S(x)`
};

struct DatabaseKnowledge {
    std::string style;  ///< prisma, drizzle, supabase, kysely, mongoose, typeorm
    using Names = std::set<std::string, std::less<>>;  // searchable by string_view
    Names list, read, write, aggregate, limit_args, limit_methods, transaction, raw;
    /// Methods whose `where` must name a unique key (Prisma `findUnique`, `update`): with
    /// its only key undefined the call throws instead of matching every row.
    Names unique_where;
    /// Filters whose value argument is a key the query is filtered by: Drizzle's `eq(col,
    /// v)` (functions of the package), Supabase's `.eq("col", v)` (methods of a chain).
    Names filters;
};

struct Library {
    std::string name;
    std::string file;  ///< the knowledge file it came from
    std::vector<std::string> packages;
    std::vector<CallPattern> auth;
    std::vector<CallPattern> webhook;
    /// Calls that read a token without verifying it (`jwt.decode`): a check of what they
    /// return authenticates nobody.
    std::vector<CallPattern> decoders;
    /// Library calls that are sinks for request data (knowledge "sinks").
    std::vector<SinkPattern> sinks;
    /// What the vendor's secrets look like (knowledge "secretFormats").
    std::vector<SecretFormat> secret_formats;
    /// Library calls whose options hold hooks the library runs later, on requests of its
    /// own (`betterAuth({ plugins, databaseHooks })`, `NextAuth({ callbacks, events })`):
    /// what the options hold does not run when the call is made (knowledge "configs").
    std::vector<CallPattern> configs;
    /// Rate limiters: a call that counts the request and says whether it may go on
    /// (`ratelimit.limit(id)` of @upstash/ratelimit; knowledge "limiters").
    std::vector<CallPattern> limiters;
    /// Calls that cost money or send something on each request, or guess at a credential:
    /// an LLM call, an email, an SMS, a password check, a sign-in (knowledge "costly";
    /// `kind` names it).
    std::vector<SinkPattern> costly;
    /// Calls that set cookies (knowledge "cookieSetters").
    std::vector<CookieSetter> cookie_setters;
    std::vector<MiddlewarePattern> middleware;
    /// Calls that hand a request on to entry points of their own (tRPC's adapters): a
    /// route that makes one is a dispatcher, not a handler.
    std::vector<CallPattern> dispatchers;
    bool has_validation = false;
    ValidationKnowledge validation;
    bool has_database = false;
    DatabaseKnowledge database;
};

struct Import;

/// True when a call is the one `p` names: `loose` is its callee path with calls skipped
/// (`jwt.sign`, `put`, `supabase.storage.from.upload`), in a file with these `imports`.
/// Function form: an imported name, or a member of a default or namespace import; method
/// form: the path ends with the method (in files importing `ifImported`, when given; with
/// `any_file`, in any file). A function name with a dot (`sql.raw`) is a member of a named
/// import.
bool calls_pattern(const CallPattern& p, std::string_view loose, const std::vector<Import>& imports,
                   bool any_file = false);

/// A quick test before a callee's path is built: its source text ends with the last name
/// `p` gives (`sessions.create` for `checkout.sessions.create`).
inline bool may_call(std::string_view callee_text, const CallPattern& p) {
    std::string_view last = p.name;
    if (size_t dot = last.rfind('.'); dot != std::string_view::npos) last = last.substr(dot + 1);
    return callee_text.ends_with(last);
}

/// The validation knowledge of all libraries, gathered for quick look-ups.
struct ValidationIndex {
    std::set<std::string, std::less<>> schema_methods;   ///< `schema.parse(x)` method names
    std::set<std::string, std::less<>> validator_names;  ///< last names of validation functions
    std::vector<const CallPattern*> validator_functions;
    std::vector<const CallPattern*> schema_factories;
    std::set<std::string, std::less<>> schema_modules;   ///< modules schemas and validators come from
};

/// All library knowledge.
struct Knowledge {
    std::vector<Library> libraries;

    /// The database knowledge of a style merged over every library of that style, or
    /// nullptr when no library has it.
    const DatabaseKnowledge* database(std::string_view style) const;

    /// Appends a library parsed from one knowledge file. Throws std::runtime_error naming
    /// the file and the JSON path on invalid JSON, unknown keys or wrong types.
    void add(std::string_view file_name, std::string_view json_text);

    /// The knowledge embedded in the binary (rules/knowledge/*.json), parsed once.
    static const Knowledge& builtin();

    /// True when some database style names `method` (a quick filter before reading a call).
    bool is_db_method(std::string_view method) const { return db_methods_.count(method) > 0; }

    /// Validation knowledge of every library, indexed.
    const ValidationIndex& validation() const { return validation_; }

    Knowledge() = default;
    Knowledge(const Knowledge& o) : libraries(o.libraries) { merge(); }
    Knowledge& operator=(const Knowledge& o) {
        libraries = o.libraries;
        merge();
        return *this;
    }

private:
    std::vector<DatabaseKnowledge> merged_;
    std::set<std::string, std::less<>> db_methods_;
    ValidationIndex validation_;  // points into `libraries`: rebuilt by merge() on every change
    void merge();
};

}  // namespace nextguard::analysis
