#include "project/jsonc.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>

namespace nextguard::project {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

/// "line L, column C" of byte `offset` in `text`: 1-based, columns count code points and
/// a leading BOM is not counted.
std::string where(std::string_view text, size_t offset) {
    offset = std::min(offset, text.size());
    size_t line = 1, line_start = 0;
    for (size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
    }
    if (line_start == 0 && text.substr(0, kBom.size()) == kBom) line_start = std::min(kBom.size(), offset);
    size_t column = 1;
    for (size_t i = line_start; i < offset; ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
    }
    return fmt::format("line {}, column {}", line, column);
}

/// Index just past the string literal that starts with the quote at `i`; stops before a
/// raw newline so an unterminated string cannot swallow the rest of the file.
size_t skip_string(std::string_view s, size_t i) {
    for (size_t j = i + 1; j < s.size(); ++j) {
        if (s[j] == '\\') ++j;
        else if (s[j] == '"') return j + 1;
        else if (s[j] == '\n') return j;
    }
    return s.size();
}

void blank(std::string& s, size_t from, size_t to) {
    for (size_t k = from; k < to; ++k) {
        if (s[k] != '\n' && s[k] != '\r') s[k] = ' ';
    }
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/// Drops nlohmann's "[json.exception...] parse error at line L, column C: " prefix.
std::string reason(const std::string& what) {
    size_t col = what.find("column ");
    if (col != std::string::npos) {
        size_t colon = what.find(": ", col);
        if (colon != std::string::npos) return what.substr(colon + 2);
    }
    size_t bracket = what.find("] ");
    return bracket == std::string::npos ? what : what.substr(bracket + 2);
}

}  // namespace

JsoncResult parse_jsonc(std::string_view text) {
    JsoncResult result;
    // Comments, trailing commas and the BOM are replaced by spaces of the same byte length
    // (newlines kept), so every offset in `plain` is the same offset in `text`.
    std::string plain(text);
    if (plain.compare(0, kBom.size(), kBom) == 0) blank(plain, 0, kBom.size());

    for (size_t i = 0; i < plain.size();) {
        char c = plain[i];
        if (c == '"') {
            i = skip_string(plain, i);
        } else if (c == '/' && i + 1 < plain.size() && plain[i + 1] == '/') {
            size_t end = plain.find_first_of("\r\n", i);
            if (end == std::string::npos) end = plain.size();
            blank(plain, i, end);
            i = end;
        } else if (c == '/' && i + 1 < plain.size() && plain[i + 1] == '*') {
            size_t end = plain.find("*/", i + 2);
            if (end == std::string::npos) {
                result.error = where(text, i) + ": unterminated /* comment";
                return result;
            }
            blank(plain, i, end + 2);
            i = end + 2;
        } else {
            ++i;
        }
    }

    // A ',' whose next significant character closes the array or object is dropped when it
    // follows a value ("[,]" and "{\"a\": ,}" stay errors).
    char previous = 0;
    for (size_t i = 0; i < plain.size();) {
        char c = plain[i];
        if (c == '"') {
            i = skip_string(plain, i);
            previous = '"';
            continue;
        }
        if (c == ',' && previous != 0 && previous != '[' && previous != '{' && previous != ',' && previous != ':') {
            size_t j = i + 1;
            while (j < plain.size() && is_space(plain[j])) ++j;
            if (j < plain.size() && (plain[j] == ']' || plain[j] == '}')) {
                plain[i] = ' ';
                i = j;
                continue;
            }
        }
        if (!is_space(c)) previous = c;
        ++i;
    }

    try {
        result.value = nlohmann::json::parse(plain);
        result.ok = true;
    } catch (const nlohmann::json::parse_error& e) {
        size_t offset = e.byte > 0 ? e.byte - 1 : 0;
        result.value = nullptr;
        result.error = where(text, offset) + ": " + reason(e.what());
    } catch (const nlohmann::json::exception& e) {
        result.value = nullptr;
        result.error = reason(e.what());
    }
    return result;
}

}  // namespace nextguard::project
