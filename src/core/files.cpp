#include "core/files.hpp"

#include <fstream>
#include <sstream>

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

}  // namespace nextguard
