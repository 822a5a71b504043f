// Valid TypeScript that tree-sitter-typescript 0.23.2 does not know, rewritten into the
// equivalent construct it does know, byte for byte in place, so positions stay true.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace nextguard::syntax {

/// A half-open byte range of a source text.
using ByteSpan = std::pair<uint32_t, uint32_t>;

/// Where a tree has errors: the statements and the JSX elements that hold one.
struct ErrorSpans {
    std::vector<ByteSpan> statements;
    std::vector<ByteSpan> jsx;
};

/// Blanks the constructs the grammar rejects although TypeScript accepts them, replacing
/// their characters with spaces (newlines kept):
/// - in `spans.statements`, type arguments of a tagged template or of a call
///   (`sql<Row[]>\`...\``, `importOriginal<typeof import("x")>()`), leaving the template or
///   the call; the `type` of `export type * from "m"`, leaving a re-export; the
///   `import("m").` of an import type, leaving the type's name; a name `unique` (which
///   the grammar takes for `unique symbol`) becomes `_nique`, and a function type's lone
///   parameter named like a type keyword (`(boolean) => void`) gets `_` for its first letter;
/// - in `spans.jsx`, a bare `&` in JSX text or an attribute string (`Drag & drop`,
///   `href="?a=1&b=2"`) that starts no character reference.
/// Strings, templates and comments are skipped where code is scanned. Returns how many
/// constructs were blanked.
int blank_unsupported_syntax(std::string& source, const ErrorSpans& spans);

}  // namespace nextguard::syntax
