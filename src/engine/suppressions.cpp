#include "engine/suppressions.hpp"

#include <algorithm>

namespace nextguard::engine {

namespace {

constexpr std::string_view kPrefix = "nextguard-ignore";

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

bool is_kebab(std::string_view id) {
    if (id.empty() || id.front() == '-' || id.back() == '-') return false;
    char prev = 0;
    for (char c : id) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        if (!ok || (c == '-' && prev == '-')) return false;
        prev = c;
    }
    return true;
}

/// The lines of `text` without their terminators.
std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    size_t start = 0;
    for (;;) {
        size_t nl = text.find('\n', start);
        std::string_view line = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(line);
        if (nl == std::string_view::npos) break;
        start = nl + 1;
    }
    return lines;
}

/// True for lines that hold code: not blank, not only a comment. `in_block` carries an
/// open `/* ... */` comment from one line to the next.
bool holds_code(std::string_view line, bool& in_block) {
    size_t i = 0;
    while (i < line.size()) {
        if (in_block) {
            size_t end = line.find("*/", i);
            if (end == std::string_view::npos) return false;
            in_block = false;
            i = end + 2;
            continue;
        }
        if (is_space(line[i])) {
            ++i;
            continue;
        }
        if (line.compare(i, 2, "//") == 0) return false;
        if (line.compare(i, 2, "/*") == 0) {
            in_block = true;
            i += 2;
            continue;
        }
        // JSX comment `{/* ... */}`: a line holding only that is a comment too.
        if (line[i] == '{') {
            size_t j = i + 1;
            while (j < line.size() && is_space(line[j])) ++j;
            if (line.compare(j, 2, "/*") == 0) {
                size_t end = line.find("*/", j + 2);
                if (end != std::string_view::npos) {
                    size_t k = end + 2;
                    while (k < line.size() && is_space(line[k])) ++k;
                    if (k < line.size() && line[k] == '}') {
                        i = k + 1;
                        continue;
                    }
                }
            }
        }
        return true;
    }
    return false;
}

/// Parses the directive that starts at `body` (just after `//` or `/*`, spaces skipped).
/// Returns false when it is not a nextguard directive at all.
bool parse_directive(std::string_view body, bool block, Suppression& s) {
    if (body.substr(0, kPrefix.size()) != kPrefix) return false;
    if (block) {
        size_t end = body.find("*/");
        if (end != std::string_view::npos) body = body.substr(0, end);
    }
    size_t name_end = 0;
    while (name_end < body.size() && !is_space(body[name_end]) && body[name_end] != ',') ++name_end;
    std::string_view name = body.substr(0, name_end);
    std::string_view rest = body.substr(name_end);
    if (name == "nextguard-ignore-next-line") {
        s.scope = Suppression::Scope::NextLine;
    } else if (name == "nextguard-ignore-file") {
        s.scope = Suppression::Scope::File;
    } else {
        s.error =
            "unknown directive '" + std::string(name) + "' (use nextguard-ignore-next-line or nextguard-ignore-file)";
        return true;
    }
    // `ids -- reason`: the reason starts at the first `--` that is a word of its own.
    std::string_view ids = rest;
    size_t pos = 0;
    while ((pos = rest.find("--", pos)) != std::string_view::npos) {
        bool before = pos == 0 || is_space(rest[pos - 1]) || rest[pos - 1] == ',';
        bool after = pos + 2 == rest.size() || is_space(rest[pos + 2]);
        if (before && after) {
            ids = rest.substr(0, pos);
            s.reason = std::string(trim(rest.substr(pos + 2)));
            break;
        }
        pos += 2;
    }
    std::string bad;
    size_t i = 0;
    while (i < ids.size()) {
        if (is_space(ids[i]) || ids[i] == ',') {
            ++i;
            continue;
        }
        size_t j = i;
        while (j < ids.size() && !is_space(ids[j]) && ids[j] != ',') ++j;
        std::string_view id = ids.substr(i, j - i);
        if (is_kebab(id)) {
            if (std::find(s.rules.begin(), s.rules.end(), id) == s.rules.end()) s.rules.emplace_back(id);
        } else if (bad.empty()) {
            bad = std::string(id);
        }
        i = j;
    }
    if (!bad.empty())
        s.error = "'" + bad + "' is not a rule id (rule ids are kebab-case; put the reason after ` -- `)";
    else if (s.rules.empty())
        s.error = std::string(name) + " names no rule; write `" + std::string(name) + " <rule-id> -- <reason>`";
    return true;
}

}  // namespace

std::vector<Suppression> scan_suppressions(std::string_view text) {
    std::vector<Suppression> out;
    if (text.find(kPrefix) == std::string_view::npos) return out;  // the common case
    std::vector<std::string_view> lines = split_lines(text);
    std::vector<size_t> pending;  // next-line suppressions waiting for a line of code
    bool in_block = false;
    for (size_t n = 0; n < lines.size(); ++n) {
        std::string_view line = lines[n];
        bool was_in_block = in_block;
        bool code = holds_code(line, in_block);
        if (code && !pending.empty()) {
            for (size_t k : pending) out[k].target = static_cast<uint32_t>(n + 1);
            pending.clear();
        }
        if (line.find(kPrefix) == std::string_view::npos) continue;
        // Directives inside a comment that started on an earlier line (a JSDoc block) are
        // not recognized: only `//` and one-line `/* */` comments count.
        size_t from = 0;
        if (was_in_block) {
            size_t end = line.find("*/");
            if (end == std::string_view::npos) continue;
            from = end + 2;
        }
        for (size_t pos = line.find('/', from); pos != std::string_view::npos; pos = line.find('/', pos + 1)) {
            if (pos + 1 >= line.size() || (line[pos + 1] != '/' && line[pos + 1] != '*')) continue;
            bool block = line[pos + 1] == '*';
            size_t b = pos + 2;
            while (b < line.size() && (is_space(line[b]) || (!block && line[b] == '/'))) ++b;
            if (block && b < line.size() && line[b] == '*') {  // `/** nextguard-ignore... */`
                ++b;
                while (b < line.size() && is_space(line[b])) ++b;
            }
            Suppression s;
            s.line = static_cast<uint32_t>(n + 1);
            if (!parse_directive(line.substr(b), block, s)) continue;
            if (block && line.find("*/", b) == std::string_view::npos && s.error.empty())
                s.error = "a suppression in a /* */ comment must close it on the same line";
            if (s.scope == Suppression::Scope::NextLine && s.error.empty()) pending.push_back(out.size());
            out.push_back(std::move(s));
            break;  // one directive per line
        }
    }
    return out;
}

}  // namespace nextguard::engine
