#include "engine/config.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "project/jsonc.hpp"

namespace nextguard::engine {

Config load_config(const std::filesystem::path& root, const std::string& explicit_path) {
    Config c;
    c.knowledge = analysis::Knowledge::builtin();
    std::filesystem::path file = explicit_path.empty() ? root / "nextguard.json" : std::filesystem::path(explicit_path);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        if (!explicit_path.empty()) throw std::runtime_error("cannot read config " + explicit_path);
        return c;
    }
    std::ifstream in(file, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    if (!in && !in.eof()) throw std::runtime_error("cannot read " + file.string());
    std::string name = file.filename().string();
    auto parsed = project::parse_jsonc(ss.str());
    if (!parsed.ok) throw std::runtime_error(name + ": " + parsed.error);
    if (!parsed.value.is_object()) throw std::runtime_error(name + ": $: must be an object");
    c.file = file;
    if (parsed.value.contains("knowledge")) {
        const auto& list = parsed.value["knowledge"];
        if (!list.is_array()) throw std::runtime_error(name + ": $.knowledge: must be an array of library objects");
        for (size_t i = 0; i < list.size(); ++i) {
            try {
                c.knowledge.add(name + "#knowledge[" + std::to_string(i) + "]", list[i].dump());
            } catch (const std::runtime_error& e) {
                std::string msg = e.what();
                const std::string prefix = "rules/knowledge/";
                if (msg.rfind(prefix, 0) == 0) msg = msg.substr(prefix.size());
                throw std::runtime_error(msg);
            }
        }
    }
    return c;
}

}  // namespace nextguard::engine
