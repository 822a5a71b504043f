#include "lsp/text.hpp"

#include <algorithm>
#include <cctype>

namespace nextguard::lsp {

namespace {

/// Bytes of the UTF-8 sequence a lead byte starts (1 for invalid bytes).
size_t sequence_length(unsigned char c) {
    if (c >= 0xF0 && c <= 0xF7) return 4;
    if (c >= 0xE0) return c <= 0xEF ? 3 : 1;
    if (c >= 0xC0) return 2;
    return 1;
}

/// The byte range [begin, end) of line `line`, without its terminator; begin == end ==
/// text.size() past the end.
std::pair<size_t, size_t> line_span(std::string_view text, uint32_t line) {
    size_t begin = 0;
    for (uint32_t l = 0; l < line; ++l) {
        size_t nl = text.find('\n', begin);
        if (nl == std::string_view::npos) return {text.size(), text.size()};
        begin = nl + 1;
    }
    size_t end = std::min(text.find('\n', begin), text.size());
    if (end > begin && text[end - 1] == '\r') --end;
    return {begin, end};
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

size_t byte_offset(std::string_view text, TextPosition pos) {
    auto [begin, end] = line_span(text, pos.line);
    size_t i = begin;
    uint32_t units = 0;
    while (i < end && units < pos.character) {
        size_t n = std::min(sequence_length(static_cast<unsigned char>(text[i])), end - i);
        units += n == 4 ? 2 : 1;
        i += n;
    }
    return i;
}

std::string_view line_at(std::string_view text, uint32_t line) {
    auto [begin, end] = line_span(text, line);
    return text.substr(begin, end - begin);
}

void apply_edit(std::string& text, TextPosition start, TextPosition end, std::string_view replacement) {
    size_t a = byte_offset(text, start);
    size_t b = std::max(a, byte_offset(text, end));
    text.replace(a, b - a, replacement);
}

std::filesystem::path uri_to_path(std::string_view uri) {
    constexpr std::string_view scheme = "file://";
    if (uri.size() < scheme.size()) return {};
    for (size_t i = 0; i < scheme.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(uri[i])) != scheme[i]) return {};
    uri.remove_prefix(scheme.size());
    uri = uri.substr(0, uri.find_first_of("?#"));
    if (uri.substr(0, 9) == "localhost") uri.remove_prefix(9);  // file://localhost/path
    if (uri.empty() || uri.front() != '/') return {};           // a remote host
    std::string path;
    for (size_t i = 0; i < uri.size(); ++i) {
        int hi, lo;
        if (uri[i] == '%' && i + 2 < uri.size() && (hi = hex_value(uri[i + 1])) >= 0 &&
            (lo = hex_value(uri[i + 2])) >= 0) {
            path += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else {
            path += uri[i];
        }
    }
    return std::filesystem::path(path);
}

std::string path_to_uri(const std::filesystem::path& path) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out = "file://";
    for (unsigned char c : path.generic_string()) {
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '.' || c == '_' || c == '~' || c == '/';
        if (keep) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

}  // namespace nextguard::lsp
