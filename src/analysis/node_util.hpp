// Small readers of syntax nodes shared by the fact extractors (internal to analysis/).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "syntax/tree.hpp"

namespace nextguard::analysis {

/// The value of a string literal (or a template without substitutions), without quotes.
std::string string_value(syntax::Node n);

/// Strips parentheses, `await`, TS `as`/`satisfies`/`<T>x` and non-null wrappers.
syntax::Node unwrap(syntax::Node n);

/// "a.b.c" for identifier/member chains (also `this`), "" for anything else.
std::string path_text(syntax::Node n);

/// A callee's names with calls skipped: `createClient().auth.getUser` -> "createClient.auth.getUser";
/// "" when the chain holds something else than names, members and calls.
/// `through_calls` (optional) is set when the chain passes through a call or `new`, i.e.
/// when the loose path differs from `path_text`.
std::string loose_path(syntax::Node n, bool* through_calls = nullptr);

/// The first name of `loose_path`, or "".
std::string chain_root(syntax::Node n);

/// Source text with whitespace runs folded to one space, capped at 300 characters.
std::string normalize(std::string_view text);

/// Visits `root` and the nodes below it in pre-order, at most `max_nodes` of them with
/// children; `visit` returns whether to go below the node it is given. Uses a cursor (no
/// recursion), so deep trees are safe.
template <typename Visit>
void visit_nodes(syntax::Node root, size_t max_nodes, Visit visit) {
    if (!root) return;
    syntax::Cursor c(root);
    size_t visited = 0;
    for (;;) {
        if (visit(c.node()) && ++visited < max_nodes && c.first_child()) continue;
        for (;;) {
            if (c.node().id() == root.id()) return;
            if (c.next_sibling()) break;
            if (!c.parent()) return;
        }
    }
}

/// Text that reads as SQL: a string, template or concatenation holding `select ... from`,
/// `insert into`, `update ... set`, `delete from` or `where` (any case).
bool looks_like_sql(syntax::Node n);

/// The source text of `n` without its comments (a comment saying "validate" is no check).
std::string code_text(syntax::Node n);

/// The key of an object `pair` (or a shorthand property) as a plain name, or "".
std::string pair_key(syntax::Node pair);

/// The value of `key` in an object literal, or a null node (also for shorthand `{ key }`,
/// where the identifier itself is returned).
syntax::Node object_value(syntax::Node object, std::string_view key);

/// True when an object literal holds a spread (`{ ...x }`): its keys cannot all be seen.
bool has_spread(syntax::Node object);

/// True for the kinds of a function: declaration, expression, arrow, method, generator.
bool is_function_kind(syntax::Kind k);
bool is_function_node(syntax::Node n);

/// The innermost function around `n` (not `n` itself), or a null node at module level.
syntax::Node enclosing_function(syntax::Node n);

/// The value `name` is declared with (`const name = <value>`) in a block or module around
/// `at`, before it; the nearest scope wins. A null node when there is none (a parameter, an
/// import, a destructured name, or a declaration after `at`).
syntax::Node declared_value(syntax::Node at, std::string_view name);

/// Appends the identifiers read in `n` (not property names), at most `max` of them.
void identifiers_in(syntax::Node n, std::vector<std::string>& out, size_t max = 32);

/// The names a declaration pattern binds: `x`, `{ a, b: { c } }`, `[d, ...e]`.
void pattern_names(syntax::Node pattern, std::vector<std::string>& out, size_t max = 16);

/// `s` in ASCII lower case.
std::string lower(std::string_view s);

/// True when the statement `st` (an expression or return statement) is a call to one of
/// Next.js's navigation helpers that throw: redirect, permanentRedirect, notFound,
/// unauthorized, forbidden.
bool calls_navigation_exit(syntax::Node st);

}  // namespace nextguard::analysis
