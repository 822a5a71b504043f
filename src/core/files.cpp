#include "core/files.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace nextguard {

bool read_file(const std::filesystem::path& p, std::string& out, size_t limit) {
    std::ifstream f(p, std::ios::binary);
    if (!f) return false;
    if (limit == std::string::npos) {
        std::ostringstream ss;
        ss << f.rdbuf();
        if (f.bad()) return false;
        out = std::move(ss).str();
        return true;
    }
    out.assign(limit, '\0');
    f.read(out.data(), static_cast<std::streamsize>(limit));
    if (f.bad()) return false;
    out.resize(static_cast<size_t>(f.gcount()));
    return true;
}

void write_file_atomically(const std::filesystem::path& p, const std::string& content) {
    std::filesystem::path tmp = p;
    tmp += ".tmp-" + std::to_string(::getpid());
    auto fail = [&](const std::string& why) {
        std::error_code ec;
        std::filesystem::remove(tmp, ec);
        return std::runtime_error(why);
    };
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        if (!f) throw fail(std::strerror(errno));
        f << content;
        f.flush();
        if (!f) throw fail(std::strerror(errno));
    }
    std::error_code ec;
    std::filesystem::rename(tmp, p, ec);
    if (ec) throw fail(ec.message());
}

}  // namespace nextguard
