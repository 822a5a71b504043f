// Runs nextguard on every fixture project and requires exactly the annotated findings.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "engine/run.hpp"
#include "fixture_markers.hpp"
#include "project/workspace.hpp"
#include "rules/rule.hpp"
#include "support.hpp"

namespace fs = std::filesystem;

namespace {

std::set<std::string> known_rules() {
    std::set<std::string> ids;
    for (const auto* r : nextguard::rules::all_rules()) ids.insert(std::string(r->id()));
    return ids;
}

/// Checks one project; returns the problems, one per line.
std::vector<std::string> check_project(const fs::path& dir) {
    std::vector<std::string> problems;
    auto ids = known_rules();
    std::set<test::Marker> expected;
    for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
        if (it->is_directory() && it->path().filename() == "node_modules") {
            it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file() || !nextguard::project::is_source_extension(it->path())) continue;
        std::string rel = fs::relative(it->path(), dir).generic_string();
        for (auto& m : test::parse_markers(rel, test::read_file(it->path()), ids, problems)) expected.insert(m);
    }
    nextguard::engine::RunOptions options;
    options.inputs = {dir.string()};
    options.jobs = 1;
    auto result = nextguard::engine::run(options);
    std::set<std::tuple<std::string, unsigned, std::string>> actual;
    std::map<std::tuple<std::string, unsigned, std::string>, std::string> messages;
    for (const auto& f : result.findings) {
        auto key = std::make_tuple(f.location.file, f.location.range.start.line, f.rule);
        if (!actual.insert(key).second)  // one marker stands for one finding
            problems.push_back("Duplicate: " + f.location.file + ":" + std::to_string(f.location.range.start.line) +
                               " " + f.rule + " reported twice");
        messages[key] = f.message;
    }
    // A file that stops parsing would lose its clean cases without a word: fixtures parse.
    for (const auto& n : result.notices)
        problems.push_back("Notice: " + n.file + ":" + std::to_string(n.line) + " " + n.message);
    for (const auto& m : expected) {
        auto key = std::make_tuple(m.file, m.line, m.rule);
        bool found = actual.count(key) > 0;
        if (!m.todo && !found) problems.push_back("Missing: " + m.file + ":" + std::to_string(m.line) + " " + m.rule);
        if (m.todo && found)
            problems.push_back("Fixed: " + m.file + ":" + std::to_string(m.line) + " " + m.rule +
                               " is now found; change `todo-expect` to `expect`");
    }
    for (const auto& key : actual) {
        auto [file, line, rule] = key;
        bool marked = std::any_of(expected.begin(), expected.end(), [&](const test::Marker& m) {
            return m.file == file && m.line == line && m.rule == rule;
        });
        if (!marked)
            problems.push_back("Noisy: " + file + ":" + std::to_string(line) + " " + rule + ": " + messages[key]);
    }
    return problems;
}

}  // namespace

TEST_CASE("fixtures: every project reports exactly its annotated findings", "[fixtures]") {
    auto projects = test::fixture_projects();
    REQUIRE(projects.size() > 10);
    for (const auto& dir : projects) {
        auto problems = check_project(dir);
        std::string text;
        for (const auto& p : problems) text += "\n  " + p;
        INFO("fixture project " << fs::relative(dir, test::source_dir()).generic_string() << text);
        CHECK(problems.empty());
    }
}

TEST_CASE("fixtures: marker syntax", "[fixtures]") {
    std::set<std::string> ids = {"unpaginated-query", "missing-auth"};
    std::vector<std::string> errors;
    auto ms = test::parse_markers("a.ts",
                                  "const a = 1; // expect: unpaginated-query\n"
                                  "// expect: unpaginated-query, missing-auth\n"
                                  "call();\n"
                                  "x(); // todo-expect: missing-auth\n"
                                  "  {/* expect: unpaginated-query */}\n"
                                  "<div/>\n"
                                  "const ok = { expected: 1 }; // not a marker\n",
                                  ids, errors);
    CHECK(errors.empty());
    REQUIRE(ms.size() == 5);
    CHECK((ms[0].line == 1 && ms[0].rule == "unpaginated-query" && !ms[0].todo));
    CHECK((ms[1].line == 3 && ms[1].rule == "unpaginated-query"));
    CHECK((ms[2].line == 3 && ms[2].rule == "missing-auth"));
    CHECK((ms[3].line == 4 && ms[3].todo));
    CHECK(ms[4].line == 6);

    SECTION("malformed markers and unknown ids fail") {
        std::vector<std::string> errs;
        test::parse_markers("b.ts",
                            "a(); // expect unpaginated-query\n"
                            "b(); // expect:\n"
                            "c(); // expected: unpaginated-query\n"
                            "d(); // expect: no-such-rule\n"
                            "e(); // expect: unpaginated-query,missing-auth\n",
                            ids, errs);
        REQUIRE(errs.size() == 5);
        CHECK(errs[0].rfind("b.ts:1:", 0) == 0);
        CHECK(errs[3].find("unknown rule id 'no-such-rule'") != std::string::npos);
    }
}
