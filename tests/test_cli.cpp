// End-to-end: the nextguard binary on the demo app and on small projects.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "support.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string demo() { return test::shell_quote((test::source_dir() / "fixtures/apps/demo").string()); }

}  // namespace

TEST_CASE("cli: --version, --help and --list-rules", "[cli]") {
    auto r = test::run_nextguard("--version");
    CHECK(r.exit_code == 0);
    CHECK(std::regex_match(r.out, std::regex("nextguard \\d+\\.\\d+\\.\\d+\n")));
    r = test::run_nextguard("--help");
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("--format") != std::string::npos);
    r = test::run_nextguard("--list-rules");
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("unpaginated-query") != std::string::npos);
    CHECK(r.out.find("warning") != std::string::npos);
}

TEST_CASE("cli: text report on the demo app", "[cli]") {
    auto r = test::run_nextguard("--color never " + demo());
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);  // warnings only, and the failing level is error by default
    CHECK(r.err.empty());
    CHECK(r.out.find("app/api/projects/route.ts:14:26  warning  unpaginated-query  ") != std::string::npos);
    CHECK(r.out.find("  entry: GET /api/projects (app/api/projects/route.ts:12)") != std::string::npos);
    CHECK(r.out.find("\x1b[") == std::string::npos);
    CHECK(std::regex_search(r.out, std::regex("\n4 findings in 4 files \xC2\xB7 13 files analyzed \\(2 files not reached\\) in [0-9.]+ s\n$")));

    CHECK(test::run_nextguard("--fail-on warning " + demo()).exit_code == 1);
    CHECK(test::run_nextguard("--fail-on never " + demo()).exit_code == 0);
    auto colored = test::run_nextguard("--color always " + demo());
    CHECK(colored.out.find("\x1b[") != std::string::npos);
    auto quiet = test::run_nextguard("--quiet " + demo());
    CHECK(quiet.out.empty());  // no error-level findings, no summary
}

TEST_CASE("cli: JSON report with entry points and UTF-16 columns", "[cli]") {
    test::TempDir dir;
    dir.write("package.json", R"({"dependencies":{"next":"15.0.0"}})");
    // "🎉" is 4 bytes and 2 UTF-16 units, "é" 2 bytes and 1 unit: prisma starts at UTF-16
    // column 47 (byte column 50).
    dir.write("app/api/emoji/route.ts",
              "export async function GET() {\n"
              "  const label = \"\xF0\x9F\x8E\x89 caf\xC3\xA9\"; const rows = await prisma.item.findMany();\n"
              "  return Response.json({ label, rows });\n}\n");
    auto r = test::run_nextguard("--format json " + test::shell_quote(dir.path().string()));
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    auto j = json::parse(r.out);
    CHECK(j["version"] == 1);
    REQUIRE(j["findings"].size() == 1);
    const auto& f = j["findings"][0];
    CHECK(f["rule"] == "unpaginated-query");
    CHECK(f["file"] == "app/api/emoji/route.ts");
    CHECK(f["line"] == 2);
    CHECK(f["column"] == 47);
    CHECK(f["endLine"] == 2);
    CHECK(f["endColumn"] == 47 + static_cast<int>(std::string("prisma.item.findMany()").size()));
    CHECK(f["entry"]["kind"] == "route");
    CHECK(f["entry"]["name"] == "GET");
    CHECK(f["entry"]["url"] == "/api/emoji");
    CHECK(f["entry"]["line"] == 1);
    CHECK(j["stats"]["filesAnalyzed"] == 1);
    CHECK(j["stats"]["entryPoints"] == 1);
}

TEST_CASE("cli: the demo's JSON names every kind of entry point", "[cli]") {
    auto r = test::run_nextguard("--format json " + demo());
    auto j = json::parse(r.out);
    std::set<std::string> labels;
    for (const auto& f : j["findings"]) labels.insert(f["entry"]["label"].get<std::string>());
    CHECK(labels == std::set<std::string>{"GET /api/projects", "GET /api/teams/[teamId]/members",
                                          "API route /api/users", "server action exportProjects"});
}

