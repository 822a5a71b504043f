#include "syntax/repair.hpp"

#include <algorithm>
#include <string_view>

namespace nextguard::syntax {

namespace {

constexpr size_t kMaxTypeArgs = 4096;  // longer "type arguments" are not what we are after
constexpr int kMaxNesting = 64;        // templates inside substitutions inside templates...

bool ident_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
           static_cast<unsigned char>(c) >= 0x80;
}

bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/// A scanner over one source text that knows where strings, templates and comments end.
struct Scanner {
    const std::string& s;

    /// When a string, template or comment starts at `i`, the index just past it (the text's
    /// end when unterminated); otherwise `i`.
    size_t skip_literal(size_t i, int nesting = 0) const {
        if (i >= s.size()) return i;
        char c = s[i];
        if (c == '/' && i + 1 < s.size() && s[i + 1] == '/') {
            size_t e = s.find('\n', i);
            return e == std::string::npos ? s.size() : e;
        }
        if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
            size_t e = s.find("*/", i + 2);
            return e == std::string::npos ? s.size() : e + 2;
        }
        if (c == '"' || c == '\'') {
            for (size_t j = i + 1; j < s.size(); ++j) {
                if (s[j] == '\\') ++j;
                else if (s[j] == c || s[j] == '\n') return j + 1;
            }
            return s.size();
        }
        if (c == '`') return skip_template(i, nesting);
        return i;
    }

    size_t skip_template(size_t i, int nesting) const {
        for (size_t j = i + 1; j < s.size(); ++j) {
            if (s[j] == '\\') {
                ++j;
            } else if (s[j] == '`') {
                return j + 1;
            } else if (s[j] == '$' && j + 1 < s.size() && s[j + 1] == '{') {
                if (nesting >= kMaxNesting) return s.size();
                j = skip_substitution(j + 2, nesting + 1) - 1;
            }
        }
        return s.size();
    }

    /// From just inside `${`, the index just past its closing `}`.
    size_t skip_substitution(size_t j, int nesting) const {
        int depth = 0;
        while (j < s.size()) {
            size_t k = skip_literal(j, nesting);
            if (k != j) {
                j = k;
                continue;
            }
            if (s[j] == '{') ++depth;
            else if (s[j] == '}' && depth-- == 0) return j + 1;
            ++j;
        }
        return s.size();
    }

    /// With `<` at `lt`, the index of the `>` that closes it when the text between is a
    /// balanced list of type arguments; npos otherwise.
    size_t type_args_end(size_t lt, size_t limit) const {
        if (lt + 1 < s.size() && s[lt + 1] == '/') return std::string::npos;  // `</tag>` closes JSX
        std::string brackets;  // open ( [ { inside the arguments
        int depth = 0;
        for (size_t j = lt; j < limit && j - lt < kMaxTypeArgs;) {
            size_t k = skip_literal(j);
            if (k != j) {
                j = k;
                continue;
            }
            char c = s[j];
            if (c == '<') {
                ++depth;
            } else if (c == '>' && !(j > 0 && s[j - 1] == '=')) {  // `=>` of a function type
                if (--depth == 0) return brackets.empty() ? j : std::string::npos;
            } else if (c == '(' || c == '[' || c == '{') {
                brackets.push_back(c);
            } else if (c == ')' || c == ']' || c == '}') {
                char open = c == ')' ? '(' : c == ']' ? '[' : '{';
                if (brackets.empty() || brackets.back() != open) return std::string::npos;
                brackets.pop_back();
            } else if (c == ';' && brackets.empty()) {  // `;` only separates members of `{ }`
                return std::string::npos;
            }
            ++j;
        }
        return std::string::npos;
    }

    /// With `import` at `i` in a type (after `:`, `<`, `,`, `|` or `&`): the index past the
    /// `import("m").` of an import type `import("m").Name`; npos otherwise.
    size_t import_type_prefix_end(size_t i, size_t limit) const {
        size_t before = i;
        while (before > 0 && space(s[before - 1])) --before;
        if (before == 0 || std::string_view(":<,|&").find(s[before - 1]) == std::string_view::npos)
            return std::string::npos;
        size_t open = skip_spaces(i + 6, limit);
        if (open >= limit || s[open] != '(') return std::string::npos;
        size_t str = skip_spaces(open + 1, limit);
        if (str >= limit || (s[str] != '"' && s[str] != '\'')) return std::string::npos;
        size_t close = skip_spaces(skip_literal(str), limit);
        if (close >= limit || s[close] != ')') return std::string::npos;
        size_t dot = skip_spaces(close + 1, limit);
        return dot < limit && s[dot] == '.' ? dot + 1 : std::string::npos;
    }

