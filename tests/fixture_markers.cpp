#include "fixture_markers.hpp"

#include <regex>
#include <sstream>

namespace test {

namespace {

std::string trim(const std::string& s) {
    size_t b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return {};
    size_t e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

}  // namespace

std::vector<Marker> parse_markers(const std::string& file, const std::string& text,
                                  const std::set<std::string>& known_rules, std::vector<std::string>& errors) {
    // A comment that starts with "expect" or "todo-expect" is a marker and must be well formed.
    static const std::regex candidate(R"((?://|/\*)\s*((?:todo-)?expect\w*\b.*?)\s*(?:\*/\s*\}?)?$)",
                                      std::regex::icase);
    static const std::regex wellformed(R"(^(todo-)?expect: ([a-z0-9]+(?:-[a-z0-9]+)*(?:, [a-z0-9]+(?:-[a-z0-9]+)*)*)$)");
    std::vector<Marker> out;
    std::istringstream in(text);
    std::string line;
    unsigned n = 0;
    while (std::getline(in, line)) {
        ++n;
        std::smatch m;
        if (!std::regex_search(line, m, candidate)) continue;
        std::string body = trim(m[1].str());
        std::string where = file + ":" + std::to_string(n) + ": ";
        std::smatch w;
        if (!std::regex_match(body, w, wellformed)) {
            errors.push_back(where + "malformed marker '" + body + "' (use `// expect: rule-id[, rule-id]`)");
            continue;
        }
        std::string before = trim(line.substr(0, static_cast<size_t>(m.position(0))));
        bool alone = before.empty() || before == "{";
        unsigned target = alone ? n + 1 : n;
        std::string ids = w[2].str();
        size_t start = 0;
        while (start <= ids.size()) {
            size_t comma = ids.find(", ", start);
            std::string id = ids.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            if (!known_rules.count(id)) errors.push_back(where + "unknown rule id '" + id + "'");
            else out.push_back({file, target, id, w[1].matched});
            if (comma == std::string::npos) break;
            start = comma + 2;
        }
    }
    return out;
}

}  // namespace test
