// Fingerprints that survive edits, and the baseline built on them: edit-and-rerun tests.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "support.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using test::kQuery;
using test::kRoute;
using test::kWrite;
using test::run_json;

std::string q(const fs::path& p) {
    return test::shell_quote(p.string());
}

/// rule@line of each finding.
std::set<std::string> found(const json& doc) {
    std::set<std::string> out;
    for (const auto& f : doc["findings"])
        out.insert(f["rule"].get<std::string>() + "@" + std::to_string(f["line"].get<int>()));
    return out;
}

}  // namespace

TEST_CASE("baseline: inserting lines above a finding keeps its fingerprint", "[baseline]") {
    test::TempDir dir;
    dir.write(kRoute, kQuery);
    json before = run_json(dir);
    REQUIRE(before["findings"].size() == 1);
    CHECK(before["findings"][0]["line"] == 1);
    std::string fp = before["findings"][0]["fingerprint"];
    auto sarif_before = json::parse(test::run_nextguard("--format sarif .", dir.path()).out);
    std::string sarif_fp = sarif_before["runs"][0]["results"][0]["partialFingerprints"]["primaryLocationLineHash"];
    CHECK(sarif_fp == fp);

    // Lines above: imports, a comment, blank lines and unrelated code.
    dir.write(kRoute,
              "import { prisma } from '@/lib/db';\n"
              "\n"
              "// Items of the shop.\n"
              "const PAGE = 20;\n"
              "\n" +
                  kQuery);
    json after = run_json(dir);
    REQUIRE(after["findings"].size() == 1);
    CHECK(after["findings"][0]["line"] == 6);
    CHECK(after["findings"][0]["fingerprint"] == fp);
    auto sarif_after = json::parse(test::run_nextguard("--format sarif .", dir.path()).out);
    CHECK(sarif_after["runs"][0]["results"][0]["partialFingerprints"]["primaryLocationLineHash"] == fp);

    // Reformatting the handler (the statement spread over lines, reindented) keeps it too.
    dir.write(kRoute,
              "const PAGE = 20;\n"
              "export async function GET() {\n"
              "    return Response.json(\n"
              "        await prisma.item.findMany()\n"
              "    );\n"
              "}\n");
    json reformatted = run_json(dir);
    REQUIRE(reformatted["findings"].size() == 1);
    CHECK(reformatted["findings"][0]["line"] == 4);
    CHECK(reformatted["findings"][0]["fingerprint"] == fp);

    // A different statement, rule or entry point gives another fingerprint.
    dir.write(kRoute, "export async function GET() { return Response.json(await prisma.order.findMany()); }\n");
    // (`orders` also reads as someone's rows, so missing-auth joins: compare the same rule's.)
    auto unpaginated = [](const json& doc) {
        std::vector<std::string> fps;
        for (const auto& f : doc["findings"])
            if (f["rule"] == "unpaginated-query") fps.push_back(f["fingerprint"]);
        return fps;
    };
    auto other_statement = unpaginated(run_json(dir));
    REQUIRE(other_statement.size() == 1);
    CHECK(other_statement[0] != fp);
    dir.write("app/api/y/route.ts", kQuery);
    fs::remove(dir.path() / kRoute);
    auto other_entry = unpaginated(run_json(dir));
    REQUIRE(other_entry.size() == 1);
    CHECK(other_entry[0] != fp);
}

TEST_CASE("baseline: identical statements get distinct fingerprints that survive edits", "[baseline]") {
    test::TempDir dir;
    std::string two =
        "export async function GET() {\n"
        "  const a = await prisma.item.findMany();\n"
        "  const b = await prisma.item.findMany();\n"
        "  return Response.json([a, b]);\n"
        "}\n";
    dir.write(kRoute, two);
    json before = run_json(dir);
    REQUIRE(before["findings"].size() == 2);
    std::string fp1 = before["findings"][0]["fingerprint"], fp2 = before["findings"][1]["fingerprint"];
    CHECK(fp1 != fp2);
    dir.write(kRoute, "// header\n\n\n" + two);
    json after = run_json(dir);
    REQUIRE(after["findings"].size() == 2);
    CHECK(after["findings"][0]["fingerprint"] == fp1);
    CHECK(after["findings"][1]["fingerprint"] == fp2);
}

