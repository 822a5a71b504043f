// Authentication summaries: which calls authenticate, which functions authenticate
// their callers, and whether an entry point authenticates before it touches data.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "analysis/knowledge.hpp"
#include "analysis/project.hpp"

namespace nextguard::analysis {

/// A database operation of some file.
struct OpRef {
    int file = -1;
    int op = -1;  ///< index into that file's db_ops
    explicit operator bool() const { return file >= 0; }
    auto operator<=>(const OpRef&) const = default;
};

/// Where and how a caller is authenticated.
struct AuthCheck {
    enum class How {
        None,
        Call,        ///< an auth library call (checked), or a helper that rejects anonymous callers
        Guard,       ///< an `if` that answers 401/403
        Signature,   ///< a webhook signature verification
        Secret,      ///< a shared secret compared with `process.env.X`
        Capability,  ///< a row found by a secret token, then checked
    };
    How how = How::None;
    int file = -1;
    uint32_t line = 0;
    std::string detail;  ///< the call or the check as written
};

/// What one function does about authentication, computed over the call graph.
struct AuthSummary {
    static constexpr uint32_t kNever = UINT32_MAX;
    /// Byte offset (in the function's file) of the first authentication in its body:
    /// an auth call whose result is checked or dereferenced, a call that rejects
    /// anonymous callers itself, a call to a function that does, a shared-secret check,
    /// or an `if` that answers 401/403. kNever when none.
    uint32_t auth_at = kNever;
    /// It authenticates somewhere, even if only in one request-method branch
    /// (`if (req.method === "GET") verifyCron(req) else verifyQueue(req)`).
    bool any_auth = false;
    /// It rejects anonymous callers by throwing or redirecting, so calling it
    /// authenticates the caller.
    bool rejects = false;
    /// It returns who the caller is (an auth result) without rejecting anybody, so the
    /// caller has to check what it returns (`getCurrentUser()`).
    bool source = false;
    /// The check at `auth_at` (or the first one in a request-method branch).
    AuthCheck check;
    /// It scopes a query by an auth result it never checks (`where: { id, authorId:
    /// session?.user.id }` with no `if (!session)`): for an anonymous caller the filter is
    /// dropped, so a caller's check of what it returns proves nothing.
    bool ineffective = false;
    /// Before any authentication it looks an account up by the email, user name or phone
    /// number the caller gives (`findUnique({ where: { email } })`): an auth flow (sign-in,
    /// sign-up, reset or magic-link request). Token and session writes after it are that
    /// flow's, not unprotected writes.
    bool credential_lookup = false;
    /// The first write, and the first read of someone's rows, that runs before any
    /// authentication in this function (directly or through the functions it calls).
    OpRef unprotected_write;
    OpRef unprotected_read;
    /// The first list of one parent's rows (`where: { documentId }`) before any
    /// authentication: private when a Server Action returns it, often public in a route
    /// (a post's comments).
    OpRef unprotected_parent_list;
};

/// How an entry point is authenticated, if it is.
struct EntryAuth {
    enum class By { None, Handler, Wrapper, Builder, Middleware, PublicByDesign };
    By by = By::None;
    std::string detail;  ///< the wrapper, builder, middleware file or public pattern
    /// Where the check is: in the handler, the wrapper, the builder's middleware or the
    /// middleware file (file -1 when unknown, or for PublicByDesign and None).
    AuthCheck check;
};

/// Authentication summaries of a whole project. Computed once; read-only afterwards.
class AuthModel {
public:
    explicit AuthModel(const Project& project);

    const AuthSummary& summary(FunctionRef f) const { return summaries_[f.file][f.function]; }

    /// How `entry` is authenticated before its handler runs (wrapper, builder chain,
    /// middleware, public by design), or, with By::Handler, whether its handler
    /// authenticates at all. By::None: nothing authenticates it.
    EntryAuth entry_auth(const EntryPoint& entry) const;

