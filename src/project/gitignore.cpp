#include "project/gitignore.hpp"

#include <algorithm>

#include <cstddef>
#include <vector>

namespace nextguard::project {

namespace {

bool posix_class(std::string_view name, unsigned char c) {
    if (name == "alnum") return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (name == "alpha") return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (name == "digit") return c >= '0' && c <= '9';
    if (name == "lower") return c >= 'a' && c <= 'z';
    if (name == "upper") return c >= 'A' && c <= 'Z';
    if (name == "space") return c == ' ' || (c >= '\t' && c <= '\r');
    if (name == "blank") return c == ' ' || c == '\t';
    if (name == "xdigit") return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (name == "cntrl") return c < 32 || c == 127;
    if (name == "print") return c >= 32 && c < 127;
    if (name == "graph") return c > 32 && c < 127;
    if (name == "punct") {
        return c > 32 && c < 127 && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
    }
    return false;
}

/// Matches a '[...]' class starting at glob[p] == '['. On success sets `next` past the
/// closing ']'. Returns false with next == npos when there is no closing ']' (then the
/// '[' is an ordinary character).
bool match_class(std::string_view glob, size_t p, unsigned char c, size_t& next) {
    size_t i = p + 1;
    bool negate = false;
    if (i < glob.size() && (glob[i] == '!' || glob[i] == '^')) {
        negate = true;
        ++i;
    }
    bool matched = false;
    bool first = true;
    while (i < glob.size()) {
        unsigned char lo = static_cast<unsigned char>(glob[i]);
        if (lo == ']' && !first) {
            next = i + 1;
            return matched != negate;
        }
        first = false;
        if (lo == '[' && i + 1 < glob.size() && glob[i + 1] == ':') {
            size_t end = glob.find(":]", i + 2);
            if (end != std::string_view::npos) {
                if (posix_class(glob.substr(i + 2, end - i - 2), c)) matched = true;
                i = end + 2;
                continue;
            }
        }
        if (lo == '\\' && i + 1 < glob.size()) lo = static_cast<unsigned char>(glob[++i]);
        ++i;
        if (i + 1 < glob.size() && glob[i] == '-' && glob[i + 1] != ']') {
            unsigned char hi = static_cast<unsigned char>(glob[i + 1]);
            i += 2;
            if (hi == '\\' && i < glob.size()) hi = static_cast<unsigned char>(glob[i++]);
            if (c >= lo && c <= hi) matched = true;
        } else if (c == lo) {
            matched = true;
        }
    }
    next = std::string_view::npos;
    return false;
}

/// Matches one non-'*' token of `glob` at `p` against `c`; sets `next` past the token.
bool match_one(std::string_view glob, size_t p, unsigned char c, size_t& next) {
    char g = glob[p];
    if (g == '?') {
        next = p + 1;
        return true;
    }
    if (g == '[') {
        size_t after = 0;
        bool ok = match_class(glob, p, c, after);
        if (after != std::string_view::npos) {
            next = after;
            return ok;
        }
        next = p + 1;
        return c == '[';
    }
    if (g == '\\' && p + 1 < glob.size()) {
        next = p + 2;
        return c == static_cast<unsigned char>(glob[p + 1]);
    }
    next = p + 1;
    return c == static_cast<unsigned char>(g);
}

/// Matches one path segment (no '/') with '*', '?', classes and escapes; iterative, with
/// the classic single backtracking point (enough because '*' never crosses a segment).
bool segment_match(std::string_view glob, std::string_view text) {
    size_t p = 0, t = 0;
    size_t star_p = std::string_view::npos, star_t = 0;
    while (t < text.size()) {
        if (p < glob.size() && glob[p] == '*') {
            while (p < glob.size() && glob[p] == '*') ++p;
            star_p = p;
            star_t = t;
            continue;
        }
        size_t next = 0;
        if (p < glob.size() && match_one(glob, p, static_cast<unsigned char>(text[t]), next)) {
            p = next;
            ++t;
            continue;
        }
        if (star_p == std::string_view::npos) return false;
        p = star_p;
        t = ++star_t;
    }
    while (p < glob.size() && glob[p] == '*') ++p;
    return p == glob.size();
}

std::vector<std::string_view> split(std::string_view s) {
    std::vector<std::string_view> out;
    size_t start = 0;
    for (;;) {
        size_t slash = s.find('/', start);
        if (slash == std::string_view::npos) {
            out.push_back(s.substr(start));
            return out;
        }
        out.push_back(s.substr(start, slash - start));
        start = slash + 1;
    }
}

/// Number of backslashes immediately before position `i`.
size_t backslashes_before(std::string_view s, size_t i) {
    size_t n = 0;
    while (i > n && s[i - n - 1] == '\\') ++n;
    return n;
}

}  // namespace

bool glob_match(std::string_view glob, std::string_view path) {
    auto g = split(glob);
    auto t = split(path);
    const size_t n = g.size(), m = t.size();
    bool globstar = false;
    for (auto seg : g) globstar = globstar || seg == "**";
    if (!globstar) {  // the common case: segment by segment
        if (n != m) return false;
        for (size_t i = 0; i < n; ++i) {
            if (!segment_match(g[i], t[i])) return false;
        }
        return true;
    }
    // ok[i][j]: glob segments i.. match path segments j..; filled bottom-up (no recursion).
    std::vector<std::vector<char>> ok(n + 1, std::vector<char>(m + 1, 0));
    ok[n][m] = 1;
    for (size_t i = n; i-- > 0;) {
        for (size_t j = m + 1; j-- > 0;) {
            if (g[i] == "**") {
                // A trailing "/**" matches everything inside (at least one segment), a
                // leading or inner "**/" zero or more folders.
                if (i + 1 == n && n > 1) ok[i][j] = j < m;
                else ok[i][j] = ok[i + 1][j] || (j < m && ok[i][j + 1]);
            } else {
                ok[i][j] = j < m && ok[i + 1][j + 1] && segment_match(g[i], t[j]);
            }
        }
    }
    return ok[0][0] != 0;
}

size_t GitIgnore::add(std::string_view dir, std::string_view content) {
    size_t before = patterns_.size();
    size_t pos = 0;
    while (pos <= content.size()) {
        size_t nl = content.find('\n', pos);
        if (nl == std::string_view::npos) nl = content.size();
        std::string_view line = content.substr(pos, nl - pos);
        pos = nl + 1;
        if (line.data() == content.data() && line.size() >= 3 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        // Trailing spaces are dropped unless escaped with a backslash.
        while (!line.empty() && line.back() == ' ' && backslashes_before(line, line.size() - 1) % 2 == 0) {
            line.remove_suffix(1);
        }
        if (line.empty() || line.front() == '#') continue;

        Pattern pat;
        pat.dir = std::string(dir);
        if (line.front() == '!') {
            pat.negated = true;
            line.remove_prefix(1);
        }
        if (!line.empty() && line.back() == '/' && backslashes_before(line, line.size() - 1) % 2 == 0) {
            pat.dir_only = true;
            line.remove_suffix(1);
        }
        if (line.find('/') != std::string_view::npos) pat.anchored = true;
        if (!line.empty() && line.front() == '/') line.remove_prefix(1);
        if (line.empty()) continue;
        pat.glob = std::string(line);
        patterns_.push_back(std::move(pat));
    }
    return patterns_.size() - before;
}

bool GitIgnore::ignored(std::string_view path, bool is_dir) const {
    int i = last_match(path, is_dir);
    return i >= 0 && !patterns_[i].negated;
}

bool GitIgnore::excludes(std::string_view path) const {
    int last = -1;
    for (size_t pos = 0;;) {  // each folder above the path, then the path itself
        size_t slash = path.find('/', pos);
        bool folder = slash != std::string_view::npos;
        size_t end = folder ? slash : path.size();
        if (end > pos) last = std::max(last, last_match(path.substr(0, end), folder));
        if (!folder) break;
        pos = slash + 1;
    }
    return last >= 0 && !patterns_[last].negated;
}

int GitIgnore::last_match(std::string_view path, bool is_dir) const {
    for (int i = static_cast<int>(patterns_.size()); i-- > 0;) {
        const Pattern& p = patterns_[i];
        if (p.dir_only && !is_dir) continue;
        std::string_view sub = path;
        if (!p.dir.empty()) {
            if (sub.size() <= p.dir.size() || sub.substr(0, p.dir.size()) != p.dir || sub[p.dir.size()] != '/') {
                continue;
            }
            sub.remove_prefix(p.dir.size() + 1);
        }
        if (!p.anchored) {
            size_t slash = sub.rfind('/');
            if (slash != std::string_view::npos) sub.remove_prefix(slash + 1);
        }
        if (glob_match(p.glob, sub)) return i;
    }
    return -1;
}

}  // namespace nextguard::project