TEST_CASE("baseline: write it, then only new findings are reported", "[baseline]") {
    test::TempDir dir;
    test::TempDir out;  // the baseline lives outside the analyzed folder
    auto base = out.path() / "nextguard-baseline.json";
    dir.write(kRoute, kQuery);

    auto w = test::run_nextguard("--color never --write-baseline " + q(base) + " .", dir.path());
    INFO(w.out << w.err);
    CHECK(w.exit_code == 0);
    CHECK(w.err.find("nextguard: note: wrote 1 finding to the baseline") != std::string::npos);
    REQUIRE(fs::exists(base));
    size_t files = 0;
    for (auto& e : fs::directory_iterator(out.path())) files += e.path() != base;
    CHECK(files == 0);  // written atomically: no temp file left behind

    json b = json::parse(test::read_file(base));
    CHECK(b["version"] == 1);
    REQUIRE(b["findings"].size() == 1);
    json today = run_json(dir);
    CHECK(b["findings"][0]["rule"] == "unpaginated-query");
    CHECK(b["findings"][0]["file"] == kRoute);
    CHECK(b["findings"][0]["fingerprint"] == today["findings"][0]["fingerprint"]);
    CHECK(b["findings"][0]["message"] == today["findings"][0]["message"]);

    // Unchanged code: nothing to report, and the run says how many were baselined.
    auto r = test::run_nextguard("--color never --fail-on warning --baseline " + q(base) + " .", dir.path());
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("no findings") == 0);
    CHECK(r.err.find("nextguard: note: 1 finding in the baseline") != std::string::npos);

    // A new finding: only it is reported.
    dir.write(kRoute, kQuery + kWrite);
    json doc = run_json(dir, "--baseline " + q(base));
    CHECK(found(doc) == std::set<std::string>{"missing-auth@2"});
    REQUIRE(doc["errors"].size() == 1);
    CHECK(doc["errors"][0]["severity"] == "note");
    // the new finding fails a run that fails on warnings
    CHECK(test::run_nextguard("--fail-on warning --baseline " + q(base) + " .", dir.path()).exit_code == 1);

    // A second copy of a baselined statement in the same entry point is new, too.
    dir.write(kRoute,
              "export async function GET() {\n"
              "  const a = await prisma.item.findMany();\n"
              "  return Response.json([a, await prisma.item.findMany()]);\n"
              "}\n");
    CHECK(run_json(dir, "--baseline " + q(base))["findings"].size() == 1);

    // SARIF with a baseline: only the new result, and still valid.
    dir.write(kRoute, kQuery + kWrite);
    auto sarif = test::run_nextguard("--format sarif --baseline " + q(base) + " .", dir.path());
    json log = json::parse(sarif.out);
    REQUIRE(log["runs"][0]["results"].size() == 1);
    CHECK(log["runs"][0]["results"][0]["ruleId"] == "missing-auth");
    test::check_sarif_valid(sarif.out);
}

TEST_CASE("baseline: a finding whose code moved stays baselined", "[baseline]") {
    test::TempDir dir;
    auto base = dir.path() / "baseline.json";
    dir.write(kRoute, kQuery + kWrite);
    REQUIRE(test::run_nextguard("--write-baseline baseline.json .", dir.path()).exit_code == 0);
    REQUIRE(json::parse(test::read_file(base))["findings"].size() == 2);

    // Handlers swapped, lines inserted above and between, the query spread over lines.
    dir.write(kRoute,
              "import { prisma } from '@/lib/db';\n"
              "\n" +
                  kWrite +
                  "\n"
                  "// list\n"
                  "export async function GET() {\n"
                  "  const rows = await prisma.item.findMany();\n"
                  "  return Response.json(rows);\n"
                  "}\n");
    json moved = run_json(dir);
    CHECK(found(moved) == std::set<std::string>{"missing-auth@3", "unpaginated-query@7"});
    json doc = run_json(dir, "--baseline baseline.json");
    CHECK(doc["findings"].empty());
    auto r = test::run_nextguard("--fail-on warning --baseline baseline.json .", dir.path());
    CHECK(r.exit_code == 0);
}

