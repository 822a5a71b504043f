// Text helpers of the language server: LSP positions (UTF-16 code units) over UTF-8
// text, incremental edits, and file URIs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace nextguard::lsp {

/// An LSP position: 0-based line and character, the character counted in UTF-16 code units.
struct TextPosition {
    uint32_t line = 0;
    uint32_t character = 0;
};

/// The byte offset of `pos` in `text`. Lines end at '\n'; a character past the end of its
/// line (or inside a line's "\r\n") clamps to the line's end, a line past the end of the
/// text to the end of the text, and a character inside a surrogate pair to after the pair.
size_t byte_offset(std::string_view text, TextPosition pos);

/// Line `line` (0-based) of `text` without its terminator; empty past the end.
std::string_view line_at(std::string_view text, uint32_t line);

/// Replaces the text between `start` and `end` with `replacement` (an LSP content change).
void apply_edit(std::string& text, TextPosition start, TextPosition end, std::string_view replacement);

/// The path a `file:` URI names (percent-decoded); empty for other schemes.
std::filesystem::path uri_to_path(std::string_view uri);

/// The `file://` URI of an absolute path, percent-encoding all but unreserved characters and '/'.
std::string path_to_uri(const std::filesystem::path& path);

}  // namespace nextguard::lsp