TEST_CASE("cli: output is deterministic whatever the number of threads", "[cli]") {
    auto strip = [](std::string s) { return std::regex_replace(s, std::regex("\"[a-zA-Z]*[sS]econds\": [0-9.e+-]+"), ""); };
    auto a = test::run_nextguard("--format json --jobs 1 " + demo());
    auto b = test::run_nextguard("--format json --jobs 2 " + demo());
    auto c = test::run_nextguard("--format json --jobs 7 " + demo());
    REQUIRE(a.exit_code == 0);
    REQUIRE(json::parse(a.out)["findings"].size() == 4);  // the demo's four markers
    CHECK(strip(a.out) == strip(b.out));
    CHECK(strip(a.out) == strip(c.out));
}

TEST_CASE("cli: -o writes the report atomically and SARIF passes the validator", "[cli]") {
    test::TempDir dir;
    auto out = dir.path() / "results.sarif";
    auto r = test::run_nextguard("--format sarif -o " + test::shell_quote(out.string()) + " " + demo());
    CHECK(r.exit_code == 0);
    CHECK(r.out.empty());
    REQUIRE(fs::exists(out));
    size_t entries = 0;
    for (auto& e : fs::directory_iterator(dir.path())) entries += e.path() != out;
    CHECK(entries == 0);  // no temp file left behind
    auto log = json::parse(test::read_file(out));
    CHECK(log["version"] == "2.1.0");
    CHECK(log["runs"][0]["results"].size() == 4);
    test::check_sarif_valid(test::read_file(out));

    // An output that cannot be written: exit 2, a reason, nothing left behind.
    auto bad = dir.path() / "missing-folder" / "x.sarif";
    r = test::run_nextguard("--format sarif -o " + test::shell_quote(bad.string()) + " " + demo());
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("cannot write") != std::string::npos);
    CHECK_FALSE(fs::exists(bad.parent_path()));
}

TEST_CASE("cli: an existing output file is replaced whole, never left half-written", "[cli]") {
    test::TempDir dir;
    auto out = dir.write("report.json", std::string(100000, 'x'));
    struct stat before {};
    REQUIRE(::stat(out.c_str(), &before) == 0);
    auto r = test::run_nextguard("--format json -o " + test::shell_quote(out.string()) + " " + demo());
    CHECK(r.exit_code == 0);
    // A new file took the old one's name (a rename), rather than the old one being rewritten.
    struct stat after {};
    REQUIRE(::stat(out.c_str(), &after) == 0);
    CHECK(after.st_ino != before.st_ino);
    auto text = test::read_file(out);
    CHECK(text.rfind("{", 0) == 0);
    CHECK_NOTHROW(json::parse(text));
}

TEST_CASE("cli: nextguard.json knowledge that is invalid stops the run with exit 2", "[cli]") {
    test::TempDir dir;
    dir.write("app/api/x/route.ts", "export async function GET() { return Response.json([]); }\n");
    dir.write("nextguard.json", "{\n  \"knowledge\": [\n    { \"library\": \"x\", \n");
    auto r = test::run_nextguard("--format json " + test::shell_quote(dir.path().string()));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("nextguard.json: line 4") != std::string::npos);
    CHECK(r.out.empty());

    dir.write("nextguard.json", R"({ "knowledge": [ { "library": "x", "auht": [] } ] })");
    r = test::run_nextguard("--format json " + test::shell_quote(dir.path().string()));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("nextguard.json#knowledge[0]: $.auht: unknown key") != std::string::npos);

    dir.write("nextguard.json", R"({ "knowledge": {} })");
    r = test::run_nextguard("--format json " + test::shell_quote(dir.path().string()));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("$.knowledge: must be an array") != std::string::npos);
}

TEST_CASE("cli: --explain prints a rule's documentation", "[cli]") {
    auto r = test::run_nextguard("--explain missing-auth");
    CHECK(r.exit_code == 0);
    CHECK(r.out.rfind("## What it does", 0) == 0);
    CHECK(r.out.find("## Known limitations") != std::string::npos);
    CHECK(r.out.find("nextguard-ignore-next-line missing-auth") != std::string::npos);
    r = test::run_nextguard("--explain no-such-rule");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("unknown rule 'no-such-rule'") != std::string::npos);
}
