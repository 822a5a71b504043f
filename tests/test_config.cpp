// nextguard.json: parsing, errors, `ignore` globs, `publicRoutes` and the shipped schema.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/config.hpp"
#include "project/jsonc.hpp"
#include "rules/rule.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using nextguard::Severity;
using nlohmann::json;
using namespace nextguard::engine;

namespace {

/// The message of the exception `parse_config` throws for `text`, or "" when it parses.
std::string config_error(const std::string& text) {
    try {
        parse_config("nextguard.json", text);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}

/// A Next.js project with three routes that write without authenticating:
/// /api/items, /api/catalog and /api/catalog/[id].
void write_project(const test::TempDir& dir) {
    dir.write("package.json", R"({"dependencies":{"next":"15.0.0","@prisma/client":"5.0.0"}})");
    dir.write("lib/prisma.ts",
              "import { PrismaClient } from \"@prisma/client\";\nexport const prisma = new PrismaClient();\n");
    auto route = [](const std::string& lib) {
        return "import { prisma } from \"" + lib +
               "/lib/prisma\";\n"
               "export async function POST() {\n"
               "  const item = await prisma.item.create({ data: { name: \"x\" } });\n"
               "  return Response.json(item);\n"
               "}\n";
    };
    dir.write("app/api/items/route.ts", route("../../.."));
    dir.write("app/api/catalog/route.ts", route("../../.."));
    dir.write("app/api/catalog/[id]/route.ts", route("../../../.."));
}

/// The (file, rule) pairs of a JSON report.
std::set<std::string> findings_of(const test::RunResult& r) {
    std::set<std::string> out;
    auto report = json::parse(r.out);
    for (const auto& f : report["findings"])
        out.insert(f["file"].get<std::string>() + " " + f["rule"].get<std::string>());
    return out;
}

}  // namespace

TEST_CASE("config: valid files", "[config]") {
    SECTION("empty object gives the defaults and the built-in knowledge") {
        Config c = parse_config("nextguard.json", "{}");
        CHECK(c.rules.empty());
        CHECK(c.ignore.empty());
        CHECK(c.public_routes.empty());
        CHECK(c.knowledge.libraries.size() == nextguard::analysis::Knowledge::builtin().libraries.size());
    }
    SECTION("every key, with comments and trailing commas") {
        Config c = parse_config("nextguard.json", R"({
  // editor completion
  "$schema": "./nextguard.schema.json",
  "rules": {
    "missing-auth": "error",
    "unpaginated-query": "off",
    "unvalidated-input": "warn",
  },
  "ignore": ["legacy/", "**/*.generated.ts"],
  "publicRoutes": ["/api/public/:path*", "/api/health"],
  /* our own auth helper */
  "knowledge": [
    { "library": "acme-auth", "auth": [{ "function": "getMember", "from": ["@acme/auth"] }] },
  ],
})");
        REQUIRE(c.rules.size() == 3);
        CHECK(c.rules.at("missing-auth") == Severity::Error);
        CHECK(c.rules.at("unvalidated-input") == Severity::Warning);
        CHECK_FALSE(c.rules.at("unpaginated-query").has_value());
        CHECK(c.ignore == std::vector<std::string>{"legacy/", "**/*.generated.ts"});
        CHECK(c.public_routes == std::vector<std::string>{"/api/public/:path*", "/api/health"});
        CHECK(c.knowledge.libraries.size() == nextguard::analysis::Knowledge::builtin().libraries.size() + 1);
        CHECK(c.knowledge.libraries.back().name == "acme-auth");
    }
}

