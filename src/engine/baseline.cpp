#include "engine/baseline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <tuple>

#include "core/files.hpp"

namespace nextguard::engine {

namespace fs = std::filesystem;

bool Baseline::contains(const std::string& rule, const std::string& fingerprint) const {
    return keys_.count({rule, fingerprint}) != 0;
}

Baseline parse_baseline(std::string_view text, const std::string& name) {
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::parse_error& e) {
        throw std::runtime_error(
            fmt::format("baseline {} is not valid JSON (byte {}); rewrite it with --write-baseline", name, e.byte));
    }
    auto bad = [&](const std::string& what) {
        return std::runtime_error(fmt::format("baseline {}: {}; rewrite it with --write-baseline", name, what));
    };
    if (!doc.is_object()) throw bad("expected an object with \"version\" and \"findings\"");
    auto version = doc.find("version");
    if (version == doc.end() || !version->is_number_integer() || version->get<int64_t>() != 1)
        throw bad("unsupported version (this nextguard reads version 1)");
    auto findings = doc.find("findings");
    if (findings == doc.end() || !findings->is_array()) throw bad("\"findings\" must be an array");
    Baseline b;
    size_t i = 0;
    for (const auto& e : *findings) {
        auto str = [&](const char* key, bool required) -> std::string {
            auto it = e.is_object() ? e.find(key) : e.end();
            if (e.is_object() && it != e.end() && it->is_string()) return it->get<std::string>();
            if (required) throw bad(fmt::format("findings[{}].{} must be a string", i, key));
            return {};
        };
        BaselineEntry entry{str("rule", true), str("file", false), str("fingerprint", true), str("message", false)};
        b.keys_.emplace(entry.rule, entry.fingerprint);
        b.entries.push_back(std::move(entry));
        ++i;
    }
    return b;
}

Baseline load_baseline(const fs::path& path) {
    std::string text;
    if (!read_file(path, text))
        throw std::runtime_error(fmt::format("cannot read baseline {}: {}", path.string(), std::strerror(errno)));
    return parse_baseline(text, path.string());
}

std::string baseline_json(const std::vector<const Finding*>& findings) {
    std::vector<const Finding*> sorted = findings;
    std::sort(sorted.begin(), sorted.end(), [](const Finding* a, const Finding* b) {
        return std::tie(a->location.file, a->rule, a->fingerprint) <
               std::tie(b->location.file, b->rule, b->fingerprint);
    });
    using ojson = nlohmann::ordered_json;
    ojson list = ojson::array();
    for (const Finding* f : sorted)
        list.push_back(ojson{
            {"rule", f->rule}, {"file", f->location.file}, {"fingerprint", f->fingerprint}, {"message", f->message}});
    ojson doc{{"version", 1}, {"findings", std::move(list)}};
    return doc.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";
}

void write_baseline(const fs::path& path, const std::vector<const Finding*>& findings) {
    try {
        write_file_atomically(path, baseline_json(findings));
    } catch (const std::exception& e) {
        throw std::runtime_error(fmt::format("cannot write baseline {}: {}", path.string(), e.what()));
    }
}

}  // namespace nextguard::engine
