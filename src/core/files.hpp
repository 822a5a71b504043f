// Reading and writing whole files, shared by every stage that does.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace nextguard {

/// Reads `p` in binary mode into `out`: the whole file, or at most `limit` bytes. False
/// when it cannot be opened or read (errno tells why).
bool read_file(const std::filesystem::path& p, std::string& out, size_t limit = std::string::npos);

/// Writes `content` to `p` atomically: a temp file in the same folder, then a rename, so
/// readers see the old file or the new one, never half of it. Throws std::runtime_error
/// with the reason (the temp file is removed) when it cannot.
void write_file_atomically(const std::filesystem::path& p, const std::string& content);

}  // namespace nextguard