TEST_CASE("config: errors name the file with the line and column or the JSON path", "[config]") {
    struct Case {
        const char* what;
        std::string text;
        std::string message;  // the whole message, or its start when `prefix`
        bool prefix = false;
    };
    const std::vector<Case> cases = {
        {"invalid JSON", "{\n  \"rules\": {\n    \"missing-auth\" \"warn\"\n  }\n}", "nextguard.json: line 3, column ",
         true},
        {"truncated JSON", "{\n  \"ignore\": [\n", "nextguard.json: line 3, column ", true},
        {"not an object", "[]",
         "nextguard.json: $: must be an object with the keys $schema, rules, ignore, publicRoutes, knowledge"},
        {"unknown key", R"({ "ruls": {} })",
         "nextguard.json: $.ruls: unknown key (allowed: $schema, rules, ignore, publicRoutes, knowledge)"},
        {"$schema not a string", R"({ "$schema": 1 })", "nextguard.json: $.$schema: must be a string"},
        {"rules not an object", R"({ "rules": ["missing-auth"] })",
         "nextguard.json: $.rules: must be an object mapping rule ids to \"error\", \"warn\" or \"off\""},
        {"bad level", R"({ "rules": { "missing-auth": "warning" } })",
         "nextguard.json: $.rules.missing-auth: must be \"error\", \"warn\" or \"off\", not \"warning\""},
        {"level of the wrong type", R"({ "rules": { "missing-auth": false } })",
         "nextguard.json: $.rules.missing-auth: must be \"error\", \"warn\" or \"off\", not false"},
        {"unknown rule", R"({ "rules": { "missing-auht": "off" } })",
         "nextguard.json: $.rules.missing-auht: unknown rule (known: error-leak, hardcoded-secret, insecure-cookie, jwt-misuse, missing-auth, missing-rate-limit, open-redirect, permissive-cors, "
         "sql-injection, ssrf, unpaginated-query, untransacted-writes, unvalidated-input)"},
        {"ignore not an array", R"({ "ignore": "legacy/" })",
         "nextguard.json: $.ignore: must be an array of strings (gitignore-style globs relative to the analyzed root)"},
        {"ignore item not a string", R"({ "ignore": ["a", 2] })",
         "nextguard.json: $.ignore[1]: must be a string (gitignore-style globs relative to the analyzed root)"},
        {"empty ignore glob", R"({ "ignore": ["!/"] })",
         "nextguard.json: $.ignore[0]: must be a non-empty glob, not \"!/\""},
        {"publicRoutes not an array", R"({ "publicRoutes": {} })",
         "nextguard.json: $.publicRoutes: must be an array of strings", true},
        {"publicRoutes item not a string", R"({ "publicRoutes": [null] })",
         "nextguard.json: $.publicRoutes[0]: must be a string", true},
        {"publicRoutes item without a leading slash", R"({ "publicRoutes": ["/ok", "api/public"] })",
         "nextguard.json: $.publicRoutes[1]: \"api/public\" is not a valid matcher pattern", true},
        {"knowledge not an array", R"({ "knowledge": {} })",
         "nextguard.json: $.knowledge: must be an array of library objects"},
        {"knowledge with an unknown key", R"({ "knowledge": [ { "library": "x", "auht": [] } ] })",
         "nextguard.json#knowledge[0]: $.auht: unknown key", true},
        {"knowledge of the wrong type", R"({ "knowledge": [ { "library": "x", "auth": {} } ] })",
         "nextguard.json#knowledge[0]: $.auth: must be an array"},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        std::string got = config_error(c.text);
        if (c.prefix)
            CHECK(got.substr(0, c.message.size()) == c.message);
        else
            CHECK(got == c.message);
    }
    // The line and column are those of the problem: the `"warn"` where a ':' should be
    // (columns 20 to 25, its start or its end).
    std::smatch m;
    std::string msg = config_error("{\n  \"rules\": {\n    \"missing-auth\" \"warn\"\n  }\n}");
    REQUIRE(std::regex_search(msg, m, std::regex("^nextguard\\.json: line 3, column (\\d+): ")));
    CHECK(std::stoi(m[1]) >= 20);
    CHECK(std::stoi(m[1]) <= 25);
}

TEST_CASE("config: loading from the root, from --config and when there is none", "[config]") {
    test::TempDir dir;
    SECTION("no file gives the defaults") {
        Config c = load_config(dir.path(), "");
        CHECK(c.file.empty());
        CHECK(c.rules.empty());
        CHECK_FALSE(c.knowledge.libraries.empty());
    }
    SECTION("nextguard.json in the root") {
        dir.write("nextguard.json", R"({ "rules": { "unpaginated-query": "off" } })");
        Config c = load_config(dir.path(), "");
        CHECK(c.file == dir.path() / "nextguard.json");
        CHECK(c.rules.count("unpaginated-query") == 1);
    }
    SECTION("an explicit file beats the root's and is named as given in errors") {
        dir.write("nextguard.json", R"({ "rules": { "unpaginated-query": "off" } })");
        auto other = dir.write("ci/strict.json", R"({ "rules": { "unpaginated-query": "error" } })");
        Config c = load_config(dir.path(), other.string());
        CHECK(c.rules.at("unpaginated-query") == Severity::Error);
        dir.write("ci/broken.json", "{ \"ignore\": 1 }");
        auto broken = (dir.path() / "ci/broken.json").string();
        CHECK_THROWS_WITH(load_config(dir.path(), broken), broken +
                                                               ": $.ignore: must be an array of strings "
                                                               "(gitignore-style globs relative to the analyzed root)");
    }
    SECTION("a missing explicit file is an error; a folder is too") {
        CHECK_THROWS_WITH(load_config(dir.path(), (dir.path() / "nope.json").string()),
                          "config file " + (dir.path() / "nope.json").string() + " does not exist");
        dir.write("sub/x.ts", "");
        CHECK_THROWS_WITH(load_config(dir.path(), (dir.path() / "sub").string()),
                          "config file " + (dir.path() / "sub").string() + " is not a file");
    }
    SECTION("a folder named nextguard.json in the root is an error") {
        fs::create_directories(dir.path() / "nextguard.json");
        CHECK_THROWS_WITH(load_config(dir.path(), ""), Catch::Contains("is not a file"));
    }
}