TEST_CASE("baseline: rewriting it after a fix drops the fixed finding", "[baseline]") {
    test::TempDir dir;
    auto base = dir.path() / "baseline.json";
    dir.write(kRoute, kQuery + kWrite);
    REQUIRE(test::run_nextguard("--write-baseline baseline.json .", dir.path()).exit_code == 0);
    auto rules_in = [&] {
        std::set<std::string> out;
        json doc = json::parse(test::read_file(base));
        for (const auto& e : doc["findings"]) out.insert(e["rule"].get<std::string>());
        return out;
    };
    CHECK(rules_in() == std::set<std::string>{"missing-auth", "unpaginated-query"});

    // Fix the query (paginate it).
    dir.write(
        kRoute,
        "export async function GET() { return Response.json(await prisma.item.findMany({ take: 20 })); }\n" + kWrite);
    auto r = test::run_nextguard("--color never --baseline baseline.json .", dir.path());
    INFO(r.out << r.err);
    CHECK(r.out.find("no findings") == 0);
    CHECK(r.err.find("1 baseline entry matches nothing any more") != std::string::npos);

    r = test::run_nextguard("--write-baseline baseline.json .", dir.path());
    CHECK(r.exit_code == 0);
    CHECK(rules_in() == std::set<std::string>{"missing-auth"});
    // The fixed query, reintroduced, is new again.
    dir.write(kRoute, kQuery + kWrite);
    CHECK(found(run_json(dir, "--baseline baseline.json")) == std::set<std::string>{"unpaginated-query@1"});
}

TEST_CASE("baseline: suppressed findings stay out of it, and a bad baseline is an error", "[baseline]") {
    test::TempDir dir;
    dir.write(kRoute, "// nextguard-ignore-next-line unpaginated-query -- admin only\n" + kQuery + kWrite);
    REQUIRE(test::run_nextguard("--write-baseline baseline.json .", dir.path()).exit_code == 0);
    json b = json::parse(test::read_file(dir.path() / "baseline.json"));
    REQUIRE(b["findings"].size() == 1);
    CHECK(b["findings"][0]["rule"] == "missing-auth");
    // The suppressed finding keeps its SARIF suppression under a baseline.
    json doc = run_json(dir, "--baseline baseline.json");
    REQUIRE(doc["findings"].size() == 1);
    CHECK(doc["findings"][0]["suppressed"] == true);

    auto missing = test::run_nextguard("--baseline nope.json .", dir.path());
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.find("cannot read baseline nope.json") != std::string::npos);
    dir.write("broken.json", "{\"version\": 1, \"findings\": [");
    auto broken = test::run_nextguard("--baseline broken.json .", dir.path());
    CHECK(broken.exit_code == 2);
    CHECK(broken.err.find("baseline broken.json is not valid JSON") != std::string::npos);
    dir.write("v2.json", R"({"version": 2, "findings": []})");
    auto v2 = test::run_nextguard("--baseline v2.json .", dir.path());
    CHECK(v2.exit_code == 2);
    CHECK(v2.err.find("unsupported version") != std::string::npos);
    auto unwritable = test::run_nextguard("--write-baseline missing-dir/b.json .", dir.path());
    CHECK(unwritable.exit_code == 2);
    CHECK(unwritable.err.find("cannot write baseline") != std::string::npos);
}
