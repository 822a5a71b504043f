#include "engine/config.hpp"

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "analysis/matcher.hpp"
#include "core/files.hpp"
#include "project/gitignore.hpp"
#include "project/jsonc.hpp"
#include "rules/rule.hpp"

namespace nextguard::engine {

namespace {

using nlohmann::json;

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
    return out;
}

/// Reads the whole file; throws naming it when it cannot.
std::string read_config_file(const std::filesystem::path& file, const std::string& shown) {
    std::string text;
    if (!read_file(file, text)) throw std::runtime_error("cannot read config file " + shown);
    return text;
}

}  // namespace

const std::vector<std::string>& config_keys() {
    static const std::vector<std::string> keys = {"$schema", "rules", "ignore", "publicRoutes", "knowledge"};
    return keys;
}

Config parse_config(std::string_view name_view, std::string_view text) {
    const std::string name(name_view);
    auto fail = [&](const std::string& path, const std::string& what) -> void {
        throw std::runtime_error(name + ": " + path + ": " + what);
    };
    auto quoted = [](const json& v) { return v.dump(); };

    Config c;
    c.knowledge = analysis::Knowledge::builtin();
    auto parsed = project::parse_jsonc(text);
    if (!parsed.ok) throw std::runtime_error(name + ": " + parsed.error);
    const json& root = parsed.value;
    if (!root.is_object()) fail("$", "must be an object with the keys " + join(config_keys()));
    for (const auto& [key, _] : root.items()) {
        bool known = false;
        for (const auto& k : config_keys()) known = known || k == key;
        if (!known) fail("$." + key, "unknown key (allowed: " + join(config_keys()) + ")");
    }

    if (root.contains("$schema") && !root["$schema"].is_string()) fail("$.$schema", "must be a string");

    if (root.contains("rules")) {
        const json& rules = root["rules"];
        if (!rules.is_object()) fail("$.rules", "must be an object mapping rule ids to \"error\", \"warn\" or \"off\"");
        std::vector<std::string> ids;
        for (const rules::Rule* r : rules::all_rules()) ids.emplace_back(r->id());
        for (const auto& [id, level] : rules.items()) {
            const std::string path = "$.rules." + id;
            if (std::find(ids.begin(), ids.end(), id) == ids.end())
                fail(path, "unknown rule (known: " + join(ids) + ")");
            std::string s = level.is_string() ? level.get<std::string>() : std::string();
            if (s == "error")
                c.rules[id] = Severity::Error;
            else if (s == "warn")
                c.rules[id] = Severity::Warning;
            else if (s == "off")
                c.rules[id] = std::nullopt;
            else
                fail(path, "must be \"error\", \"warn\" or \"off\", not " + quoted(level));
        }
    }

    auto string_list = [&](const char* key, const std::string& what) {
        std::vector<std::string> out;
        if (!root.contains(key)) return out;
        const json& list = root[key];
        const std::string path = std::string("$.") + key;
        if (!list.is_array()) fail(path, "must be an array of strings (" + what + ")");
        for (size_t i = 0; i < list.size(); ++i) {
            if (!list[i].is_string()) fail(path + "[" + std::to_string(i) + "]", "must be a string (" + what + ")");
            out.push_back(list[i].get<std::string>());
        }
        return out;
    };

    c.ignore = string_list("ignore", "gitignore-style globs relative to the analyzed root");
    for (size_t i = 0; i < c.ignore.size(); ++i) {
        if (c.ignore_rules.add("", c.ignore[i]) != 1)
            fail("$.ignore[" + std::to_string(i) + "]", "must be a non-empty glob, not " + quoted(c.ignore[i]));
    }

    c.public_routes = string_list("publicRoutes", "Next.js matcher patterns such as \"/api/public/:path*\"");
    for (size_t i = 0; i < c.public_routes.size(); ++i) {
        if (!analysis::matcher_to_regex(c.public_routes[i]))
            fail("$.publicRoutes[" + std::to_string(i) + "]",
                 quoted(c.public_routes[i]) +
                     " is not a valid matcher pattern (it must start with \"/\" and use Next.js matcher syntax, "
                     "such as \"/api/public/:path*\")");
    }

    if (root.contains("knowledge")) {
        const json& list = root["knowledge"];
        if (!list.is_array()) fail("$.knowledge", "must be an array of library objects");
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

Config load_config(const std::filesystem::path& root, const std::string& explicit_path) {
    const bool is_explicit = !explicit_path.empty();
    std::filesystem::path file = is_explicit ? std::filesystem::path(explicit_path) : root / "nextguard.json";
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        if (!is_explicit && !std::filesystem::exists(file, ec)) {
            Config c;
            c.knowledge = analysis::Knowledge::builtin();
            return c;
        }
        if (is_explicit && !std::filesystem::exists(file, ec))
            throw std::runtime_error("config file " + explicit_path + " does not exist");
        throw std::runtime_error("config file " + (is_explicit ? explicit_path : file.string()) + " is not a file");
    }
    // Errors name the file as the user wrote it, or by its name when it was found in the root.
    const std::string shown = is_explicit ? explicit_path : file.filename().string();
    Config c = parse_config(shown, read_config_file(file, shown));
    c.file = file;
    return c;
}

bool is_ignored(const Config& config, std::string_view rel_path) {
    return config.ignore_rules.excludes(rel_path);
}

std::function<bool(std::string_view)> public_route_check(const Config& config) {
    // An empty matcher list means "every path", so no publicRoutes must mean "none".
    if (config.public_routes.empty()) return [](std::string_view) { return false; };
    auto matcher = std::make_shared<const analysis::MiddlewareMatcher>(config.public_routes);
    return [matcher](std::string_view url) { return !url.empty() && matcher->covers(url); };
}

}  // namespace nextguard::engine
