// Reading whole files, shared by every stage that reads one.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace nextguard {

/// Reads `p` in binary mode into `out`: the whole file, or at most `limit` bytes. False
/// when it cannot be opened or read (errno tells why).
bool read_file(const std::filesystem::path& p, std::string& out, size_t limit = std::string::npos);

}  // namespace nextguard
