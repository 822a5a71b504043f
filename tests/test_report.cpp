#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "report/reporters.hpp"
#include "core/embedded.hpp"
#include "core/rule_info.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace nextguard;

namespace {

// A line with a tab, a 2-byte character and an astral emoji before the flagged range:
// bytes before "db": 1 + 20 + 4 + 9 = 34, UTF-16 units before it: 1 + 19 + 2 + 9 = 31.
const std::string kUnicodeLine = "\tconst msg = \"h\xC3\xA9llo \xF0\x9F\x8E\x89\"; await db.select().from(t);";

Position pos(uint32_t line, uint32_t column, uint32_t byte_column) { return Position{line, column, byte_column}; }

engine::RunResult sample_result() {
    engine::RunResult r;
    r.root = "/tmp/my app";

    Finding a;
    a.rule = "unpaginated-query";
    a.severity = Severity::Warning;
    a.location.file = "app/api/projects/[id]/route.ts";
    a.line_text = "  const rows = await prisma.project.findMany();";
    // "prisma.project.findMany()" starts at byte 22 (1-based) and ends before ';'.
    a.location.range = {pos(12, 22, 22), pos(12, 47, 47)};
    a.message = "`prisma.project.findMany()` returns every row: add `take`.";
    a.entry = EntryRef{"route", "GET", "app/api/projects/[id]/route.ts", 10, 23, "/api/projects/[id]"};
    a.related.push_back(Location{"lib/db.ts", {pos(3, 14, 14), pos(3, 20, 20)}, "the Prisma client"});
    a.statement = "const rows = await prisma.project.findMany()";
    a.fingerprint = "abc123";

    Finding b;
    b.rule = "unpaginated-query";
    b.severity = Severity::Error;
    b.location.file = "app/actions.ts";
    b.line_text = kUnicodeLine;
    b.location.range = {pos(7, 32, 35), pos(7, 51, 54)};
    b.message = "`db.select().from(t)` has no `.limit()`.";
    b.statement = "await db.select().from(t)";  // no fingerprint: SARIF computes one

    r.findings = {b, a};  // order as given; reporters keep it
    r.notices.push_back(Notice{Severity::Warning, "app/broken.ts", 3, "syntax error: unexpected token"});
    r.notices.push_back(Notice{Severity::Error, "", 0, "nextguard.json: unknown key `rulez`"});
    r.stats = engine::RunStats{5, 1, 4, 12345, 2, 0.256};
    return r;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

std::string text_of(const engine::RunResult& r, report::TextOptions o = {}) {
    std::ostringstream out;
    report::write_text(out, r, o);
    return out.str();
}

const char* const kGoodDoc = R"(---
id: sample-rule
summary: A sample rule.
category: security
severity: error
security-severity: "7.5"
cwe: [CWE-770, CWE-400]
tags: [security, "external/cwe/cwe-770"]
precision: very-high
measured: "held-out: P 0.95, R 0.80 on 2 apps"
---

## What it does

Flags `foo()` calls, see [the docs](https://example.com).
Second line of the **same** paragraph.

- one `app/**/route.ts`
- two

## Why is this bad?

Because.
)";

}  // namespace

TEST_CASE("report: parse_rule_doc reads front matter and sections") {
    auto info = rules::parse_rule_doc("sample-rule.md", kGoodDoc);
    CHECK(info.id == "sample-rule");
    CHECK(info.name == "SampleRule");
    CHECK(info.summary == "A sample rule.");
    CHECK(info.category == "security");
    CHECK(info.severity == Severity::Error);
    CHECK(info.security_severity == "7.5");
    CHECK(info.cwe == std::vector<std::string>{"CWE-770", "CWE-400"});
    CHECK(info.tags == std::vector<std::string>{"security", "external/cwe/cwe-770"});
    CHECK(info.precision == "very-high");
    CHECK(info.measured == "held-out: P 0.95, R 0.80 on 2 apps");
    CHECK(info.description ==
          "Flags foo() calls, see the docs. Second line of the same paragraph.\n\n- one app/**/route.ts\n- two");
    CHECK(info.markdown.rfind("## What it does\n", 0) == 0);
    CHECK(info.markdown.find("---") == std::string::npos);

    auto no_lists = rules::parse_rule_doc("", "---\nid: x\nsummary: s\ncategory: c\nseverity: note\nprecision: low\n"
                                              "cwe: []\n---\n## What it does\nThings.\n");
    CHECK(no_lists.cwe.empty());
    CHECK(no_lists.tags.empty());
    CHECK(no_lists.security_severity.empty());
    CHECK(no_lists.severity == Severity::Note);
}

TEST_CASE("report: parse_rule_doc rejects malformed docs") {
    std::string doc = kGoodDoc;
    auto without = [&](const std::string& line) {
        std::string d = doc;
        d.erase(d.find(line), line.size() + 1);
        return d;
    };
    CHECK_THROWS_WITH(rules::parse_rule_doc("sample-rule.md", without("severity: error")),
                      Catch::Contains("severity"));
    CHECK_THROWS_WITH(rules::parse_rule_doc("sample-rule.md", without("summary: A sample rule.")),
                      Catch::Contains("summary"));
    CHECK_THROWS_WITH(rules::parse_rule_doc("sample-rule.md", without("id: sample-rule")), Catch::Contains("id"));
    CHECK_THROWS(rules::parse_rule_doc("other-name.md", doc));
    CHECK_THROWS(rules::parse_rule_doc("sample-rule.md", "no front matter"));
    CHECK_THROWS(rules::parse_rule_doc("sample-rule.md", "---\nid: sample-rule\n"));
    auto replaced = [&](const std::string& from, const std::string& to) {
        std::string d = doc;
        d.replace(d.find(from), from.size(), to);
        return d;
    };
    CHECK_THROWS_WITH(rules::parse_rule_doc("sample-rule.md", replaced("severity: error", "severity: fatal")),
                      Catch::Contains("severity"));
    CHECK_THROWS(rules::parse_rule_doc("sample-rule.md", replaced("precision: very-high", "precision: great")));
    CHECK_THROWS(rules::parse_rule_doc("sample-rule.md", replaced("\"7.5\"", "\"high\"")));
    CHECK_THROWS(rules::parse_rule_doc("sample-rule.md", replaced("CWE-400", "400")));
    CHECK_THROWS(rules::parse_rule_doc("sample-rule.md", replaced("cwe: [CWE-770, CWE-400]", "cwe: CWE-770")));
    CHECK_THROWS_WITH(rules::parse_rule_doc("sample-rule.md", replaced("precision:", "precison:")),
                      Catch::Contains("precison"));
    CHECK_THROWS(rules::parse_rule_doc("sample-rule.md", replaced("## What it does", "## What it is")));
}

TEST_CASE("report: every embedded rule doc parses and has the fixed sections") {
    const auto& docs = embedded_rule_docs();
    REQUIRE(!docs.empty());
    REQUIRE_NOTHROW(rules::all_rule_infos());
    REQUIRE(rules::all_rule_infos().size() == docs.size());
    const char* sections[] = {"## What it does", "## Why is this bad?", "## Example", "## Use instead",
                              "## Options",      "## Known limitations", "## References"};
    for (const auto& doc : docs) {
        INFO("rules/" << doc.name);
        auto info = rules::parse_rule_doc(doc.name, doc.content);
        CHECK(rules::find_rule_info(info.id) != nullptr);
        size_t last = 0;
        for (const char* s : sections) {
            INFO("section " << s);
            size_t at = info.markdown.find(std::string("\n") + s + "\n");
            if (info.markdown.rfind(std::string(s) + "\n", 0) == 0) at = 0;
            CHECK(at != std::string::npos);
            if (at != std::string::npos) {
                CHECK(at >= last);  // in the fixed order
                last = at;
            }
        }
    }
    CHECK(rules::find_rule_info("unpaginated-query") != nullptr);
    CHECK(rules::find_rule_info("no-such-rule") == nullptr);
    CHECK(rules::rule_help_uri("unpaginated-query") ==
          "https://github.com/nextguard/nextguard/blob/main/rules/unpaginated-query.md");
}

TEST_CASE("report: text format, code frame and caret placement") {
    auto text = text_of(sample_result());
    auto lines = lines_of(text);
    REQUIRE(lines.size() == 11);
    CHECK(lines[0] == "app/actions.ts:7:32  error  unpaginated-query  `db.select().from(t)` has no `.limit()`.");
    CHECK(lines[1] == "  7 | " + kUnicodeLine);
    // The tab is kept, each character before the range is one cell, the emoji two.
    CHECK(lines[2] == "    | \t" + std::string(30, ' ') + std::string(19, '^'));
    CHECK(lines[3].empty());
    CHECK(lines[4] ==
          "app/api/projects/[id]/route.ts:12:22  warning  unpaginated-query  "
          "`prisma.project.findMany()` returns every row: add `take`.");
    CHECK(lines[5] == "  12 |   const rows = await prisma.project.findMany();");
    CHECK(lines[6] == "     | " + std::string(21, ' ') + std::string(25, '^'));
    CHECK(lines[7] == "  entry: GET /api/projects/[id] (app/api/projects/[id]/route.ts:10)");
    CHECK(lines[8] == "  related: lib/db.ts:3:14 the Prisma client");
    CHECK(lines[9].empty());
    CHECK(lines[10] == "2 findings in 2 files \xC2\xB7 5 files analyzed (4 files not reached) in 0.26 s");
    CHECK(text.find("syntax error") == std::string::npos);  // notices go to stderr, not here
    CHECK(text.find('\x1b') == std::string::npos);
    REQUIRE(lines.size() == 11);
}

TEST_CASE("report: text carets for ranges spanning lines, empty ranges and odd input") {
    engine::RunResult r;
    Finding f;
    f.rule = "unpaginated-query";
    f.location.file = "a.ts";
    f.line_text = "abc(\r";
    f.location.range = {pos(1, 4, 4), pos(3, 2, 2)};  // to the end of the line
    r.findings.push_back(f);
    f.line_text = "xy";
    f.location.range = {pos(1, 2, 2), pos(1, 2, 2)};  // empty: one caret
    r.findings.push_back(f);
    f.line_text = "xy";
    f.location.range = {pos(1, 9, 9), pos(1, 12, 12)};  // past the end: clamped
    r.findings.push_back(f);
    f.line_text.clear();  // no frame at all
    r.findings.push_back(f);
    r.stats.files_analyzed = 1;
    auto lines = lines_of(text_of(r));
    REQUIRE(lines.size() == 15);
    CHECK(lines[1] == "  1 | abc(");
    CHECK(lines[2] == "    |    ^");
    CHECK(lines[5] == "  1 | xy");
    CHECK(lines[6] == "    |  ^");
    CHECK(lines[10] == "    |   ^");
    CHECK(lines[12] == "a.ts:1:9  warning  unpaginated-query  ");
    CHECK(lines[13].empty());
    CHECK(lines.back() == "4 findings in 1 file \xC2\xB7 1 file analyzed in 0.00 s");
}

TEST_CASE("report: the entry point is a related location in SARIF and a line in text") {
    auto r = sample_result();
    auto text = text_of(r);
    CHECK(text.find("  entry: GET /api/projects/[id] (app/api/projects/[id]/route.ts:10)") != std::string::npos);
    CHECK(text.find("related: lib/db.ts:3:14 the Prisma client") != std::string::npos);

    auto log = json::parse(report::to_sarif(r));
    const auto& related = log["runs"][0]["results"][1]["relatedLocations"];
    REQUIRE(related.size() == 2);
    CHECK(related[0]["message"]["text"] == "entry point: GET /api/projects/[id]");
    CHECK(related[0]["physicalLocation"]["region"]["startColumn"] == 23);
    CHECK(related[1]["message"]["text"] == "the Prisma client");
}

TEST_CASE("report: text summary without findings, quiet mode and colours") {
    engine::RunResult empty;
    empty.stats.files_analyzed = 1;
    empty.stats.seconds = 1.5;
    CHECK(text_of(empty) == "no findings \xC2\xB7 1 file analyzed in 1.50 s\n");
    empty.stats.files_unreached = 3;
    CHECK(text_of(empty) == "no findings \xC2\xB7 1 file analyzed (3 files not reached) in 1.50 s\n");
    empty.stats.files_unreached = 0;
    CHECK(text_of(empty, {false, true}).empty());

    auto quiet = lines_of(text_of(sample_result(), {false, true}));
    REQUIRE(quiet.size() == 4);  // only the error finding, no summary
    CHECK(quiet[0].rfind("app/actions.ts:7:32  error", 0) == 0);

    auto colored = text_of(sample_result(), {true, false});
    CHECK(colored.find("\x1b[31merror\x1b[0m") != std::string::npos);
    CHECK(colored.find("\x1b[33mwarning\x1b[0m") != std::string::npos);
    CHECK(colored.find("\x1b[2munpaginated-query\x1b[0m") != std::string::npos);
    CHECK(colored.find("\x1b[1mapp/actions.ts:7:32\x1b[0m") != std::string::npos);
    engine::RunResult note;
    Finding f;
    f.rule = "x";
    f.severity = Severity::Note;
    note.findings.push_back(f);
    CHECK(text_of(note, {true, false}).find("\x1b[36mnote\x1b[0m") != std::string::npos);
}

TEST_CASE("report: JSON schema version 1") {
    auto j = json::parse(report::to_json(sample_result()));
    CHECK(j["version"] == 1);
    CHECK(j["tool"]["name"] == "nextguard");
    CHECK(j["tool"]["version"] == NEXTGUARD_VERSION);
    REQUIRE(j["findings"].size() == 2);

    const auto& b = j["findings"][0];
    CHECK(b["rule"] == "unpaginated-query");
    CHECK(b["severity"] == "error");
    CHECK(b["file"] == "app/actions.ts");
    CHECK(b["line"] == 7);
    CHECK(b["column"] == 32);  // UTF-16 units, not the byte column 35
    CHECK(b["endLine"] == 7);
    CHECK(b["endColumn"] == 51);
    CHECK(b["entry"].is_null());
    CHECK(b["related"] == json::array());
    CHECK(b["fingerprint"] == "");

    const auto& a = j["findings"][1];
    CHECK(a["message"] == "`prisma.project.findMany()` returns every row: add `take`.");
    CHECK(a["fingerprint"] == "abc123");
    CHECK(a["entry"]["kind"] == "route");
    CHECK(a["entry"]["name"] == "GET");
    CHECK(a["entry"]["label"] == "GET /api/projects/[id]");
    CHECK(a["entry"]["file"] == "app/api/projects/[id]/route.ts");
    CHECK(a["entry"]["line"] == 10);
    CHECK(a["entry"]["url"] == "/api/projects/[id]");
    REQUIRE(a["related"].size() == 1);
    CHECK(a["related"][0] == json{{"file", "lib/db.ts"}, {"line", 3}, {"column", 14}, {"endLine", 3},
                                  {"endColumn", 20}, {"message", "the Prisma client"}});

    REQUIRE(j["errors"].size() == 2);
    CHECK(j["errors"][0] == json{{"file", "app/broken.ts"}, {"line", 3}, {"severity", "warning"},
                                 {"message", "syntax error: unexpected token"}});
    CHECK(j["errors"][1]["file"].is_null());
    CHECK(j["errors"][1]["severity"] == "error");
    CHECK(j["stats"] == json{{"filesAnalyzed", 5}, {"filesSkipped", 1}, {"filesUnreached", 4}, {"bytes", 12345}, {"entryPoints", 2},
                             {"seconds", 0.256}, {"discoverSeconds", 0.0}, {"filesSeconds", 0.0}});
    CHECK(report::to_json(sample_result()) == report::to_json(sample_result()));

    auto empty = json::parse(report::to_json(engine::RunResult{}));
    CHECK(empty["findings"] == json::array());
    CHECK(empty["errors"] == json::array());
}

TEST_CASE("report: SARIF structure for GitHub code scanning") {
    auto result = sample_result();
    Finding unknown;  // a rule with no doc still gets a descriptor
    unknown.rule = "made-up-rule";
    unknown.severity = Severity::Note;
    unknown.location.file = "pages/api/hello world.ts";
    unknown.location.range = {pos(1, 1, 1), pos(1, 5, 5)};
    unknown.message = "Something odd.";
    result.findings.push_back(unknown);

    auto log = json::parse(report::to_sarif(result));
    CHECK(log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json");
    CHECK(log["version"] == "2.1.0");
    REQUIRE(log["runs"].size() == 1);
    const auto& run = log["runs"][0];
    CHECK(run["columnKind"] == "utf16CodeUnits");
    CHECK(run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///tmp/my%20app/");

    const auto& driver = run["tool"]["driver"];
    CHECK(driver["name"] == "nextguard");
    CHECK(driver["version"] == NEXTGUARD_VERSION);
    CHECK(driver["semanticVersion"] == NEXTGUARD_VERSION);
    CHECK(driver["informationUri"] == "https://github.com/nextguard/nextguard");
    const auto& infos = rules::all_rule_infos();
    REQUIRE(driver["rules"].size() == infos.size() + 1);
    for (size_t i = 0; i < infos.size(); ++i) {
        const auto& rule = driver["rules"][i];
        CHECK(rule["id"] == infos[i].id);
        CHECK(rule["name"] == infos[i].name);
        CHECK(rule["shortDescription"]["text"] == infos[i].summary);
        CHECK(rule["fullDescription"]["text"] == infos[i].description);
        CHECK(rule["helpUri"] == rules::rule_help_uri(infos[i].id));
        CHECK(rule["help"]["markdown"] == infos[i].markdown);
        CHECK(!rule["help"]["text"].get<std::string>().empty());
        CHECK(rule["defaultConfiguration"]["level"] == severity_name(infos[i].severity));
        CHECK(rule["properties"]["precision"] == infos[i].precision);
        // every shipped rule states what its precision was measured on
        REQUIRE_FALSE(infos[i].measured.empty());
        CHECK(rule["properties"]["measuredAccuracy"] == infos[i].measured);
    }
    const json* unpaginated = nullptr;
    for (const auto& rule : driver["rules"])
        if (rule["id"] == "unpaginated-query") unpaginated = &rule;
    REQUIRE(unpaginated != nullptr);
    auto tags = (*unpaginated)["properties"]["tags"].get<std::vector<std::string>>();
    CHECK(std::count(tags.begin(), tags.end(), "security") == 1);
    CHECK(std::count(tags.begin(), tags.end(), "external/cwe/cwe-770") == 1);
    CHECK((*unpaginated)["properties"]["security-severity"] == "5.3");
    CHECK((*unpaginated)["properties"]["problem.severity"] == "warning");
    CHECK(driver["rules"].back()["id"] == "made-up-rule");

    const auto& results = run["results"];
    REQUIRE(results.size() == 3);
    for (const auto& r : results) {
        CHECK(driver["rules"][r["ruleIndex"].get<size_t>()]["id"] == r["ruleId"]);
        const auto& art = r["locations"][0]["physicalLocation"]["artifactLocation"];
        CHECK(art["uriBaseId"] == "%SRCROOT%");
        auto uri = art["uri"].get<std::string>();
        CHECK(uri.find("://") == std::string::npos);
        CHECK(uri.front() != '/');
        CHECK(!r["partialFingerprints"]["primaryLocationLineHash"].get<std::string>().empty());
    }
    CHECK(results[0]["level"] == "error");
    CHECK(results[1]["level"] == "warning");
    CHECK(results[2]["level"] == "note");
    CHECK(results[2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "pages/api/hello%20world.ts");
    const auto& region = results[0]["locations"][0]["physicalLocation"]["region"];
    CHECK(region["startLine"] == 7);
    CHECK(region["startColumn"] == 32);  // UTF-16 units
    CHECK(region["endLine"] == 7);
    CHECK(region["endColumn"] == 51);
    CHECK(region["snippet"]["text"] == "db.select().from(t)");
    CHECK(results[0]["locations"][0]["physicalLocation"]["contextRegion"]["snippet"]["text"] == kUnicodeLine);
    CHECK(results[2]["locations"][0]["physicalLocation"].count("contextRegion") == 0);  // no line text
    CHECK(results[0].count("relatedLocations") == 0);

    const auto& a = results[1];
    CHECK(a["message"]["text"] == "`prisma.project.findMany()` returns every row: add `take`.");
    CHECK(a["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app/api/projects/%5Bid%5D/route.ts");
    CHECK(a["partialFingerprints"]["primaryLocationLineHash"] == "abc123");
    REQUIRE(a["relatedLocations"].size() == 2);
    CHECK(a["relatedLocations"][0]["id"] == 1);
    CHECK(a["relatedLocations"][0]["message"]["text"] == "entry point: GET /api/projects/[id]");
    CHECK(a["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 10);
    CHECK(a["relatedLocations"][1]["id"] == 2);
    CHECK(a["relatedLocations"][1]["message"]["text"] == "the Prisma client");
    CHECK(a["relatedLocations"][1]["physicalLocation"]["artifactLocation"]["uri"] == "lib/db.ts");

    // A computed fingerprint is stable and depends on the statement, not the line.
    auto fp = results[0]["partialFingerprints"]["primaryLocationLineHash"];
    auto moved = result;
    moved.findings[0].location.range.start.line = 70;
    moved.findings[0].location.range.end.line = 70;
    CHECK(json::parse(report::to_sarif(moved))["runs"][0]["results"][0]["partialFingerprints"]
                                              ["primaryLocationLineHash"] == fp);

    REQUIRE(run["invocations"].size() == 1);
    const auto& inv = run["invocations"][0];
    CHECK(inv["executionSuccessful"] == true);
    const auto& notes = inv["toolExecutionNotifications"];
    REQUIRE(notes.size() == 2);
    CHECK(notes[0]["level"] == "warning");
    CHECK(notes[0]["message"]["text"] == "syntax error: unexpected token");
    CHECK(notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app/broken.ts");
    CHECK(notes[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 3);
    CHECK(notes[1]["level"] == "error");
    CHECK(notes[1].count("locations") == 0);
}

TEST_CASE("report: uri_encode_path") {
    CHECK(report::uri_encode_path("app/(shop)/@modal/[id]/route.ts") == "app/(shop)/@modal/%5Bid%5D/route.ts");
    CHECK(report::uri_encode_path("a b/100%/c#d?e:f.ts") == "a%20b/100%25/c%23d%3Fe%3Af.ts");
    CHECK(report::uri_encode_path("caf\xC3\xA9.ts") == "caf%C3%A9.ts");
}

TEST_CASE("report: SARIF passes Microsoft's validator (Sarif and GitHub rules)") {
    auto result = sample_result();
    Finding unknown;
    unknown.rule = "made-up-rule";
    unknown.location.file = "pages/api/hello world.ts";
    unknown.location.range = {pos(1, 1, 1), pos(1, 5, 5)};
    unknown.message = "Something odd.";
    result.findings.push_back(unknown);
    test::check_sarif_valid(report::to_sarif(result));
}
