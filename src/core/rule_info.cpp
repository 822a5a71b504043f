#include "core/rule_info.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>

#include "core/embedded.hpp"

namespace nextguard::rules {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

/// Removes one pair of matching surrounding quotes.
std::string_view unquote(std::string_view s) {
    if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front())
        return s.substr(1, s.size() - 2);
    return s;
}

/// Splits text into lines, dropping a trailing '\r' from each.
std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        size_t end = nl == std::string_view::npos ? text.size() : nl;
        std::string_view line = text.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(line);
        if (nl == std::string_view::npos) break;
        pos = nl + 1;
    }
    return lines;
}

bool is_kebab_id(std::string_view id) {
    if (id.empty() || id.front() == '-' || id.back() == '-') return false;
    for (size_t i = 0; i < id.size(); ++i) {
        char c = id[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        if (!ok || (c == '-' && i > 0 && id[i - 1] == '-')) return false;
    }
    return true;
}

std::string pascal_case(std::string_view id) {
    std::string out;
    bool upper = true;
    for (char c : id) {
        if (c == '-') {
            upper = true;
            continue;
        }
        out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        upper = false;
    }
    return out;
}

bool is_security_severity(std::string_view s) {
    // One or two digits, optionally a dot and one digit, within 0.0..10.0.
    if (s.empty() || s.size() > 4) return false;
    size_t dot = s.find('.');
    std::string_view whole = s.substr(0, dot);
    std::string_view frac = dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
    if (whole.empty() || whole.size() > 2) return false;
    if (dot != std::string_view::npos && frac.size() != 1) return false;
    for (char c : whole) if (c < '0' || c > '9') return false;
    for (char c : frac) if (c < '0' || c > '9') return false;
    int w = std::stoi(std::string(whole));
    return w < 10 || (w == 10 && (frac.empty() || frac == "0"));
}

bool is_cwe(std::string_view s) {
    if (s.size() < 5 || s.substr(0, 4) != "CWE-") return false;
    return std::all_of(s.begin() + 4, s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// Inline markdown to plain text: backticks dropped (code spans kept verbatim), `**`
/// dropped outside code, links reduced to their text.
std::string inline_plain(std::string_view line) {
    std::string out;
    bool in_code = false;
    for (size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (c == '`') {
            in_code = !in_code;
            continue;
        }
        if (in_code) {
            out += c;
            continue;
        }
        if (c == '*' && i + 1 < line.size() && line[i + 1] == '*') {
            ++i;
            continue;
        }
        if (c == '[') {
            size_t mid = line.find("](", i + 1);
            size_t close = mid == std::string_view::npos ? mid : line.find(')', mid + 2);
            if (close != std::string_view::npos) {
                out += inline_plain(line.substr(i + 1, mid - i - 1));
                i = close;
                continue;
            }
        }
        out += c;
    }
    return out;
}

bool is_list_item(std::string_view line) {
    if (line.size() >= 2 && (line[0] == '-' || line[0] == '*' || line[0] == '+') && line[1] == ' ') return true;
    size_t digits = 0;
    while (digits < line.size() && line[digits] >= '0' && line[digits] <= '9') ++digits;
    return digits > 0 && digits + 1 < line.size() && line[digits] == '.' && line[digits + 1] == ' ';
}

/// Turns a markdown section into plain text: paragraphs separated by blank lines, the
/// lines of a paragraph joined by spaces, list items and code blocks kept on their lines.
std::string plain_text(const std::vector<std::string_view>& lines) {
    std::string out;
    std::string para;
    bool in_fence = false;
    auto flush = [&] {
        if (para.empty()) return;
        if (!out.empty()) out += "\n\n";
        out += para;
        para.clear();
    };
    for (std::string_view raw : lines) {
        std::string_view line = trim(raw);
        if (line.substr(0, 3) == "```") {
            in_fence = !in_fence;
            flush();
            continue;
        }
        if (in_fence) {
            if (!para.empty()) para += '\n';
            para += raw;
            continue;
        }
        if (line.empty()) {
            flush();
            continue;
        }
        if (!para.empty()) para += is_list_item(line) ? '\n' : ' ';
        para += inline_plain(line);
    }
    flush();
    return out;
}

/// The lines of the "## <title>" section of a markdown body (outside code fences).
std::optional<std::vector<std::string_view>> section(const std::vector<std::string_view>& lines,
                                                     std::string_view title) {
    bool in_fence = false;
    std::optional<std::vector<std::string_view>> body;
    for (std::string_view line : lines) {
        if (trim(line).substr(0, 3) == "```") in_fence = !in_fence;
        bool heading = !in_fence && line.substr(0, 3) == "## ";
        if (heading) {
            if (body) return body;
            if (trim(line.substr(3)) == title) body.emplace();
            continue;
        }
        if (body) body->push_back(line);
    }
    return body;
}

std::vector<std::string> parse_list(std::string_view file, std::string_view key, std::string_view value) {
    if (value.size() < 2 || value.front() != '[' || value.back() != ']')
        throw std::runtime_error(fmt::format("{}: `{}` must be a list like [a, b]", file, key));
    std::vector<std::string> items;
    std::string_view inner = trim(value.substr(1, value.size() - 2));
    if (inner.empty()) return items;
    size_t pos = 0;
    for (;;) {
        size_t comma = inner.find(',', pos);
        std::string_view item = unquote(trim(inner.substr(pos, comma == std::string_view::npos ? inner.npos : comma - pos)));
        if (item.empty()) throw std::runtime_error(fmt::format("{}: `{}` has an empty list item", file, key));
        items.emplace_back(item);
        if (comma == std::string_view::npos) break;
        pos = comma + 1;
    }
    return items;
}

}  // namespace

RuleInfo parse_rule_doc(std::string_view file_name, std::string_view text) {
    const std::string_view file = file_name.empty() ? std::string_view("rule doc") : file_name;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::vector<std::string_view> lines = split_lines(text);
    if (lines.empty() || trim(lines[0]) != "---")
        throw std::runtime_error(fmt::format("{}: must start with a front matter block ('---' line)", file));

    std::map<std::string, std::string, std::less<>> fields;
    size_t i = 1;
    bool closed = false;
    for (; i < lines.size(); ++i) {
        std::string_view line = trim(lines[i]);
        if (line == "---") {
            closed = true;
            ++i;
            break;
        }
        if (line.empty() || line.front() == '#') continue;
        size_t colon = line.find(':');
        if (colon == std::string_view::npos)
            throw std::runtime_error(fmt::format("{}:{}: expected `key: value` in front matter", file, i + 1));
        std::string key(trim(line.substr(0, colon)));
        std::string value(trim(line.substr(colon + 1)));
        static const char* known[] = {"id",  "summary", "category",  "severity", "security-severity",
                                      "cwe", "tags",    "precision", "measured"};
        if (std::none_of(std::begin(known), std::end(known), [&](const char* k) { return key == k; }))
            throw std::runtime_error(fmt::format("{}:{}: unknown front matter key `{}`", file, i + 1, key));
        if (!fields.emplace(key, value).second)
            throw std::runtime_error(fmt::format("{}:{}: duplicate front matter key `{}`", file, i + 1, key));
    }
    if (!closed) throw std::runtime_error(fmt::format("{}: front matter is not closed by a '---' line", file));

    auto required = [&](std::string_view key) -> std::string {
        auto it = fields.find(key);
        if (it == fields.end() || unquote(it->second).empty())
            throw std::runtime_error(fmt::format("{}: missing front matter key `{}`", file, key));
        return std::string(unquote(it->second));
    };

    RuleInfo info;
    info.id = required("id");
    if (!is_kebab_id(info.id))
        throw std::runtime_error(fmt::format("{}: `id` must be kebab-case, got `{}`", file, info.id));
    if (!file_name.empty() && file_name != info.id + ".md")
        throw std::runtime_error(fmt::format("{}: file name must be `{}.md`", file, info.id));
    info.name = pascal_case(info.id);
    info.summary = required("summary");
    info.category = required("category");

    std::string severity = required("severity");
    if (severity == "error") info.severity = Severity::Error;
    else if (severity == "warning") info.severity = Severity::Warning;
    else if (severity == "note") info.severity = Severity::Note;
    else throw std::runtime_error(fmt::format("{}: `severity` must be error, warning or note, got `{}`", file, severity));

    info.precision = required("precision");
    if (info.precision != "very-high" && info.precision != "high" && info.precision != "medium" &&
        info.precision != "low")
        throw std::runtime_error(
            fmt::format("{}: `precision` must be very-high, high, medium or low, got `{}`", file, info.precision));

    if (auto it = fields.find("security-severity"); it != fields.end()) {
        info.security_severity = std::string(unquote(it->second));
        if (!is_security_severity(info.security_severity))
            throw std::runtime_error(fmt::format("{}: `security-severity` must be a number from 0.0 to 10.0, got `{}`",
                                                 file, info.security_severity));
    }
    if (auto it = fields.find("cwe"); it != fields.end()) {
        info.cwe = parse_list(file, "cwe", it->second);
        for (const auto& c : info.cwe)
            if (!is_cwe(c)) throw std::runtime_error(fmt::format("{}: `cwe` entries look like CWE-770, got `{}`", file, c));
    }
    if (auto it = fields.find("tags"); it != fields.end()) info.tags = parse_list(file, "tags", it->second);
    if (auto it = fields.find("measured"); it != fields.end()) info.measured = std::string(unquote(it->second));

    // The markdown body: everything after the front matter, without leading blank lines.
    size_t offset = 0;
    for (size_t l = 0; l < i && offset < text.size(); ++l) {
        size_t nl = text.find('\n', offset);
        offset = nl == std::string_view::npos ? text.size() : nl + 1;
    }
    std::string_view body = text.substr(offset);
    while (!body.empty() && (body.front() == '\n' || body.front() == '\r')) body.remove_prefix(1);
    info.markdown = std::string(body);

    std::vector<std::string_view> body_lines(lines.begin() + static_cast<std::ptrdiff_t>(i), lines.end());
    auto what = section(body_lines, "What it does");
    if (!what) throw std::runtime_error(fmt::format("{}: missing section `## What it does`", file));
    info.description = plain_text(*what);
    if (info.description.empty())
        throw std::runtime_error(fmt::format("{}: section `## What it does` is empty", file));
    return info;
}

const std::vector<RuleInfo>& all_rule_infos() {
    static const std::vector<RuleInfo> infos = [] {
        std::vector<RuleInfo> out;
        for (const auto& doc : embedded_rule_docs()) out.push_back(parse_rule_doc(doc.name, doc.content));
        std::sort(out.begin(), out.end(), [](const RuleInfo& a, const RuleInfo& b) { return a.id < b.id; });
        for (size_t k = 1; k < out.size(); ++k)
            if (out[k].id == out[k - 1].id) throw std::runtime_error("duplicate rule id " + out[k].id);
        return out;
    }();
    return infos;
}

const RuleInfo* find_rule_info(std::string_view id) {
    const auto& infos = all_rule_infos();
    auto it = std::lower_bound(infos.begin(), infos.end(), id,
                               [](const RuleInfo& r, std::string_view v) { return r.id < v; });
    return it != infos.end() && it->id == id ? &*it : nullptr;
}

std::string rule_help_uri(std::string_view id) {
    return fmt::format("https://github.com/nextguard/nextguard/blob/main/rules/{}.md", id);
}

}  // namespace nextguard::rules