    bool word_at(size_t i, std::string_view w) const {
        return s.compare(i, w.size(), w) == 0 && (i == 0 || !ident_char(s[i - 1])) &&
               (i + w.size() >= s.size() || !ident_char(s[i + w.size()]));
    }
    size_t skip_spaces(size_t i, size_t limit) const {
        while (i < limit && space(s[i])) ++i;
        return i;
    }
};

void blank(std::string& s, size_t from, size_t to) {
    for (size_t i = from; i < to; ++i)
        if (s[i] != '\n' && s[i] != '\r') s[i] = ' ';
}

/// `&name;`, `&#123;` or `&#x1F;` at `i`: a character reference JSX accepts.
bool character_reference(const std::string& s, size_t i) {
    size_t j = i + 1;
    if (j < s.size() && s[j] == '#') ++j;
    size_t from = j;
    while (j < s.size() && j - from < 32 && ident_char(s[j]) && s[j] != '$') ++j;
    return j > from && j < s.size() && s[j] == ';';
}

int blank_bare_ampersands(std::string& source, const std::vector<ByteSpan>& spans) {
    int blanked = 0;
    for (auto [from, to] : spans) {
        size_t limit = std::min<size_t>(to, source.size());
        for (size_t i = from; i < limit; ++i) {
            if (source[i] != '&') continue;
            if ((i + 1 < limit && (source[i + 1] == '&' || source[i + 1] == '=')) || (i > 0 && source[i - 1] == '&')) {
                ++i;  // `&&`, `&=`: code inside `{...}`
                continue;
            }
            if (character_reference(source, i)) continue;
            source[i] = ' ';
            ++blanked;
        }
    }
    return blanked;
}

}  // namespace

int blank_unsupported_syntax(std::string& source, const ErrorSpans& spans) {
    Scanner sc{source};
    int blanked = blank_bare_ampersands(source, spans.jsx);
    for (auto [from, to] : spans.statements) {
        size_t limit = std::min<size_t>(to, source.size());
        for (size_t i = from; i < limit;) {
            size_t k = sc.skip_literal(i);
            if (k != i) {
                i = k;
                continue;
            }
            char c = source[i];
            if (c == 'e' && sc.word_at(i, "export")) {
                size_t t = sc.skip_spaces(i + 6, limit);
                if (t > i + 6 && sc.word_at(t, "type")) {
                    size_t star = sc.skip_spaces(t + 4, limit);
                    if (star > t + 4 && star < limit && source[star] == '*') {
                        blank(source, t, t + 4);
                        ++blanked;
                    }
                }
                i += 6;
                continue;
            }
            if (c == 'i' && sc.word_at(i, "import")) {
                size_t end = sc.import_type_prefix_end(i, limit);
                if (end != std::string::npos) {
                    blank(source, i, end);
                    ++blanked;
                    i = end;
                    continue;
                }
            }
            if (c == 'u' && sc.word_at(i, "unique")) {
                // `unique` starts the type `unique symbol` to the grammar, even as a name
                size_t next = sc.skip_spaces(i + 6, limit);
                if (!sc.word_at(next, "symbol")) {
                    source[i] = '_';
                    ++blanked;
                }
                i += 6;
                continue;
            }
            if (c == '(') {
                // `(boolean) => void`: a parameter named like a type keyword, read as a type
                size_t w = sc.skip_spaces(i + 1, limit);
                for (std::string_view kw : {"boolean", "string", "number", "any", "unknown", "object", "symbol",
                                            "bigint", "never"}) {
                    if (!sc.word_at(w, kw)) continue;
                    size_t close = sc.skip_spaces(w + kw.size(), limit);
                    if (close >= limit || source[close] != ')') break;
                    size_t arrow = sc.skip_spaces(close + 1, limit);
                    if (arrow + 1 < limit && source[arrow] == '=' && source[arrow + 1] == '>') {
                        source[w] = '_';
                        ++blanked;
                    }
                    break;
                }
            }
            if (c == '<' && i > 0 && (ident_char(source[i - 1]) || source[i - 1] == ')' || source[i - 1] == ']')) {
                size_t gt = sc.type_args_end(i, limit);
                if (gt != std::string::npos) {
                    size_t next = sc.skip_spaces(gt + 1, limit);
                    if (next < limit && (source[next] == '(' || source[next] == '`')) {
                        blank(source, i, gt + 1);
                        ++blanked;
                        i = gt + 1;
                        continue;
                    }
                }
            }
            ++i;
        }
    }
    return blanked;
}

}  // namespace nextguard::syntax
