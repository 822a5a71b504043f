#include <algorithm>
#include <set>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "report/reporters.hpp"

namespace nextguard::report {

namespace {

constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kDim = "\x1b[2m";

std::string_view severity_color(Severity s) {
    switch (s) {
        case Severity::Error: return "\x1b[31m";
        case Severity::Warning: return "\x1b[33m";
        case Severity::Note: return "\x1b[36m";
    }
    return "";
}

/// Wraps `text` in an ANSI style when colours are on.
std::string paint(bool color, std::string_view style, std::string_view text) {
    if (!color) return std::string(text);
    return fmt::format("{}{}{}", style, text, kReset);
}

/// Decodes one UTF-8 code point at `i` (advancing `i`); invalid bytes count as one point.
char32_t next_code_point(std::string_view s, size_t& i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    if (i + len > s.size()) len = 1;
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; k < len; ++k) {
        unsigned char cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xC0) != 0x80) {
            len = 1;
            cp = c;
            break;
        }
        cp = (cp << 6) | (cc & 0x3F);
    }
    i += len;
    return cp;
}

/// Terminal cells a code point takes: 0 for combining marks, 2 for wide East Asian
/// characters and emoji, 1 otherwise. An approximation of wcwidth, enough for frames.
int cell_width(char32_t cp) {
    if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F) || cp == 0xFE0F) return 0;
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F) ||
        (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
        (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
        (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    return 1;
}

/// The padding (tabs kept, everything else as spaces) and caret count that put carets
/// under bytes [begin, end) of `line`.
std::pair<std::string, size_t> caret_span(std::string_view line, size_t begin, size_t end) {
    begin = std::min(begin, line.size());
    end = std::min(std::max(end, begin), line.size());
    std::string pad;
    size_t i = 0;
    while (i < begin) {
        if (line[i] == '\t') {
            pad += '\t';
            ++i;
            continue;
        }
        pad.append(static_cast<size_t>(cell_width(next_code_point(line, i))), ' ');
    }
    size_t carets = 0;
    while (i < end) {
        if (line[i] == '\t') {
            carets += 1;
            ++i;
            continue;
        }
        carets += static_cast<size_t>(cell_width(next_code_point(line, i)));
    }
    return {pad, std::max<size_t>(carets, 1)};
}

std::string plural(uint64_t n, std::string_view word) {
    return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

void write_frame(std::ostream& out, const Finding& f, const TextOptions& options) {
    std::string_view line = f.line_text;
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
    if (line.empty()) return;
    const Range& r = f.location.range;
    size_t begin = r.start.byte_column > 0 ? r.start.byte_column - 1 : 0;
    size_t end = r.end.line == r.start.line && r.end.byte_column > r.start.byte_column ? r.end.byte_column - 1
                                                                                         : line.size();
    auto [pad, carets] = caret_span(line, begin, end);
    std::string number = std::to_string(r.start.line);
    std::string gutter(number.size(), ' ');
    out << "  " << paint(options.color, kDim, number + " |") << ' ' << line << '\n';
    out << "  " << paint(options.color, kDim, gutter + " |") << ' ' << pad
        << paint(options.color, severity_color(f.severity), std::string(carets, '^')) << '\n';
}

}  // namespace

void write_text(std::ostream& out, const engine::RunResult& result, const TextOptions& options) {
    std::set<std::string_view> files;
    uint64_t shown = 0;
    uint64_t suppressed = 0;
    for (const Finding& f : result.findings) {
        if (f.suppressed) {  // inline suppressions hide a finding here (SARIF keeps it, marked)
            ++suppressed;
            continue;
        }
        if (options.quiet && f.severity != Severity::Error) continue;
        ++shown;
        files.insert(f.location.file);
        const Position& p = f.location.range.start;
        out << paint(options.color, kBold, fmt::format("{}:{}:{}", f.location.file, p.line, p.column)) << "  "
            << paint(options.color, severity_color(f.severity), severity_name(f.severity)) << "  "
            << paint(options.color, kDim, f.rule) << "  " << f.message << '\n';
        write_frame(out, f, options);
        if (f.entry)
            out << "  entry: " << f.entry->label() << " (" << f.entry->file << ':' << f.entry->line << ")\n";
        for (const Location& rel : f.related) {
            out << "  related: " << rel.file << ':' << rel.range.start.line << ':' << rel.range.start.column
                << (rel.message.empty() ? "" : " ") << rel.message << '\n';
        }
        out << '\n';
    }
    if (options.quiet) return;
    uint64_t unreached = result.stats.files_unreached;
    std::string analyzed = fmt::format(
        "{} analyzed{} in {:.2f} s", plural(result.stats.files_analyzed, "file"),
        unreached ? fmt::format(" ({} not reached)", plural(unreached, "file")) : std::string(),
        result.stats.seconds);
    std::string hidden = suppressed ? fmt::format(" ({} suppressed)", suppressed) : std::string();
    if (shown == 0)
        out << "no findings" << hidden << " \xC2\xB7 " << analyzed << '\n';
    else
        out << plural(shown, "finding") << " in " << plural(files.size(), "file") << hidden << " \xC2\xB7 " << analyzed
            << '\n';
}

}  // namespace nextguard::report

namespace nextguard::report {

void write_entry_points_text(std::ostream& out, const engine::RunResult& result) {
    size_t unauthenticated = 0, unvalidated = 0;
    for (const auto& inv : result.entry_points) {
        out << inv.entry.file << ':' << inv.entry.line << "  " << inv.entry.label() << "\n    auth: " << inv.auth_by;
        if (!inv.auth_detail.empty()) out << ' ' << inv.auth_detail;
        if (!inv.auth_at.file.empty()) out << " (" << inv.auth_at.file << ':' << inv.auth_at.range.start.line << ')';
        if (!inv.public_by_design.empty()) out << " (public by purpose: " << inv.public_by_design << ')';
        if (!inv.dispatches.empty()) out << " (dispatches with " << inv.dispatches << " to entry points of their own)";
        out << "  ·  input: " << (inv.unvalidated.empty() ? "validated" : "unvalidated");
        out << "  ·  writes: " << inv.writes.size() << '\n';
        unauthenticated += inv.auth_by == "none" && inv.public_by_design.empty() && inv.dispatches.empty();
        unvalidated += !inv.unvalidated.empty();
    }
    out << result.entry_points.size() << " entry points · " << unauthenticated << " without authentication · "
        << unvalidated << " with unvalidated input\n";
}

}  // namespace nextguard::report