    /// A read or write filtered by a secret (`where: { token }`, `hashedToken`, `*Secret`,
    /// a key hash, an API key):
    /// a capability token, which proves access by itself.
    static bool is_token_scoped(const DbOp& op);

    /// A single-row read by two ids or more (`where: { id: viewId, linkId }`): found and
    /// checked, it is a capability, like a token (the ids are the caller's secret).
    static bool is_id_capability(const DbOp& op);
    /// A list filtered by a parent's id (`documentId`, `team_id`).
    static bool is_parent_list(const DbOp& op);
    /// A single-row read by email, user name or phone number: an account lookup.
    static bool is_credential_lookup(const DbOp& op);
    /// A write of a token, verification, OTP or session row: what an auth flow stores.
    static bool is_credential_write(const DbOp& op);

    /// A read filtered on a publicity flag (`isPublic: true`, `published`, `visibility`): of
    /// rows their owners made public.
    static bool is_public_read(const DbOp& op);

    /// A read of a sensitive model (user, account, session, apiKey, token, payment, invoice,
    /// subscription...).
    static bool is_sensitive_read(const DbOp& op);

    /// True for a read of rows that belong to someone: filtered on an owner key
    /// (userId, ownerId, teamId, orgId, workspaceId, accountId, email...) or of a
    /// sensitive model (user, account, session, apiKey, token, payment, invoice...).
    static bool is_owned_read(const DbOp& op);

    /// What an auth-relevant call is.
    enum class CallKind { Other, Auth, AuthRejects };
    /// `signature` (optional) is set when the call verifies a webhook signature.
    CallKind classify(int file, int call, bool* signature = nullptr) const;

private:
    const Project& project_;
    const Knowledge& knowledge_;
    std::vector<std::vector<AuthSummary>> summaries_;
    std::vector<std::vector<uint8_t>> state_;  // 0 new, 1 in progress, 2 done
    int depth_ = 0;                            // recursion depth of compute()
    /// Server Actions exported as plain functions: their parameters are what the browser sends.
    std::set<FunctionRef> plain_actions_;
    /// Per file and function: the module-level call it is handed to
    /// (`export const getTags = withProjectAuth(fn)`), or -1.
    std::vector<std::vector<int>> module_wrapper_call_;
    /// Per unit: the names its module-level bindings get from auth factories (`auth` of
    /// `export const { auth } = NextAuth(cfg)`).
    std::vector<std::vector<std::string>> factory_auth_;

    void compute(FunctionRef f);
    bool matches(int file, const Call& call, const CallPattern& p) const;
    /// A call that reads a token without verifying it (knowledge "decoders").
    bool decodes(int file, const Call& call) const;
    bool is_factory_result(int file, std::string_view name) const;
    /// `local` of `file` is `name` of one of the packages `from`: imported from it, or from a
    /// project module that passes it on (Project::package_origin).
    bool from_library(int file, std::string_view local, std::string_view name, const std::vector<std::string>& from) const;
    /// The first check of `f` or of the functions nested in it or handed to its calls;
    /// how == None when it has none.
    AuthCheck function_check(FunctionRef f, int depth) const;
    /// Whether `g` throws unless its parameter `i` holds (Function::checked_params), itself
    /// or through a function it hands the parameter to.
    bool param_checked(FunctionRef g, int i, int depth) const;
    bool function_authenticates(FunctionRef f, int depth) const {
        return function_check(f, depth).how != AuthCheck::How::None;
    }
    /// `definition`: `v` defines a builder that entry points start from (the binding of a
    /// chain's first name), not the entry point's own chain.
    bool chain_authenticates(int file, const ValueRef& v, EntryAuth& out, int depth, bool definition = false) const;
    bool middleware_covers(const EntryPoint& mw, std::string_view url) const;
    bool protect_call_covers(FunctionRef f, const Call& call, std::string_view url) const;
    static bool public_by_design(const EntryPoint& entry, std::string& detail);
};

}  // namespace nextguard::analysis