TEST_CASE("config: ignore globs follow gitignore semantics relative to the root", "[config]") {
    struct Case {
        std::vector<std::string> ignore;
        const char* path;
        bool ignored;
    };
    const std::vector<Case> cases = {
        {{}, "app/page.tsx", false},
        {{"legacy"}, "legacy/app/api/x/route.ts", true},  // a name matches a folder...
        {{"legacy"}, "apps/web/legacy/route.ts", true},   // ...at any depth
        {{"legacy"}, "apps/web/legacy.ts", false},
        {{"legacy/"}, "app/legacy/route.ts", true},  // trailing '/': folders only
        {{"route.ts/"}, "app/api/route.ts", false},
        {{"/legacy"}, "legacy/route.ts", true},  // leading '/': anchored
        {{"/legacy"}, "app/legacy/route.ts", false},
        {{"app/api/internal"}, "app/api/internal/x/route.ts", true},  // inner '/': anchored
        {{"app/api/internal"}, "src/app/api/internal/route.ts", false},
        {{"*.generated.ts"}, "lib/db/schema.generated.ts", true},
        {{"*.generated.ts"}, "lib/db/schema.ts", false},
        {{"app/*/route.ts"}, "app/a/route.ts", true},
        {{"app/*/route.ts"}, "app/a/b/route.ts", false},  // '*' does not cross '/'
        {{"app/**/route.ts"}, "app/a/b/route.ts", true},
        {{"**/internal/**"}, "apps/web/internal/x.ts", true},
        {{"scripts/**"}, "scripts/seed.ts", true},
        {{"scripts/**"}, "scripts", false},
        {{"route.[jt]s"}, "app/x/route.js", true},
        {{"[id]"}, "app/[id]/route.ts", false},                     // '[...]' is a class...
        {{"\\[id\\]"}, "app/[id]/route.ts", true},                  // ...escape it for a dynamic segment
        {{"legacy/", "!legacy/keep.ts"}, "legacy/keep.ts", false},  // a later negation re-includes
        {{"legacy/", "!legacy/keep.ts"}, "legacy/drop.ts", true},
        {{"!legacy/keep.ts", "legacy/"}, "legacy/keep.ts", true},  // the last match wins
    };
    for (const auto& c : cases) {
        Config config = parse_config("nextguard.json", nlohmann::json{{"ignore", c.ignore}}.dump());
        INFO(c.path << " with " << c.ignore.size() << " pattern(s), first: " << (c.ignore.empty() ? "" : c.ignore[0]));
        CHECK(is_ignored(config, c.path) == c.ignored);
    }
}

TEST_CASE("config: public routes cover route URL patterns with matcher semantics", "[config]") {
    struct Case {
        std::vector<std::string> routes;
        const char* url;
        bool is_public;
    };
    const std::vector<Case> cases = {
        {{}, "/api/catalog", false},  // no publicRoutes: nothing is public (not "every path")
        {{"/api/catalog"}, "", false},
        {{"/api/catalog"}, "/api/catalog", true},
        {{"/api/catalog"}, "/api/catalog/[id]", false},
        {{"/api/catalog/:path*"}, "/api/catalog", true},
        {{"/api/catalog/:path*"}, "/api/catalog/[id]", true},
        {{"/api/catalog/:path*"}, "/api/catalog/[...slug]", true},
        {{"/api/catalog/:path*"}, "/api/catalogue", false},
        {{"/api/catalog/:id"}, "/api/catalog/[id]", true},
        {{"/api/catalog/:id"}, "/api/catalog/[...slug]", false},  // not every request to it
        {{"/api/health", "/api/og/(.*)"}, "/api/og/[title]", true},
        {{"/api/health", "/api/og/(.*)"}, "/api/items", false},
    };
    for (const auto& c : cases) {
        Config config;
        config.public_routes = c.routes;
        INFO(c.url);
        CHECK(public_route_check(config)(c.url) == c.is_public);
    }
}

