// Bad input never stops the run: each problem gets a note, the good files are still analyzed.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <nlohmann/json.hpp>

#include "support.hpp"

namespace fs = std::filesystem;

namespace {

/// True when the report's `errors` hold a note about `file` whose message contains `needle`.
bool has_error(const nlohmann::json& report, const std::string& file, const std::string& needle) {
    for (const auto& e : report["errors"])
        if (e["file"] == file && e["message"].get<std::string>().find(needle) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("bad input: notes for every bad file, findings for the good ones", "[bad-input]") {
    test::TempDir dir;
    dir.write("package.json", R"({"dependencies":{"next":"15.0.0"}})");
    dir.write("tsconfig.json", "{ \"compilerOptions\": { \"paths\": { \"@/*\": [\"./*\"] ");  // truncated
    dir.write("app/api/good/route.ts",
              "export async function GET() {\n  return Response.json(await prisma.item.findMany());\n}\n");
    dir.write("app/api/binary/route.ts", std::string("export const x = 1;\0\x01\x02", 22));
    dir.write("app/api/latin1/route.ts",
              "// caf\xe9 (Latin-1, not UTF-8)\nexport async function GET() {\n"
              "  return Response.json(await prisma.menu.findMany());\n}\n");
    dir.write("app/api/broken/route.ts", "export async function GET( {\n  return prisma.x.findMany(\n");
    dir.write("lib/huge.ts", "export const big = \"" + std::string(3 * 1024 * 1024, 'a') + "\";\n");
    // 100,000 levels, one per line (a single long line would be skipped as minified).
    std::string open, close, parens;
    for (int i = 0; i < 100000; ++i) open += "[\n", close += "]\n", parens += "f(\n";
    dir.write("lib/deep.ts", "export const deep = " + open + close + ";\n");
    dir.write("lib/deep-calls.ts", "export const calls = " + parens + "1" + std::string(100000, ')') + ";\n");
    fs::create_directory_symlink(dir.path(), dir.path() / "lib" / "loop");
    fs::create_symlink(dir.path() / "missing.ts", dir.path() / "lib" / "dangling.ts");

    auto r = test::run_nextguard("--format json " + test::shell_quote(dir.path().string()));
    INFO("stderr:\n" << r.err);
    CHECK((r.exit_code == 0 || r.exit_code == 1));
    auto j = nlohmann::json::parse(r.out);

    std::set<std::string> files;
    for (const auto& f : j["findings"]) files.insert(f["file"].get<std::string>() + ":" + std::to_string(f["line"].get<int>()));
    CHECK(files.count("app/api/good/route.ts:2"));
    CHECK(files.count("app/api/latin1/route.ts:3"));

    CHECK(has_error(j, "app/api/binary/route.ts", "binary"));
    CHECK(has_error(j, "app/api/latin1/route.ts", "UTF-8"));
    CHECK(has_error(j, "app/api/broken/route.ts", "syntax error"));
    CHECK(has_error(j, "lib/huge.ts", "MiB"));
    CHECK(has_error(j, "lib/deep.ts", "nesting"));
    CHECK(has_error(j, "lib/deep-calls.ts", "nesting"));
    CHECK(has_error(j, "tsconfig.json", ""));
    CHECK(has_error(j, "lib/loop", "loop"));
    CHECK(has_error(j, "lib/dangling.ts", ""));
    // Every note also reaches stderr, one line each, naming the file.
    CHECK(r.err.find("lib/huge.ts") != std::string::npos);
    CHECK(r.err.find("app/api/binary/route.ts") != std::string::npos);
    CHECK(r.err.find("tsconfig.json") != std::string::npos);
}

TEST_CASE("bad input: usage errors exit 2 with a one-line reason", "[bad-input]") {
    auto r = test::run_nextguard("--format xml .");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--format") != std::string::npos);
    r = test::run_nextguard("/no/such/folder/anywhere");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("/no/such/folder/anywhere") != std::string::npos);
    r = test::run_nextguard("--bogus");
    CHECK(r.exit_code == 2);
    r = test::run_nextguard("--jobs 0 .");
    CHECK(r.exit_code == 2);
}

TEST_CASE("bad input: empty project and empty files", "[bad-input]") {
    test::TempDir dir;
    dir.write("app/api/empty/route.ts", "");
    auto r = test::run_nextguard("--format json " + test::shell_quote(dir.path().string()));
    CHECK(r.exit_code == 0);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["findings"].empty());
    CHECK(j["stats"]["filesAnalyzed"] == 1);
}

TEST_CASE("bad input: component files no server code imports are read, not parsed", "[bad-input]") {
    test::TempDir dir;
    dir.write("package.json", R"({"dependencies":{"next":"15.0.0"}})");
    dir.write("app/api/x/route.ts", "import { Card } from \"../../../components/card\";\nexport function GET() {}\n");
    dir.write("components/card.tsx", "export function Card( {\n");  // imported by the route: parsed
    dir.write("components/chart.tsx", "export function Chart( {\n");  // imported by nothing parsed
    dir.write("components/logo.tsx", std::string("export const x = 1;\0", 20));  // binary: noted all the same

    auto j = test::run_json(dir);
    CHECK(j["stats"]["filesAnalyzed"] == 2);
    CHECK(j["stats"]["filesUnreached"] == 1);
    CHECK(j["stats"]["filesSkipped"] == 1);
    CHECK(has_error(j, "components/card.tsx", "syntax error"));
    CHECK_FALSE(has_error(j, "components/chart.tsx", ""));
    CHECK(has_error(j, "components/logo.tsx", "binary"));

    // The file an editor sends is parsed whatever imports it.
    auto r = test::run_nextguard("--format json --stdin-filename components/chart.tsx .", dir.path(),
                                 "export function Chart( {\n");
    INFO(r.err);
    auto e = nlohmann::json::parse(r.out);
    CHECK(has_error(e, "components/chart.tsx", "syntax error"));
    CHECK(e["stats"]["filesUnreached"] == 0);
}
