// The Filter stage: inline suppressions and rule levels, end to end on small projects.
#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "engine/suppressions.hpp"
#include "support.hpp"

using nextguard::engine::scan_suppressions;
using nextguard::engine::Suppression;
using nlohmann::json;

namespace {

using test::kQuery;
using test::kRoute;
using test::kWrite;
using test::run_json;

/// The findings that are not suppressed.
std::vector<json> active(const json& doc) {
    std::vector<json> out;
    for (const auto& f : doc["findings"])
        if (!f["suppressed"].get<bool>()) out.push_back(f);
    return out;
}

bool has_line(const std::string& text, const std::string& needle) {
    return text.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("suppressions: the scanner reads directives, ids, reasons and targets", "[suppressions]") {
    auto s = scan_suppressions(
        "// nextguard-ignore-next-line unpaginated-query -- admin only\n"                     // 1
        "\n"                                                                                  // 2
        "// another comment\n"                                                                // 3
        "/**\n"                                                                               // 4
        " * JSDoc: nextguard-ignore-file missing-auth -- not a directive\n"                   // 5
        " */\n"                                                                               // 6
        "const a = 1;\n"                                                                      // 7
        "/* nextguard-ignore-next-line missing-auth,unvalidated-input */\n"                   // 8
        "{/* nextguard-ignore-next-line untransacted-writes -- jsx */}\n"                     // 9
        "  const b = 2; // nextguard-ignore-file missing-auth unpaginated-query -- legacy\n"  // 10
        "const c = 3;\n"                                                                      // 11
        "// nextguard-ignore-line missing-auth -- typo\n"                                     // 12
        "// nextguard-ignore-next-line -- no ids\n"                                           // 13
        "// nextguard-ignore-next-line Missing_Auth -- bad id\n");                            // 14
    REQUIRE(s.size() == 7);
    CHECK(s[0].scope == Suppression::Scope::NextLine);
    CHECK(s[0].line == 1);
    CHECK(s[0].target == 7);  // blank lines, comments and a JSDoc block are skipped
    CHECK(s[0].rules == std::vector<std::string>{"unpaginated-query"});
    CHECK(s[0].reason == "admin only");
    CHECK(s[0].error.empty());

    CHECK(s[1].line == 8);
    CHECK(s[1].rules == std::vector<std::string>{"missing-auth", "unvalidated-input"});
    CHECK(s[1].reason.empty());
    CHECK(s[1].target == 10);  // line 9 is a JSX comment only
    CHECK(s[2].line == 9);
    CHECK(s[2].reason == "jsx");
    CHECK(s[2].target == 10);

    CHECK(s[3].scope == Suppression::Scope::File);
    CHECK(s[3].line == 10);
    CHECK(s[3].rules == std::vector<std::string>{"missing-auth", "unpaginated-query"});
    CHECK(s[3].reason == "legacy");

    CHECK(s[4].line == 12);
    CHECK(has_line(s[4].error, "unknown directive"));
    CHECK(s[5].line == 13);
    CHECK(has_line(s[5].error, "names no rule"));
    CHECK(s[6].line == 14);
    CHECK(has_line(s[6].error, "Missing_Auth"));

    CHECK(scan_suppressions("const url = 'https://example.com';\n").empty());
    // A next-line directive at the end of the file applies to nothing.
    auto last = scan_suppressions("x();\n// nextguard-ignore-next-line missing-auth -- why\n");
    REQUIRE(last.size() == 1);
    CHECK(last[0].target == 0);
}

TEST_CASE("suppressions: next-line hides a finding in text, flags it in JSON and keeps it in SARIF", "[suppressions]") {
    test::TempDir dir;
    dir.write(kRoute,
              "// nextguard-ignore-next-line unpaginated-query -- admin-only list, at most 50 rows\n"
              "\n"
              "// (a comment between the directive and the code)\n" +
                  kQuery);

    auto text = test::run_nextguard("--color never --fail-on warning .", dir.path());
    INFO(text.out << text.err);
    CHECK(text.exit_code == 0);  // a suppressed finding does not fail the run
    CHECK(text.err.empty());
    CHECK_FALSE(has_line(text.out, "unpaginated-query"));
    CHECK(std::regex_search(text.out, std::regex("^no findings \\(1 suppressed\\) \xC2\xB7 1 file analyzed")));

    json doc = run_json(dir);
    REQUIRE(doc["findings"].size() == 1);
    const json& f = doc["findings"][0];
    CHECK(f["rule"] == "unpaginated-query");
    CHECK(f["line"] == 4);
    CHECK(f["suppressed"] == true);
    CHECK(f["suppressionReason"] == "admin-only list, at most 50 rows");
    CHECK(f.contains("fingerprint"));  // existing fields are kept
    CHECK(f.contains("entry"));

    auto sarif = test::run_nextguard("--format sarif .", dir.path());
    REQUIRE(sarif.exit_code == 0);
    json log = json::parse(sarif.out);
    const json& results = log["runs"][0]["results"];
    REQUIRE(results.size() == 1);
    CHECK(results[0]["ruleId"] == "unpaginated-query");
    CHECK(results[0]["suppressions"] ==
          json::parse(R"([{"kind":"inSource","justification":"admin-only list, at most 50 rows"}])"));
    test::check_sarif_valid(sarif.out);
}

TEST_CASE("suppressions: the right rule id is needed, and several ids may be listed", "[suppressions]") {
    test::TempDir dir;
    SECTION("a wrong id suppresses nothing") {
        dir.write(kRoute, "// nextguard-ignore-next-line missing-auth -- wrong rule\n" + kQuery);
        json doc = run_json(dir);
        REQUIRE(doc["findings"].size() == 1);
        CHECK(doc["findings"][0]["suppressed"] == false);
        CHECK(doc["findings"][0]["suppressionReason"].is_null());
    }
    SECTION("a next-line directive covers only the next line of code") {
        dir.write(kRoute, "// nextguard-ignore-next-line unpaginated-query -- only GET\n" + kQuery + kWrite);
        json doc = run_json(dir);
        REQUIRE(doc["findings"].size() == 2);
        CHECK(doc["findings"][0]["rule"] == "unpaginated-query");
        CHECK(doc["findings"][0]["suppressed"] == true);
        CHECK(doc["findings"][1]["rule"] == "missing-auth");
        CHECK(doc["findings"][1]["suppressed"] == false);
    }
    SECTION("several ids, separated by commas or spaces") {
        dir.write(kRoute,
                  "export async function POST() {\n"
                  "  await prisma.item.create({ data: {} });\n"
                  "  // nextguard-ignore-next-line missing-auth, unpaginated-query untransacted-writes -- seed\n"
                  "  return Response.json(await prisma.item.findMany());\n"
                  "}\n");
        json doc = run_json(dir);
        REQUIRE(doc["findings"].size() == 2);
        CHECK(doc["findings"][0]["rule"] == "missing-auth");  // reported at the function, line 1
        CHECK(doc["findings"][0]["suppressed"] == false);
        CHECK(doc["findings"][1]["rule"] == "unpaginated-query");
        CHECK(doc["findings"][1]["line"] == 4);
        CHECK(doc["findings"][1]["suppressed"] == true);
        CHECK(doc["findings"][1]["suppressionReason"] == "seed");
        dir.write(kRoute, "// nextguard-ignore-next-line unpaginated-query,missing-auth -- both\n" + kWrite);
        doc = run_json(dir);
        REQUIRE(doc["findings"].size() == 1);
        CHECK(doc["findings"][0]["rule"] == "missing-auth");
        CHECK(doc["findings"][0]["suppressed"] == true);
        CHECK(doc["findings"][0]["suppressionReason"] == "both");
    }
    SECTION("a one-line block comment works too") {
        dir.write(kRoute, "/* nextguard-ignore-next-line unpaginated-query -- block form */\n" + kQuery);
        json doc = run_json(dir);
        REQUIRE(doc["findings"].size() == 1);
        CHECK(doc["findings"][0]["suppressed"] == true);
        CHECK(doc["findings"][0]["suppressionReason"] == "block form");
    }
}

TEST_CASE("suppressions: nextguard-ignore-file covers every finding of its rules in the file", "[suppressions]") {
    test::TempDir dir;
    dir.write("app/api/y/route.ts", kQuery);  // another file: not covered
    SECTION("one id") {
        dir.write(kRoute, "// nextguard-ignore-file unpaginated-query -- internal admin API\n\n" + kQuery + kWrite);
        json doc = run_json(dir);
        auto left = active(doc);
        REQUIRE(left.size() == 2);
        CHECK(left[0]["rule"] == "missing-auth");
        CHECK(left[0]["file"] == kRoute);
        CHECK(left[1]["rule"] == "unpaginated-query");
        CHECK(left[1]["file"] == "app/api/y/route.ts");
        REQUIRE(doc["findings"].size() == 3);  // the covered one stays in JSON, flagged
        int suppressed = 0;
        for (const auto& f : doc["findings"])
            if (f["suppressed"] == true) {
                ++suppressed;
                CHECK(f["rule"] == "unpaginated-query");
                CHECK(f["file"] == kRoute);
                CHECK(f["suppressionReason"] == "internal admin API");
            }
        CHECK(suppressed == 1);
    }
    SECTION("several ids") {
        dir.write(kRoute, kQuery + kWrite + "// nextguard-ignore-file unpaginated-query missing-auth -- legacy\n");
        json doc = run_json(dir);
        auto left = active(doc);
        REQUIRE(left.size() == 1);
        CHECK(left[0]["file"] == "app/api/y/route.ts");
        CHECK(doc["findings"].size() == 3);
        auto r = test::run_nextguard("--color never .", dir.path());
        CHECK(r.exit_code == 0);  // the missing-auth error is suppressed
        CHECK(has_line(r.out, "1 finding in 1 file (2 suppressed)"));
    }
    SECTION("a wrong id") {
        dir.write(kRoute, "// nextguard-ignore-file untransacted-writes -- not this one\n" + kQuery);
        json doc = run_json(dir);
        CHECK(active(doc).size() == 2);
    }
}

TEST_CASE("suppressions: a missing reason is a warning naming file:line but still suppresses", "[suppressions]") {
    test::TempDir dir;
    dir.write(kRoute, "\n// nextguard-ignore-next-line unpaginated-query\n" + kQuery);
    auto r = test::run_nextguard("--color never .", dir.path());
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(has_line(r.err, "nextguard: warning: app/api/x/route.ts:2: nextguard-ignore-next-line without a reason"));
    CHECK(has_line(r.out, "no findings (1 suppressed)"));
    json doc = run_json(dir);
    REQUIRE(doc["errors"].size() == 1);
    CHECK(doc["errors"][0]["file"] == kRoute);
    CHECK(doc["errors"][0]["line"] == 2);
    CHECK(doc["errors"][0]["severity"] == "warning");
    CHECK(doc["findings"][0]["suppressed"] == true);
    CHECK(doc["findings"][0]["suppressionReason"] == "");

    // SARIF: a suppression without a justification, still valid.
    auto sarif = test::run_nextguard("--format sarif .", dir.path());
    json log = json::parse(sarif.out);
    CHECK(log["runs"][0]["results"][0]["suppressions"] == json::parse(R"([{"kind":"inSource"}])"));
    test::check_sarif_valid(sarif.out);
}

TEST_CASE("suppressions: malformed comments and unknown rule ids are reported", "[suppressions]") {
    test::TempDir dir;
    dir.write(kRoute,
              "// nextguard-ignore-line unpaginated-query -- typo in the directive\n"
              "// nextguard-ignore-next-line unpaginated-qery -- typo in the id\n" +
                  kQuery);
    auto r = test::run_nextguard("--color never .", dir.path());
    INFO(r.out << r.err);
    CHECK(has_line(r.err, "app/api/x/route.ts:1: malformed suppression comment, ignored: unknown directive"));
    CHECK(has_line(r.err, "app/api/x/route.ts:2: nextguard-ignore-next-line names unknown rule 'unpaginated-qery'"));
    CHECK(has_line(r.out, "1 finding in 1 file"));  // nothing suppressed
}

TEST_CASE("suppressions: --report-unused-suppressions lists those that match nothing", "[suppressions]") {
    test::TempDir dir;
    dir.write(kRoute,
              "// nextguard-ignore-file missing-auth -- no writes here\n"                 // unused
              "// nextguard-ignore-next-line unpaginated-query, missing-auth -- mixed\n"  // missing-auth unused
                  + kQuery +
                  "const x = 1;  // nextguard-ignore-next-line unpaginated-query -- stale\n"  // unused
                  "export const dynamic = 'force-dynamic';\n");
    auto plain = test::run_nextguard("--color never .", dir.path());
    INFO(plain.out << plain.err);
    CHECK(plain.err.empty());  // not listed without the flag
    CHECK(has_line(plain.out, "no findings (1 suppressed)"));

    auto r = test::run_nextguard("--color never --report-unused-suppressions .", dir.path());
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(has_line(r.err, "app/api/x/route.ts:1: unused suppression: nextguard-ignore-file missing-auth"));
    CHECK(has_line(r.err, "app/api/x/route.ts:2: unused suppression: nextguard-ignore-next-line missing-auth"));
    CHECK_FALSE(has_line(r.err, "route.ts:2: unused suppression: nextguard-ignore-next-line unpaginated-query"));
    CHECK(has_line(r.err,
                   "app/api/x/route.ts:4: unused suppression: nextguard-ignore-next-line unpaginated-query "
                   "matches no finding on line 5"));
    json doc = run_json(dir, "--report-unused-suppressions");
    CHECK(doc["errors"].size() == 3);

    // A rule that did not run cannot be called unused.
    auto off = test::run_nextguard("--color never --report-unused-suppressions --rule missing-auth=off .", dir.path());
    CHECK_FALSE(has_line(off.err, "missing-auth"));
    CHECK(has_line(off.err, "route.ts:4: unused suppression"));
}

TEST_CASE("suppressions: rule levels from the config and --rule", "[suppressions]") {
    test::TempDir dir;
    dir.write(kRoute, kQuery + kWrite);
    auto levels = [&](const std::string& args) {
        std::map<std::string, std::string> out;
        json doc = run_json(dir, args);
        for (const auto& f : doc["findings"]) out[f["rule"].get<std::string>()] = f["severity"].get<std::string>();
        return out;
    };
    using M = std::map<std::string, std::string>;
    // both are warnings by default (levels follow measured precision: rules/*.md)
    CHECK(levels("") == M{{"missing-auth", "warning"}, {"unpaginated-query", "warning"}});
    CHECK(levels("--rule missing-auth=off") == M{{"unpaginated-query", "warning"}});
    CHECK(levels("--rule unpaginated-query=error --rule missing-auth=warn") ==
          M{{"missing-auth", "warning"}, {"unpaginated-query", "error"}});
    CHECK(levels("--rule missing-auth=error") == M{{"missing-auth", "error"}, {"unpaginated-query", "warning"}});
    CHECK(test::run_nextguard(".", dir.path()).exit_code == 0);  // warnings do not fail by default
    CHECK(levels("--rule missing-auth=off --rule missing-auth=error") ==
          M{{"missing-auth", "error"}, {"unpaginated-query", "warning"}});  // the last one wins
    CHECK(test::run_nextguard("--rule unpaginated-query=error --rule missing-auth=off .", dir.path()).exit_code == 1);
    CHECK(test::run_nextguard("--rule missing-auth=off .", dir.path()).exit_code == 0);

    // nextguard.json sets levels; --rule beats it.
    dir.write("nextguard.json", R"({"rules": {"unpaginated-query": "off", "missing-auth": "warn"}})");
    CHECK(levels("") == M{{"missing-auth", "warning"}});
    CHECK(levels("--rule unpaginated-query=error") == M{{"missing-auth", "warning"}, {"unpaginated-query", "error"}});
    CHECK(levels("--rule missing-auth=off") == M{});
}