TEST_CASE("config: end to end, ignore removes files and publicRoutes silences missing-auth", "[config]") {
    test::TempDir dir;
    write_project(dir);
    const std::string root = test::shell_quote(dir.path().string());
    auto r = test::run_nextguard("--format json --fail-on warning " + root);
    REQUIRE(r.exit_code == 1);
    CHECK(findings_of(r) == std::set<std::string>{"app/api/catalog/[id]/route.ts missing-auth",
                                                  "app/api/catalog/route.ts missing-auth",
                                                  "app/api/items/route.ts missing-auth"});

    SECTION("ignore") {
        dir.write("nextguard.json", R"({ "ignore": ["\\[id\\]/", "items"] })");
        r = test::run_nextguard("--format json " + root);
        INFO(r.err);
        CHECK(findings_of(r) == std::set<std::string>{"app/api/catalog/route.ts missing-auth"});
        CHECK(json::parse(r.out)["stats"]["filesAnalyzed"] == 2);  // lib/prisma.ts and the catalog route
    }
    SECTION("publicRoutes for an exact URL") {
        dir.write("nextguard.json", R"({ "publicRoutes": ["/api/catalog"] })");
        r = test::run_nextguard("--format json " + root);
        INFO(r.err);
        CHECK(findings_of(r) == std::set<std::string>{"app/api/catalog/[id]/route.ts missing-auth",
                                                      "app/api/items/route.ts missing-auth"});
    }
    SECTION("publicRoutes for a folder") {
        dir.write("nextguard.json", R"({ "publicRoutes": ["/api/catalog/:path*"] })");
        r = test::run_nextguard("--format json " + root);
        INFO(r.err);
        CHECK(findings_of(r) == std::set<std::string>{"app/api/items/route.ts missing-auth"});
    }
    SECTION("--config relative to the working folder") {
        dir.write("configs/public.json", R"({ "publicRoutes": ["/api/:path*"] })");
        r = test::run_nextguard("--format json --config configs/public.json .", dir.path());
        INFO(r.err);
        CHECK(r.exit_code == 0);
        CHECK(findings_of(r).empty());
    }
}

TEST_CASE("config: a bad config exits 2 and writes nothing", "[config]") {
    test::TempDir dir;
    write_project(dir);
    const std::string root = test::shell_quote(dir.path().string());
    const std::string out = test::shell_quote((dir.path() / "out.json").string());

    dir.write("nextguard.json", "{\n  \"rules\": {\n    \"missing-auth\": \"warning\"\n  }\n}\n");
    auto r = test::run_nextguard("--format json -o " + out + " " + root);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err ==
          "nextguard: error: nextguard.json: $.rules.missing-auth: must be \"error\", \"warn\" or \"off\", "
          "not \"warning\"\n");
    CHECK_FALSE(fs::exists(dir.path() / "out.json"));

    dir.write("nextguard.json", "{\n  \"rules\": {,\n}\n");
    r = test::run_nextguard("--format json -o " + out + " " + root);
    CHECK(r.exit_code == 2);
    CHECK(r.err.rfind("nextguard: error: nextguard.json: line 2, column ", 0) == 0);
    CHECK_FALSE(fs::exists(dir.path() / "out.json"));

    fs::remove(dir.path() / "nextguard.json");
    r = test::run_nextguard("--format json --config missing.json .", dir.path());
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "nextguard: error: config file missing.json does not exist\n");
}

TEST_CASE("config: the shipped schema parses and lists every key", "[config]") {
    auto parsed = nextguard::project::parse_jsonc(test::read_file(test::source_dir() / "nextguard.schema.json"));
    REQUIRE(parsed.ok);
    CHECK_NOTHROW(json::parse(test::read_file(test::source_dir() / "nextguard.schema.json")));  // strict JSON
    const json& schema = parsed.value;
    CHECK(schema["$schema"] == "https://json-schema.org/draft/2020-12/schema");
    CHECK(schema["additionalProperties"] == false);

    std::set<std::string> keys, expected(config_keys().begin(), config_keys().end());
    for (const auto& [k, v] : schema["properties"].items()) {
        keys.insert(k);
        CHECK(v.contains("description"));
    }
    CHECK(keys == expected);

    // Every rule has a level in the schema, and nothing else does.
    std::set<std::string> rule_ids, schema_rules;
    for (const auto* rule : nextguard::rules::all_rules()) rule_ids.emplace(rule->id());
    for (const auto& [k, _] : schema["properties"]["rules"]["properties"].items()) schema_rules.insert(k);
    CHECK(schema_rules == rule_ids);
    CHECK(schema["$defs"]["level"]["enum"] == json({"error", "warn", "off"}));

    // The library object lists every key the built-in knowledge files use.
    const json& library = schema["$defs"]["library"]["properties"];
    for (const auto& entry : fs::directory_iterator(test::source_dir() / "rules/knowledge")) {
        if (entry.path().extension() != ".json") continue;
        auto lib = nextguard::project::parse_jsonc(test::read_file(entry.path()));
        REQUIRE(lib.ok);
        for (const auto& [k, v] : lib.value.items()) {
            INFO(entry.path().filename().string() << ": " << k);
            CHECK(library.contains(k));
            if (k == "validation" || k == "database")
                for (const auto& [sub, _] : v.items()) {
                    INFO(sub);
                    CHECK(library[k]["properties"].contains(sub));
                }
        }
    }
}
