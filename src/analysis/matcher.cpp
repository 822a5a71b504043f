// Middleware `config.matcher`: path-to-regexp translation and route coverage.
#include "analysis/matcher.hpp"

#include <cstddef>
#include <stdexcept>
#include <utility>

namespace nextguard::analysis {

namespace {

// The characters path-to-regexp treats as segment delimiters (its default `delimiter`).
constexpr std::string_view kDelimiters = "/#?";
// The characters that become a parameter's prefix when written just before it.
constexpr std::string_view kPrefixes = "./";
// The default parameter pattern: one or more non-delimiter characters, lazily.
constexpr std::string_view kDefaultPattern = "[^/#?]+?";

struct InvalidSource : std::runtime_error {
    using std::runtime_error::runtime_error;
};

enum class Kind { Modifier, Escaped, Open, Close, Name, Pattern, Char, End };

struct Lexeme {
    Kind kind;
    std::string value;
};

bool is_name_char(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

// Splits a source into path-to-regexp's lexical tokens.
std::vector<Lexeme> lex(std::string_view s) {
    std::vector<Lexeme> out;
    std::size_t i = 0;
    while (i < s.size()) {
        char c = s[i];
        if (c == '*' || c == '+' || c == '?') {
            out.push_back({Kind::Modifier, std::string(1, c)});
            ++i;
        } else if (c == '\\') {
            // A trailing backslash escapes nothing; path-to-regexp ignores it.
            if (i + 1 < s.size()) out.push_back({Kind::Escaped, std::string(1, s[i + 1])});
            i += 2;
        } else if (c == '{') {
            out.push_back({Kind::Open, "{"});
            ++i;
        } else if (c == '}') {
            out.push_back({Kind::Close, "}"});
            ++i;
        } else if (c == ':') {
            std::size_t j = i + 1;
            while (j < s.size() && is_name_char(s[j])) ++j;
            if (j == i + 1) throw InvalidSource("missing parameter name");
            out.push_back({Kind::Name, std::string(s.substr(i + 1, j - i - 1))});
            i = j;
        } else if (c == '(') {
            int depth = 1;
            std::string pattern;
            std::size_t j = i + 1;
            if (j < s.size() && s[j] == '?') throw InvalidSource("pattern cannot start with \"?\"");
            while (j < s.size()) {
                if (s[j] == '\\') {
                    if (j + 1 >= s.size()) throw InvalidSource("unbalanced pattern");
                    pattern += s.substr(j, 2);
                    j += 2;
                    continue;
                }
                if (s[j] == ')') {
                    if (--depth == 0) {
                        ++j;
                        break;
                    }
                } else if (s[j] == '(') {
                    ++depth;
                    if (j + 1 >= s.size() || s[j + 1] != '?') throw InvalidSource("capturing groups are not allowed");
                }
                pattern += s[j++];
            }
            if (depth != 0) throw InvalidSource("unbalanced pattern");
            if (pattern.empty()) throw InvalidSource("missing pattern");
            out.push_back({Kind::Pattern, std::move(pattern)});
            i = j;
        } else {
            out.push_back({Kind::Char, std::string(1, c)});
            ++i;
        }
    }
    out.push_back({Kind::End, ""});
    return out;
}

// A parsed token: literal text, or a parameter / group.
struct Token {
    bool literal = false;
    std::string text;  // literal text (unescaped)
    std::string prefix, suffix, pattern, modifier;
};

// Escapes regex metacharacters so `s` matches itself.
std::string escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
        out += c;
    }
    return out;
}

class Parser {
public:
    explicit Parser(std::vector<Lexeme> lexemes) : lx_(std::move(lexemes)) {}

    std::vector<Token> parse() {
        std::string path;
        while (i_ < lx_.size()) {
            const std::string* ch = try_consume(Kind::Char);
            const std::string* name = try_consume(Kind::Name);
            const std::string* pattern = try_consume(Kind::Pattern);
            if (name || pattern) {
                std::string prefix = ch ? *ch : "";
                if (kPrefixes.find(prefix) == std::string_view::npos) {
                    path += prefix;
                    prefix.clear();
                }
                flush(path);
                Token t;
                t.pattern = pattern ? *pattern : safe_pattern(prefix);
                t.prefix = std::move(prefix);
                t.modifier = modifier();
                out_.push_back(std::move(t));
                continue;
            }
            const std::string* value = ch ? ch : try_consume(Kind::Escaped);
            if (value) {
                path += *value;
                continue;
            }
            flush(path);
            if (try_consume(Kind::Open)) {
                Token t;
                t.prefix = consume_text();
                const std::string* gname = try_consume(Kind::Name);
                const std::string* gpattern = try_consume(Kind::Pattern);
                t.suffix = consume_text();
                must_consume(Kind::Close);
                if (gpattern) t.pattern = *gpattern;
                else if (gname) t.pattern = safe_pattern(t.prefix);
                t.modifier = modifier();
                out_.push_back(std::move(t));
                continue;
            }
            must_consume(Kind::End);
        }
        return std::move(out_);
    }

private:
    const std::string* try_consume(Kind k) {
        if (i_ < lx_.size() && lx_[i_].kind == k) return &lx_[i_++].value;
        return nullptr;
    }
    void must_consume(Kind k) {
        if (!try_consume(k)) throw InvalidSource("unexpected token");
    }
    std::string modifier() {
        const std::string* m = try_consume(Kind::Modifier);
        return m ? *m : "";
    }
    std::string consume_text() {
        std::string text;
        for (;;) {
            const std::string* v = try_consume(Kind::Char);
            if (!v) v = try_consume(Kind::Escaped);
            if (!v) return text;
            text += *v;
        }
    }
    void flush(std::string& path) {
        if (path.empty()) return;
        Token t;
        t.literal = true;
        t.text = std::move(path);
        out_.push_back(std::move(t));
        path.clear();
    }
    // path-to-regexp 6.3's backtracking guard for parameters without a custom pattern.
    std::string safe_pattern(const std::string& prefix) const {
        const Token* prev = out_.empty() ? nullptr : &out_.back();
        std::string prev_text = !prefix.empty() ? prefix : (prev && prev->literal ? prev->text : "");
        if (prev && prev_text.empty()) throw InvalidSource("must have text between two parameters");
        if (prev_text.empty() || prev_text.find_first_of(kDelimiters) != std::string::npos) {
            return std::string(kDefaultPattern);
        }
        return "(?:(?!" + escape(prev_text) + ")[^/#?])+?";
    }

    std::vector<Lexeme> lx_;
    std::size_t i_ = 0;
    std::vector<Token> out_;
};

// path-to-regexp's `tokensToRegexp` with strict=false, start=true, end=true.
std::string to_regex(const std::vector<Token>& tokens) {
    std::string re = "^";
    for (const Token& t : tokens) {
        if (t.literal) {
            re += escape(t.text);
            continue;
        }
        std::string prefix = escape(t.prefix);
        std::string suffix = escape(t.suffix);
        bool repeat = t.modifier == "*" || t.modifier == "+";
        if (t.pattern.empty()) {
            re += "(?:" + prefix + suffix + ")" + t.modifier;
        } else if (!prefix.empty() || !suffix.empty()) {
            if (repeat) {
                re += "(?:" + prefix + "((?:" + t.pattern + ")(?:" + suffix + prefix + "(?:" + t.pattern + "))*)" +
                      suffix + ")" + (t.modifier == "*" ? "?" : "");
            } else {
                re += "(?:" + prefix + "(" + t.pattern + ")" + suffix + ")" + t.modifier;
            }
        } else {
            if (repeat) throw InvalidSource("cannot repeat a parameter without a prefix and suffix");
            re += "(" + t.pattern + ")" + t.modifier;
        }
    }
    re += "[/#?]?$";
    return re;
}

// The sample values one route segment stands for ("" = the segment is absent).
std::vector<std::string> segment_samples(std::string_view seg) {
    auto wrapped = [&](std::string_view open, std::string_view close) {
        return seg.size() > open.size() + close.size() && seg.substr(0, open.size()) == open &&
               seg.substr(seg.size() - close.size()) == close;
    };
    if (wrapped("[[...", "]]")) return {"", "a", "a/b"};
    if (wrapped("[...", "]")) return {"a", "a/b"};
    if (wrapped("[", "]")) return {"x1"};
    return {std::string(seg)};
}

}  // namespace

std::optional<std::string> matcher_to_regex(std::string_view source) {
    if (source.empty() || source.front() != '/') return std::nullopt;
    try {
        return to_regex(Parser(lex(source)).parse());
    } catch (const InvalidSource&) {
        return std::nullopt;
    }
}

std::vector<std::string> representative_urls(std::string_view url_pattern) {
    std::vector<std::string> urls = {""};
    std::size_t pos = 0;
    while (pos <= url_pattern.size()) {
        std::size_t end = url_pattern.find('/', pos);
        if (end == std::string_view::npos) end = url_pattern.size();
        std::string_view seg = url_pattern.substr(pos, end - pos);
        pos = end + 1;
        if (seg.empty()) continue;
        std::vector<std::string> next;
        for (const std::string& base : urls) {
            for (const std::string& sample : segment_samples(seg)) {
                next.push_back(sample.empty() ? base : base + "/" + sample);
            }
        }
        urls = std::move(next);
    }
    for (std::string& url : urls) {
        if (url.empty()) url = "/";
    }
    return urls;
}

MiddlewareMatcher::MiddlewareMatcher(const std::vector<std::string>& sources) : match_all_(sources.empty()) {
    for (const std::string& source : sources) {
        std::optional<std::string> re = matcher_to_regex(source);
        if (re) {
            try {
                regexes_.emplace_back(*re, std::regex::ECMAScript);
                continue;
            } catch (const std::regex_error&) {
                // A pattern JavaScript accepts but std::regex does not (e.g. a lookbehind).
            }
        }
        invalid_.push_back(source);
    }
}

bool MiddlewareMatcher::matches(std::string_view pathname) const {
    if (match_all_) return true;
    for (const std::regex& re : regexes_) {
        try {
            if (std::regex_search(pathname.begin(), pathname.end(), re)) return true;
        } catch (const std::regex_error&) {
            // Too complex to evaluate: count it as no match.
        }
    }
    return false;
}

bool MiddlewareMatcher::covers(std::string_view url_pattern) const {
    if (match_all_) return true;
    for (const std::string& url : representative_urls(url_pattern)) {
        if (!matches(url)) return false;
    }
    return true;
}

const std::vector<std::string>& MiddlewareMatcher::invalid() const { return invalid_; }

}  // namespace nextguard::analysis
