// Tests of the project layer: .gitignore, JSONC, tsconfig and workspace discovery.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "project/gitignore.hpp"
#include "project/jsonc.hpp"
#include "project/tsconfig.hpp"
#include "project/workspace.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using namespace nextguard;
using namespace nextguard::project;

namespace {

GitIgnore rules(const std::string& content, const std::string& dir = "") {
    GitIgnore g;
    g.add(dir, content);
    return g;
}

std::vector<std::string> rels(const Workspace& ws) {
    std::vector<std::string> out;
    for (const auto& f : ws.files) out.push_back(f.rel);
    return out;
}

const SourceFile& file(const Workspace& ws, const std::string& rel) {
    for (const auto& f : ws.files) {
        if (f.rel == rel) return f;
    }
    throw std::runtime_error("no file " + rel);
}

/// The notice about `file` whose message contains `text`, or nullptr.
const Notice* find_notice(const std::vector<Notice>& notices, const std::string& file, const std::string& text) {
    for (const auto& n : notices) {
        if (n.file == file && n.message.find(text) != std::string::npos) return &n;
    }
    return nullptr;
}

std::string dump(const std::vector<Notice>& notices) {
    std::string s;
    for (const auto& n : notices) s += n.file + ": " + n.message + "\n";
    return s;
}

int app_index(const Workspace& ws, const std::string& rel) {
    for (size_t i = 0; i < ws.apps.size(); ++i) {
        if (ws.apps[i].rel == rel) return static_cast<int>(i);
    }
    return -1;
}

std::vector<std::string> targets(const TsConfig& c, const std::string& pattern) {
    for (const auto& [p, t] : c.paths) {
        if (p == pattern) return t;
    }
    return {"<no pattern " + pattern + ">"};
}

std::string s(const fs::path& p) { return p.lexically_normal().generic_string(); }

}  // namespace

// ---------------------------------------------------------------- glob_match

TEST_CASE("project: glob_match wildcards stay inside a segment", "[project][gitignore]") {
    CHECK(glob_match("*.ts", "a.ts"));
    CHECK(glob_match("*.ts", ".ts"));
    CHECK_FALSE(glob_match("*.ts", "a/b.ts"));
    CHECK(glob_match("a/*.ts", "a/b.ts"));
    CHECK_FALSE(glob_match("a/*.ts", "a/b/c.ts"));
    CHECK(glob_match("?.js", "x.js"));
    CHECK_FALSE(glob_match("?.js", "xy.js"));
    CHECK_FALSE(glob_match("a?b", "a/b"));
    CHECK(glob_match("a*b*c", "aXXbYYc"));
    CHECK_FALSE(glob_match("a*b*c", "aXXbYY"));
    CHECK(glob_match("a**b", "aXb"));  // not a whole segment: an ordinary '*'
    CHECK_FALSE(glob_match("a**b", "a/b"));
    CHECK(glob_match("exact", "exact"));
    CHECK_FALSE(glob_match("exact", "exactly"));
}

TEST_CASE("project: glob_match double star segments", "[project][gitignore]") {
    CHECK(glob_match("**/gen", "gen"));
    CHECK(glob_match("**/gen", "a/b/gen"));
    CHECK_FALSE(glob_match("**/gen", "a/gen/x"));
    CHECK(glob_match("a/**/b", "a/b"));
    CHECK(glob_match("a/**/b", "a/x/b"));
    CHECK(glob_match("a/**/b", "a/x/y/z/b"));
    CHECK_FALSE(glob_match("a/**/b", "a/x/c"));
    CHECK(glob_match("a/**", "a/x"));
    CHECK(glob_match("a/**", "a/x/y"));
    CHECK_FALSE(glob_match("a/**", "a"));
    CHECK(glob_match("**", "anything/at/all"));
    CHECK(glob_match("**/*.test.ts", "src/deep/x.test.ts"));
}

TEST_CASE("project: glob_match classes and escapes", "[project][gitignore]") {
    CHECK(glob_match("*.[jt]s", "a.js"));
    CHECK(glob_match("*.[jt]s", "a.ts"));
    CHECK_FALSE(glob_match("*.[jt]s", "a.cs"));
    CHECK(glob_match("file[0-9].ts", "file7.ts"));
    CHECK_FALSE(glob_match("file[0-9].ts", "fileA.ts"));
    CHECK(glob_match("[!a]*", "bcd"));
    CHECK_FALSE(glob_match("[!a]*", "abc"));
    CHECK(glob_match("[^a]*", "bcd"));
    CHECK_FALSE(glob_match("[^a]*", "abc"));
    CHECK(glob_match("[]]x", "]x"));
    CHECK(glob_match("[a-]x", "-x"));
    CHECK(glob_match("v[[:digit:]]", "v3"));
    CHECK_FALSE(glob_match("v[[:digit:]]", "vx"));
    CHECK(glob_match("[[:upper:]]*", "Readme"));
    CHECK(glob_match("\\*.ts", "*.ts"));
    CHECK_FALSE(glob_match("\\*.ts", "a.ts"));
    CHECK(glob_match("a\\?", "a?"));
    CHECK_FALSE(glob_match("a\\?", "ab"));
    CHECK(glob_match("[ab", "[ab"));  // no closing ']': a literal '['
}

// ---------------------------------------------------------------- GitIgnore

TEST_CASE("project: gitignore comments, blank lines and escapes", "[project][gitignore]") {
    auto g = rules("# a comment\n\n   \n\\#hash\n\\!bang\nspace\\ \ntrail   \n");
    CHECK_FALSE(g.ignored("# a comment", false));
    CHECK(g.ignored("#hash", false));
    CHECK(g.ignored("!bang", false));
    CHECK(g.ignored("space ", false));
    CHECK_FALSE(g.ignored("space", false));
    CHECK(g.ignored("trail", false));
    CHECK_FALSE(g.ignored("trail   ", false));
    CHECK(GitIgnore().empty());
    CHECK(rules("# only a comment\n").empty());
}

TEST_CASE("project: gitignore CRLF line endings and BOM", "[project][gitignore]") {
    auto g = rules("\xEF\xBB\xBF" "first.ts\r\nsecond.ts\r\n");
    CHECK(g.ignored("first.ts", false));
    CHECK(g.ignored("second.ts", false));
}

TEST_CASE("project: gitignore negation, last match wins", "[project][gitignore]") {
    auto g = rules("*.log\n!keep.log\n");
    CHECK(g.ignored("a.log", false));
    CHECK(g.ignored("dir/a.log", false));
    CHECK_FALSE(g.ignored("keep.log", false));
    CHECK_FALSE(g.ignored("dir/keep.log", false));

    auto reversed = rules("!keep.log\n*.log\n");
    CHECK(reversed.ignored("keep.log", false));
}

TEST_CASE("project: gitignore directory-only patterns", "[project][gitignore]") {
    auto g = rules("logs/\n/tmp/\n");
    CHECK(g.ignored("logs", true));
    CHECK(g.ignored("a/b/logs", true));
    CHECK_FALSE(g.ignored("logs", false));
    CHECK(g.ignored("tmp", true));
    CHECK_FALSE(g.ignored("a/tmp", true));
}

TEST_CASE("project: gitignore anchored and unanchored patterns", "[project][gitignore]") {
    auto g = rules("/root.ts\nany.ts\nsrc/gen\n");
    CHECK(g.ignored("root.ts", false));
    CHECK_FALSE(g.ignored("a/root.ts", false));
    CHECK(g.ignored("any.ts", false));
    CHECK(g.ignored("a/b/any.ts", false));
    CHECK(g.ignored("src/gen", true));  // an inner '/' anchors too
    CHECK_FALSE(g.ignored("x/src/gen", true));
}

TEST_CASE("project: gitignore double star patterns", "[project][gitignore]") {
    auto g = rules("**/generated\nlib/**/*.snap.ts\nvendor/**\n");
    CHECK(g.ignored("generated", true));
    CHECK(g.ignored("a/b/generated", true));
    CHECK(g.ignored("lib/x.snap.ts", false));
    CHECK(g.ignored("lib/a/b/x.snap.ts", false));
    CHECK_FALSE(g.ignored("src/lib/x.snap.ts", false));
    CHECK(g.ignored("vendor/a.js", false));
    CHECK_FALSE(g.ignored("vendor", true));
}

TEST_CASE("project: nested gitignore is scoped and overrides its parent", "[project][gitignore]") {
    GitIgnore g;
    g.add("", "*.gen.ts\n/top-only.ts\n");
    g.add("pkg", "!keep.gen.ts\n/local.ts\nsecret/\n");
    CHECK(g.ignored("a.gen.ts", false));
    CHECK(g.ignored("pkg/a.gen.ts", false));
    CHECK_FALSE(g.ignored("pkg/keep.gen.ts", false));
    CHECK_FALSE(g.ignored("pkg/sub/keep.gen.ts", false));
    CHECK(g.ignored("keep.gen.ts", false));         // the negation only applies below pkg/
    CHECK(g.ignored("other/keep.gen.ts", false));
    CHECK(g.ignored("pkg/local.ts", false));        // anchored to pkg/
    CHECK_FALSE(g.ignored("pkg/sub/local.ts", false));
    CHECK_FALSE(g.ignored("local.ts", false));
    CHECK_FALSE(g.ignored("pkgx/local.ts", false));
    CHECK(g.ignored("pkg/a/secret", true));
    CHECK_FALSE(g.ignored("secret", true));
    CHECK(g.ignored("top-only.ts", false));
    CHECK_FALSE(g.ignored("pkg/top-only.ts", false));
}

TEST_CASE("project: gitignore character classes", "[project][gitignore]") {
    auto g = rules("*.[oa]\nlog[0-9].txt\n[!.]*.bak\n");
    CHECK(g.ignored("x.o", false));
    CHECK(g.ignored("dir/x.a", false));
    CHECK_FALSE(g.ignored("x.c", false));
    CHECK(g.ignored("log3.txt", false));
    CHECK_FALSE(g.ignored("logx.txt", false));
    CHECK(g.ignored("file.bak", false));
    CHECK_FALSE(g.ignored(".file.bak", false));
}

// ---------------------------------------------------------------- JSONC

TEST_CASE("project: jsonc comments and trailing commas", "[project][jsonc]") {
    auto r = parse_jsonc(R"(// leading comment
{
  /* block
     comment */
  "compilerOptions": {
    "baseUrl": ".", // trailing line comment
    "paths": { "@/*": ["./src/*",], },
  },
  "include": [1, 2, 3,
  ],
}
// trailing comment)");
    REQUIRE(r.ok);
    CHECK(r.error.empty());
    CHECK(r.value["compilerOptions"]["baseUrl"] == ".");
    CHECK(r.value["compilerOptions"]["paths"]["@/*"][0] == "./src/*");
    CHECK(r.value["include"].size() == 3);
}

TEST_CASE("project: jsonc keeps comment markers and commas inside strings", "[project][jsonc]") {
    auto r = parse_jsonc(R"({"url": "https://example.com/a", "glob": "src/**/*.ts", "c": "a,]", "q": "say \"//hi\" /*", "e": "\\"} // done)");
    REQUIRE(r.ok);
    CHECK(r.value["url"] == "https://example.com/a");
    CHECK(r.value["glob"] == "src/**/*.ts");
    CHECK(r.value["c"] == "a,]");
    CHECK(r.value["q"] == "say \"//hi\" /*");
    CHECK(r.value["e"] == "\\");
}

TEST_CASE("project: jsonc BOM, CRLF and plain JSON", "[project][jsonc]") {
    auto r = parse_jsonc("\xEF\xBB\xBF{\r\n  \"a\": 1, // x\r\n  \"b\": [true, null,]\r\n}\r\n");
    REQUIRE(r.ok);
    CHECK(r.value["a"] == 1);
    CHECK(r.value["b"].size() == 2);
    auto plain = parse_jsonc(R"({"name": "x", "dependencies": {"next": "14.0.0"}})");
    REQUIRE(plain.ok);
    CHECK(plain.value["dependencies"]["next"] == "14.0.0");
}

TEST_CASE("project: jsonc errors point to the original line and column", "[project][jsonc]") {
    auto r = parse_jsonc("{\n  // comment, with a comma\n  \"a\": 1,\n  \"b\": ,\n}");
    CHECK_FALSE(r.ok);
    CHECK(r.value.is_null());
    CHECK(r.error.rfind("line 4, column 8: ", 0) == 0);

    auto after_block = parse_jsonc("{ /* a\nlong\ncomment */ \"a\": tru }");
    CHECK_FALSE(after_block.ok);
    CHECK(after_block.error.rfind("line 3, column ", 0) == 0);

    auto bom = parse_jsonc("\xEF\xBB\xBF{\"a\": x}");
    CHECK(bom.error.rfind("line 1, column 7: ", 0) == 0);

    auto utf8 = parse_jsonc("{\"a\": \"\xC3\xA9\xC3\xA9\" x}");  // columns count characters
    CHECK(utf8.error.rfind("line 1, column 12: ", 0) == 0);

    auto eof = parse_jsonc("{\"a\": 1");
    CHECK_FALSE(eof.ok);
    CHECK(eof.error.rfind("line 1, column 8: ", 0) == 0);
    CHECK(eof.error.find("end of input") != std::string::npos);

    auto open = parse_jsonc("{\"a\": 1}\n  /* never closed");
    CHECK_FALSE(open.ok);
    CHECK(open.error == "line 2, column 3: unterminated /* comment");

    CHECK_FALSE(parse_jsonc("[,]").ok);
    CHECK_FALSE(parse_jsonc("[1,,]").ok);
    CHECK_FALSE(parse_jsonc("").ok);
    CHECK_FALSE(parse_jsonc("// nothing but a comment").ok);
    CHECK(parse_jsonc("[]").ok);
}

// ---------------------------------------------------------------- tsconfig

TEST_CASE("project: tsconfig baseUrl and paths", "[project][tsconfig]") {
    test::TempDir dir;
    auto file = dir.write("tsconfig.json", R"({
      // Next.js default
      "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./src/*"], "~lib": ["lib/index.ts", "lib2"] } },
    })");
    std::vector<Notice> notices;
    auto c = load_tsconfig(file, dir.path(), notices);
    REQUIRE(c);
    CHECK(notices.empty());
    CHECK(s(c->file) == s(file));
    REQUIRE(c->base_url);
    CHECK(s(*c->base_url) == s(dir.path()));
    CHECK(targets(*c, "@/*") == std::vector<std::string>{s(dir.path() / "src/*")});
    CHECK(targets(*c, "~lib") == std::vector<std::string>{s(dir.path() / "lib/index.ts"), s(dir.path() / "lib2")});
}

TEST_CASE("project: tsconfig paths without baseUrl resolve against the declaring config", "[project][tsconfig]") {
    test::TempDir dir;
    dir.write("configs/base.json", R"({"compilerOptions": {"paths": {"@ui/*": ["../packages/ui/*"]}}})");
    auto file = dir.write("apps/web/tsconfig.json", R"({"extends": "../../configs/base"})");
    std::vector<Notice> notices;
    auto c = load_tsconfig(file, dir.path(), notices);
    REQUIRE(c);
    CHECK(notices.empty());
    CHECK_FALSE(c->base_url);
    CHECK(targets(*c, "@ui/*") == std::vector<std::string>{s(dir.path() / "packages/ui/*")});
}

TEST_CASE("project: tsconfig baseUrl from a child applies to inherited paths", "[project][tsconfig]") {
    test::TempDir dir;
    dir.write("base/tsconfig.base.json",
              R"({"compilerOptions": {"baseUrl": "./src", "paths": {"@/*": ["./*"]}, "strict": true}})");
    auto file = dir.write("app/tsconfig.json", R"({"extends": "../base/tsconfig.base.json",
      "compilerOptions": {"baseUrl": "."}})");
    std::vector<Notice> notices;
    auto c = load_tsconfig(file, dir.path(), notices);
    REQUIRE(c);
    REQUIRE(c->base_url);
    CHECK(s(*c->base_url) == s(dir.path() / "app"));
    CHECK(targets(*c, "@/*") == std::vector<std::string>{s(dir.path() / "app/*")});

    // Without the override, the base's own baseUrl (relative to the base) is used.
    auto inherit = dir.write("other/tsconfig.json", R"({"extends": "../base/tsconfig.base.json"})");
    auto c2 = load_tsconfig(inherit, dir.path(), notices);
    REQUIRE(c2);
    REQUIRE(c2->base_url);
    CHECK(s(*c2->base_url) == s(dir.path() / "base/src"));
    CHECK(targets(*c2, "@/*") == std::vector<std::string>{s(dir.path() / "base/src/*")});
    CHECK(notices.empty());
}

TEST_CASE("project: tsconfig extends array, later entries win", "[project][tsconfig]") {
    test::TempDir dir;
    dir.write("a.json", R"({"compilerOptions": {"baseUrl": "a", "paths": {"@a/*": ["a/*"]}}})");
    dir.write("b.json", R"({"compilerOptions": {"paths": {"@b/*": ["b/*"]}}})");
    auto file = dir.write("tsconfig.json", R"({"extends": ["./a.json", "./b"]})");
    std::vector<Notice> notices;
    auto c = load_tsconfig(file, dir.path(), notices);
    REQUIRE(c);
    CHECK(notices.empty());
    REQUIRE(c->base_url);
    CHECK(s(*c->base_url) == s(dir.path() / "a"));
    REQUIRE(c->paths.size() == 1);  // `paths` is replaced as a whole, not merged
    CHECK(targets(*c, "@b/*") == std::vector<std::string>{s(dir.path() / "a/b/*")});
}

TEST_CASE("project: tsconfig extends packages from node_modules", "[project][tsconfig]") {
    test::TempDir dir;
    // Found by walking up from the config's folder.
    dir.write("node_modules/@acme/tsconfig/nextjs.json", R"({"compilerOptions": {"paths": {"@acme/*": ["./src/*"]}}})");
    dir.write("node_modules/plain/tsconfig.json", R"({"compilerOptions": {"baseUrl": "plain-base"}})");
    dir.write("node_modules/fielded/package.json", R"({"name": "fielded", "tsconfig": "./configs/strict.json"})");
    dir.write("node_modules/fielded/configs/strict.json", R"({"compilerOptions": {"baseUrl": "from-field"}})");
    dir.write("node_modules/noext/base.json", R"({"compilerOptions": {"baseUrl": "noext-base"}})");
    dir.write("node_modules/exported/package.json",
              R"({"name": "exported", "exports": {"./next": {"default": "./dist/next.json"}}})");
    dir.write("node_modules/exported/dist/next.json", R"({"compilerOptions": {"baseUrl": "exported-base"}})");

    std::vector<Notice> notices;
    auto scoped = load_tsconfig(dir.write("apps/web/tsconfig.json", R"({"extends": "@acme/tsconfig/nextjs.json"})"),
                                dir.path(), notices);
    REQUIRE(scoped);
    CHECK(targets(*scoped, "@acme/*") == std::vector<std::string>{s(dir.path() / "node_modules/@acme/tsconfig/src/*")});

    auto plain = load_tsconfig(dir.write("a/tsconfig.json", R"({"extends": "plain"})"), dir.path(), notices);
    REQUIRE(plain);
    REQUIRE(plain->base_url);
    CHECK(s(*plain->base_url) == s(dir.path() / "node_modules/plain/plain-base"));

    auto fielded = load_tsconfig(dir.write("b/tsconfig.json", R"({"extends": "fielded"})"), dir.path(), notices);
    REQUIRE(fielded);
    REQUIRE(fielded->base_url);
    CHECK(s(*fielded->base_url) == s(dir.path() / "node_modules/fielded/configs/from-field"));

    auto noext = load_tsconfig(dir.write("c/tsconfig.json", R"({"extends": "noext/base"})"), dir.path(), notices);
    REQUIRE(noext);
    REQUIRE(noext->base_url);
    CHECK(s(*noext->base_url) == s(dir.path() / "node_modules/noext/noext-base"));

    auto exported = load_tsconfig(dir.write("d/tsconfig.json", R"({"extends": "exported/next"})"), dir.path(), notices);
    REQUIRE(exported);
    REQUIRE(exported->base_url);
    CHECK(s(*exported->base_url) == s(dir.path() / "node_modules/exported/dist/exported-base"));

    CHECK(notices.empty());
}

TEST_CASE("project: tsconfig nearer node_modules wins", "[project][tsconfig]") {
    test::TempDir dir;
    dir.write("node_modules/cfg/tsconfig.json", R"({"compilerOptions": {"baseUrl": "outer"}})");
    dir.write("apps/web/node_modules/cfg/tsconfig.json", R"({"compilerOptions": {"baseUrl": "inner"}})");
    std::vector<Notice> notices;
    auto c = load_tsconfig(dir.write("apps/web/tsconfig.json", R"({"extends": "cfg"})"), dir.path(), notices);
    REQUIRE(c);
    REQUIRE(c->base_url);
    CHECK(s(*c->base_url) == s(dir.path() / "apps/web/node_modules/cfg/inner"));
}

TEST_CASE("project: tsconfig extends cycle gives a notice and still loads", "[project][tsconfig]") {
    test::TempDir dir;
    dir.write("configs/a.json", R"({"extends": "./b.json", "compilerOptions": {"baseUrl": "from-a"}})");
    dir.write("configs/b.json", R"({"extends": "./a.json", "compilerOptions": {"paths": {"x": ["y"]}}})");
    std::vector<Notice> notices;
    auto c = load_tsconfig(dir.path() / "configs/a.json", dir.path(), notices);
    REQUIRE(c);
    REQUIRE(c->base_url);
    CHECK(s(*c->base_url) == s(dir.path() / "configs/from-a"));
    CHECK(targets(*c, "x") == std::vector<std::string>{s(dir.path() / "configs/from-a/y")});
    REQUIRE(notices.size() == 1);
    CHECK(notices[0].file == "configs/b.json");
    CHECK(notices[0].level == Severity::Warning);
    CHECK(notices[0].message.find("cycle") != std::string::npos);
    CHECK(notices[0].message.find("configs/a.json -> configs/b.json -> configs/a.json") != std::string::npos);

    std::vector<Notice> self_notices;
    auto self = load_tsconfig(dir.write("self.json", R"({"extends": "./self.json"})"), dir.path(), self_notices);
    CHECK(self);
    REQUIRE(self_notices.size() == 1);
    CHECK(self_notices[0].message.find("cycle") != std::string::npos);
}

TEST_CASE("project: tsconfig problems become notices relative to the root", "[project][tsconfig]") {
    test::TempDir dir;
    std::vector<Notice> notices;

    auto missing = load_tsconfig(dir.write("apps/web/tsconfig.json", R"({"extends": ["./nope", "no-such-pkg"],
      "compilerOptions": {"baseUrl": "."}})"), dir.path(), notices);
    REQUIRE(missing);
    CHECK(missing->base_url);
    CHECK(find_notice(notices, "apps/web/tsconfig.json", "\"./nope\": not found"));
    CHECK(find_notice(notices, "apps/web/tsconfig.json", "\"no-such-pkg\": not found"));

    notices.clear();
    dir.write("broken-base.json", "{ \"compilerOptions\": ");
    auto with_broken = load_tsconfig(dir.write("x/tsconfig.json", R"({"extends": "../broken-base.json",
      "compilerOptions": {"baseUrl": "src"}})"), dir.path(), notices);
    REQUIRE(with_broken);
    CHECK(s(*with_broken->base_url) == s(dir.path() / "x/src"));
    const Notice* n = find_notice(notices, "broken-base.json", "invalid tsconfig: line 1");
    REQUIRE(n);
    CHECK(n->line == 1);

    notices.clear();
    auto invalid = load_tsconfig(dir.write("bad/tsconfig.json", "{\n  \"compilerOptions\": {,}\n}"), dir.path(), notices);
    CHECK_FALSE(invalid);
    REQUIRE(notices.size() == 1);
    CHECK(notices[0].file == "bad/tsconfig.json");
    CHECK(notices[0].line == 2);

    notices.clear();
    CHECK_FALSE(load_tsconfig(dir.path() / "absent/tsconfig.json", dir.path(), notices));
    CHECK(find_notice(notices, "absent/tsconfig.json", "cannot read"));

    notices.clear();
    auto wrong = load_tsconfig(dir.write("w/tsconfig.json", R"({"extends": 3, "compilerOptions": {"baseUrl": 1, "paths": []}})"),
                               dir.path(), notices);
    REQUIRE(wrong);
    CHECK_FALSE(wrong->base_url);
    CHECK(wrong->paths.empty());
    CHECK(notices.size() == 3);
}

TEST_CASE("project: tsconfig extends a workspace package when no node_modules has it", "[project][tsconfig]") {
    test::TempDir dir;
    dir.write("packages/tsconfig/package.json", R"({"name": "tsconfig"})");
    dir.write("packages/tsconfig/nextjs.json", R"({"compilerOptions": {"paths": {"@/*": ["./src/*"]}}})");
    dir.write("packages/tsconfig/tsconfig.json", R"({"compilerOptions": {"baseUrl": "pkg-root"}})");
    dir.write("packages/config/package.json",
              R"({"name": "@acme/config", "exports": {"./base": "./configs/base.json"}})");
    dir.write("packages/config/configs/base.json", R"({"compilerOptions": {"baseUrl": "exported"}})");
    std::map<std::string, fs::path> packages = {{"tsconfig", dir.path() / "packages/tsconfig"},
                                                {"@acme/config", dir.path() / "packages/config"}};
    std::vector<Notice> notices;

    auto sub = load_tsconfig(dir.write("apps/web/tsconfig.json", R"({"extends": "tsconfig/nextjs.json"})"), dir.path(),
                             notices, packages);
    REQUIRE(sub);
    CHECK(targets(*sub, "@/*") == std::vector<std::string>{s(dir.path() / "packages/tsconfig/src/*")});

    auto bare = load_tsconfig(dir.write("apps/a/tsconfig.json", R"({"extends": "tsconfig"})"), dir.path(), notices,
                              packages);
    REQUIRE(bare);
    REQUIRE(bare->base_url);
    CHECK(s(*bare->base_url) == s(dir.path() / "packages/tsconfig/pkg-root"));

    auto exported = load_tsconfig(dir.write("apps/b/tsconfig.json", R"({"extends": "@acme/config/base"})"), dir.path(),
                                  notices, packages);
    REQUIRE(exported);
    REQUIRE(exported->base_url);
    CHECK(s(*exported->base_url) == s(dir.path() / "packages/config/configs/exported"));
    CHECK(notices.empty());

    // An installed copy in node_modules still wins.
    dir.write("node_modules/tsconfig/nextjs.json", R"({"compilerOptions": {"baseUrl": "installed"}})");
    auto installed = load_tsconfig(dir.path() / "apps/web/tsconfig.json", dir.path(), notices, packages);
    REQUIRE(installed);
    REQUIRE(installed->base_url);
    CHECK(s(*installed->base_url) == s(dir.path() / "node_modules/tsconfig/installed"));

    // Without the map the package is not found.
    auto alone = load_tsconfig(dir.write("apps/c/tsconfig.json", R"({"extends": "@acme/config/base"})"), dir.path(),
                               notices);
    REQUIRE(alone);
    CHECK(find_notice(notices, "apps/c/tsconfig.json", "\"@acme/config/base\": not found"));
}

TEST_CASE("project: tsconfig ${configDir} refers to the loaded config's folder", "[project][tsconfig]") {
    test::TempDir dir;
    dir.write("shared/base.json", R"({"compilerOptions": {"baseUrl": "${configDir}", "paths": {"@/*": ["${configDir}/src/*"]}}})");
    std::vector<Notice> notices;
    auto c = load_tsconfig(dir.write("apps/web/tsconfig.json", R"({"extends": "../../shared/base.json"})"), dir.path(),
                           notices);
    REQUIRE(c);
    CHECK(s(*c->base_url) == s(dir.path() / "apps/web"));
    CHECK(targets(*c, "@/*") == std::vector<std::string>{s(dir.path() / "apps/web/src/*")});
}

// ---------------------------------------------------------------- workspace helpers

TEST_CASE("project: is_source_extension", "[project][workspace]") {
    for (const char* ok : {"a.ts", "a.tsx", "a.mts", "a.cts", "a.js", "a.jsx", "a.mjs", "a.cjs", "dir.x/route.ts"}) {
        CHECK(is_source_extension(ok));
    }
    for (const char* no : {"a.json", "a.md", "a", "a.ts.map", "a.css", "ts", "a.TSX"}) CHECK_FALSE(is_source_extension(no));
}

TEST_CASE("project: looks_minified", "[project][workspace]") {
    CHECK(looks_minified("vendor.min.js", "const a = 1;\n"));
    CHECK(looks_minified("x.min.mjs", ""));
    CHECK(looks_minified("x.min.cjs", ""));
    CHECK_FALSE(looks_minified("admin.js", "const a = 1;\n"));

    std::string dense;  // one space in 100 characters
    while (dense.size() < 1500) dense += "t.a=n(r,e)||o;i[u]=s.c;l.f=function(e){return e.x};p.q=z(y);k=t.a(1,2,3,4)+5*6-7/8;";
    CHECK(looks_minified("bundle.js", "/*! license */\n" + dense + "\n"));

    std::string three_percent;  // two spaces in 32 characters: long, but not minified
    while (three_percent.size() < 1500) three_percent += "var a=function(b){return b+1};//";
    CHECK_FALSE(looks_minified("generated.js", three_percent));

    std::string spaced;
    while (spaced.size() < 1500) spaced += "const value = compute(a, b) + 1; ";
    CHECK_FALSE(looks_minified("long.js", spaced));

    std::string normal;
    for (int i = 0; i < 200; ++i) normal += "export const x" + std::to_string(i) + "=1;\n";
    CHECK_FALSE(looks_minified("many-short-lines.js", normal));

    std::string late(5000, '\n');
    late += dense;  // beyond the first 4 KiB: not looked at
    CHECK_FALSE(looks_minified("late.js", late));
}

// ---------------------------------------------------------------- discover

TEST_CASE("project: discover skips build output, dependencies and declarations", "[project][workspace]") {
    test::TempDir dir;
    dir.write("app/page.tsx", "export default function Page() {}\n");
    dir.write("app/api/users/route.ts", "export async function GET() {}\n");
    dir.write("lib/db.js", "module.exports = {};\n");
    dir.write("lib/util.mjs", "export {};\n");
    dir.write("lib/types.d.ts", "declare const x: number;\n");
    dir.write("lib/esm.d.mts", "export {};\n");
    dir.write("README.md", "# hi\n");
    dir.write("data.json", "{}\n");
    for (const char* skipped : {"node_modules", ".next", ".git", "out", "dist", "build", "coverage", ".turbo", ".vercel"}) {
        dir.write(std::string(skipped) + "/x.js", "x\n");
        dir.write(std::string("lib/") + skipped + "/y.ts", "y\n");
    }
    dir.write("public/vendor.min.js", "x\n");
    std::string dense;
    while (dense.size() < 2000) dense += "t.a=n(r,e)||o;i[u]=s.c;l.f=function(e){e.x()};";
    dir.write("public/bundle.js", dense);
    dir.write("lib/outer/ok.ts", "ok\n");  // "outer" is not "out"

    auto ws = discover({dir.path().string()});
    CHECK(ws.root == dir.path());
    CHECK(rels(ws) == std::vector<std::string>{"app/api/users/route.ts", "app/page.tsx", "lib/db.js",
                                               "lib/outer/ok.ts", "lib/util.mjs"});
    CHECK(ws.notices.empty());
    for (const auto& f : ws.files) {
        CHECK(f.path == dir.path() / f.rel);
        CHECK(f.size > 0);
        CHECK(f.app == 0);
    }
    CHECK(file(ws, "lib/db.js").size == 21);
    REQUIRE(ws.apps.size() == 1);
    CHECK(ws.apps[0].rel.empty());
    CHECK_FALSE(ws.apps[0].is_next);
}

TEST_CASE("project: discover honours root and nested .gitignore files", "[project][workspace]") {
    test::TempDir dir;
    dir.write(".gitignore", "# generated code\n*.gen.ts\ngenerated/\n/scripts\n!important.gen.ts\n");
    dir.write("a.gen.ts", "x\n");
    dir.write("important.gen.ts", "x\n");
    dir.write("generated/client.ts", "x\n");
    dir.write("src/generated/client.ts", "x\n");
    dir.write("scripts/seed.ts", "x\n");
    dir.write("src/scripts/ok.ts", "x\n");  // "/scripts" is anchored to the root
    dir.write("src/index.ts", "x\n");
    dir.write("packages/api/.gitignore", "!*.gen.ts\nlocal.ts\n/tmp/\n");
    dir.write("packages/api/schema.gen.ts", "x\n");
    dir.write("packages/api/local.ts", "x\n");
    dir.write("packages/api/tmp/t.ts", "x\n");
    dir.write("packages/api/src/tmp/t.ts", "x\n");
    dir.write("packages/web/local.ts", "x\n");
    dir.write("packages/web/schema.gen.ts", "x\n");

    auto ws = discover({dir.path().string()});
    CHECK(rels(ws) == std::vector<std::string>{"important.gen.ts", "packages/api/schema.gen.ts",
                                               "packages/api/src/tmp/t.ts", "packages/web/local.ts",
                                               "src/index.ts", "src/scripts/ok.ts"});
}

TEST_CASE("project: discover reads .gitignore files above an input inside a repository", "[project][workspace]") {
    test::TempDir dir;
    fs::create_directories(dir.path() / ".git");
    dir.write(".gitignore", "generated/\n");
    dir.write("apps/.gitignore", "*.local.ts\n");
    dir.write("apps/web/app/page.tsx", "x\n");
    dir.write("apps/web/generated/client.ts", "x\n");
    dir.write("apps/web/env.local.ts", "x\n");
    auto ws = discover({(dir.path() / "apps/web").string()});
    CHECK(ws.root == dir.path() / "apps/web");
    CHECK(rels(ws) == std::vector<std::string>{"app/page.tsx"});
}

TEST_CASE("project: discover skips big files with a notice", "[project][workspace]") {
    test::TempDir dir;
    dir.write("big.ts", std::string(3250586, '\n'));  // 3.1 MiB
    dir.write("small.ts", "x\n");
    auto ws = discover({dir.path().string()});
    CHECK(rels(ws) == std::vector<std::string>{"small.ts"});
    REQUIRE(ws.notices.size() == 1);
    CHECK(ws.notices[0].file == "big.ts");
    CHECK(ws.notices[0].level == Severity::Warning);
    CHECK(ws.notices[0].message == "skipped: 3.1 MiB is over the 2 MiB limit");

    DiscoverOptions options;
    options.max_file_size = 1024;
    dir.write("medium.ts", std::string(3000, '\n'));
    auto small_limit = discover({dir.path().string()}, options);
    CHECK(rels(small_limit) == std::vector<std::string>{"small.ts"});
    CHECK(find_notice(small_limit.notices, "medium.ts", "skipped: 2.9 KiB is over the 1 KiB limit"));
    CHECK(find_notice(small_limit.notices, "big.ts", "skipped: 3.1 MiB is over the 1 KiB limit"));
}

TEST_CASE("project: discover follows symlinks and reports loops", "[project][workspace]") {
    test::TempDir dir;
    test::TempDir outside;
    dir.write("src/a.ts", "x\n");
    dir.write("src/nested/b.ts", "x\n");
    outside.write("shared/c.ts", "x\n");
    outside.write("file.ts", "x\n");
    fs::create_directory_symlink("..", dir.path() / "src/nested/up");   // a loop
    fs::create_directory_symlink(outside.path() / "shared", dir.path() / "shared");
    fs::create_symlink(outside.path() / "file.ts", dir.path() / "linked.ts");
    fs::create_directory_symlink(dir.path() / "src", dir.path() / "again");  // same folder twice
    fs::create_symlink(dir.path() / "missing.ts", dir.path() / "dangling.ts");
    fs::create_symlink(dir.path() / "missing.md", dir.path() / "LICENSE.md");  // not a source: no note

    auto ws = discover({dir.path().string()});
    CHECK(rels(ws) == std::vector<std::string>{"linked.ts", "shared/c.ts", "src/a.ts", "src/nested/b.ts"});
    const Notice* loop = find_notice(ws.notices, "src/nested/up", "symlink loop:");
    REQUIRE(loop);
    CHECK(loop->message.find("skipped") != std::string::npos);
    CHECK(find_notice(ws.notices, "again", "symlink loop:"));
    CHECK(find_notice(ws.notices, "dangling.ts", "broken symlink"));
    CHECK(ws.notices.size() == 3);
}

TEST_CASE("project: discover reports unreadable folders and continues", "[project][workspace]") {
    if (::geteuid() == 0) {  // root reads everything: say so rather than pass in silence
        WARN("skipped: running as root, which can read a folder without permissions");
        return;
    }
    test::TempDir dir;
    dir.write("ok.ts", "x\n");
    dir.write("locked/hidden.ts", "x\n");
    fs::permissions(dir.path() / "locked", fs::perms::none);
    auto ws = discover({dir.path().string()});
    fs::permissions(dir.path() / "locked", fs::perms::owner_all);
    CHECK(rels(ws) == std::vector<std::string>{"ok.ts"});
    CHECK(find_notice(ws.notices, "locked", "cannot read folder"));
}

TEST_CASE("project: discover finds Next.js apps in a monorepo", "[project][workspace]") {
    test::TempDir dir;
    dir.write("package.json", R"({"name": "mono", "private": true, "devDependencies": {"turbo": "2.0.0"}})");
    dir.write("tsconfig.json", R"({"compilerOptions": {"baseUrl": "."}})");
    dir.write("tsconfig.base.json", R"({"compilerOptions": {"paths": {"@/*": ["./apps/web/src/*"]}}})");
    dir.write("apps/web/next.config.js", "module.exports = {};\n");
    dir.write("apps/web/package.json", R"({
      "dependencies": {"next": "14.2.0", "zod": "3.0.0"},
      "devDependencies": {"prisma": "5.0.0"},
      "peerDependencies": {"react": "18"}
    })");
    dir.write("apps/web/tsconfig.json", R"({"extends": "../../tsconfig.base.json"})");
    dir.write("apps/web/src/app/page.tsx", "x\n");
    dir.write("apps/web/src/app/api/route.ts", "x\n");
    dir.write("apps/admin/package.json", R"({"devDependencies": {"next": "15.0.0"}})");
    dir.write("apps/admin/app/actions.ts", "x\n");
    dir.write("apps/docs/package.json", R"({"peerDependencies": {"next": "*"}})");  // peer only: not an app
    dir.write("apps/docs/index.ts", "x\n");
    dir.write("packages/ui/package.json", R"({"dependencies": {"react": "18"}})");
    dir.write("packages/ui/button.tsx", "x\n");
    dir.write("node_modules/some-app/next.config.js", "x\n");
    dir.write("apps/web/.next/server/next.config.js", "x\n");

    auto ws = discover({dir.path().string()});
    INFO(dump(ws.notices));
    CHECK(ws.notices.empty());
    REQUIRE(ws.apps.size() == 3);
    CHECK(ws.apps[0].rel == "");
    CHECK_FALSE(ws.apps[0].is_next);
    CHECK(ws.apps[0].dependencies == std::set<std::string>{"turbo"});
    CHECK(ws.apps[1].rel == "apps/admin");
    CHECK(ws.apps[1].is_next);
    CHECK(ws.apps[1].dependencies == std::set<std::string>{"next"});
    CHECK(ws.apps[2].rel == "apps/web");
    CHECK(ws.apps[2].is_next);
    CHECK(ws.apps[2].dependencies == std::set<std::string>{"next", "prisma", "react", "zod"});

    // tsconfig: the app's own (with extends), else the nearest above it.
    REQUIRE(ws.apps[2].tsconfig);
    CHECK(ws.apps[2].tsconfig->file == dir.path() / "apps/web/tsconfig.json");
    CHECK(targets(*ws.apps[2].tsconfig, "@/*") == std::vector<std::string>{s(dir.path() / "apps/web/src/*")});
    REQUIRE(ws.apps[1].tsconfig);
    CHECK(ws.apps[1].tsconfig->file == dir.path() / "tsconfig.json");
    REQUIRE(ws.apps[0].tsconfig);
    CHECK(ws.apps[0].tsconfig->file == dir.path() / "tsconfig.json");

    CHECK(file(ws, "apps/web/src/app/page.tsx").app == app_index(ws, "apps/web"));
    CHECK(file(ws, "apps/web/src/app/api/route.ts").app == app_index(ws, "apps/web"));
    CHECK(file(ws, "apps/admin/app/actions.ts").app == app_index(ws, "apps/admin"));
    CHECK(file(ws, "apps/docs/index.ts").app == app_index(ws, ""));
    CHECK(file(ws, "packages/ui/button.tsx").app == app_index(ws, ""));
    CHECK(file(ws, "apps/web/next.config.js").app == app_index(ws, "apps/web"));
    CHECK(ws.files.size() == 6);
}

TEST_CASE("project: a non-Next package with its own tsconfig resolves its files' imports", "[project][workspace]") {
    test::TempDir dir;
    dir.write("package.json", R"({"name": "mono", "private": true, "workspaces": ["apps/*", "packages/*"]})");
    dir.write("apps/web/package.json", R"({"dependencies": {"next": "15.0.0"}})");
    dir.write("apps/web/tsconfig.json", R"({"compilerOptions": {"paths": {"@/*": ["./src/*"]}}})");
    dir.write("apps/web/src/app/page.tsx", "x\n");
    dir.write("apps/api/package.json", R"({"dependencies": {"hono": "4.0.0"}})");
    dir.write("apps/api/tsconfig.json", R"({"compilerOptions": {"paths": {"@api/*": ["./src/*"]}}})");
    dir.write("apps/api/src/trpc/init.ts", "x\n");
    dir.write("packages/ui/package.json", R"({"dependencies": {"react": "18"}})");  // no tsconfig
    dir.write("packages/ui/button.tsx", "x\n");
    dir.write("tools/tsconfig.json", "{}");  // no package.json: not a package
    dir.write("tools/gen.ts", "x\n");

    auto ws = discover({dir.path().string()});
    INFO(dump(ws.notices));
    int root = app_index(ws, ""), web = app_index(ws, "apps/web"), api = app_index(ws, "apps/api");
    REQUIRE(root >= 0);
    REQUIRE(web >= 0);
    REQUIRE(api >= 0);
    CHECK(app_index(ws, "packages/ui") < 0);
    CHECK(app_index(ws, "tools") < 0);
    CHECK(ws.apps[api].scope_only);
    CHECK_FALSE(ws.apps[api].is_next);
    CHECK_FALSE(ws.apps[web].scope_only);
    REQUIRE(ws.apps[api].tsconfig);
    CHECK(targets(*ws.apps[api].tsconfig, "@api/*") == std::vector<std::string>{s(dir.path() / "apps/api/src/*")});

    // The app of a file (routes, middleware) never is a scope-only root; its scope is.
    const auto& init = file(ws, "apps/api/src/trpc/init.ts");
    CHECK(init.app == root);
    CHECK(init.scope == api);
    CHECK(file(ws, "apps/web/src/app/page.tsx").app == web);
    CHECK(file(ws, "apps/web/src/app/page.tsx").scope == web);
    CHECK(file(ws, "packages/ui/button.tsx").scope == root);
    CHECK(file(ws, "tools/gen.ts").scope == root);
}

TEST_CASE("project: discover with the root as the app", "[project][workspace]") {
    test::TempDir dir;
    dir.write("next.config.mjs", "export default {};\n");
    dir.write("jsconfig.json", R"({"compilerOptions": {"paths": {"@/*": ["./*"]}}})");
    dir.write("app/page.jsx", "x\n");
    dir.write("sub/next.config.ts", "export default {};\n");
    dir.write("sub/pages/index.tsx", "x\n");

    auto ws = discover({dir.path().string()});
    REQUIRE(ws.apps.size() == 2);
    CHECK(ws.apps[0].rel == "");
    CHECK(ws.apps[0].is_next);
    CHECK(ws.apps[0].dependencies.empty());
    REQUIRE(ws.apps[0].tsconfig);
    CHECK(ws.apps[0].tsconfig->file == dir.path() / "jsconfig.json");
    CHECK(ws.apps[1].rel == "sub");
    REQUIRE(ws.apps[1].tsconfig);  // nearest above: the root's jsconfig.json
    CHECK(ws.apps[1].tsconfig->file == dir.path() / "jsconfig.json");
    CHECK(file(ws, "app/page.jsx").app == 0);
    CHECK(file(ws, "sub/pages/index.tsx").app == 1);
}

TEST_CASE("project: discover reports a broken package.json and tsconfig", "[project][workspace]") {
    test::TempDir dir;
    dir.write("package.json", "{\n  \"dependencies\": {\"next\": \"14\",,}\n}");
    dir.write("tsconfig.json", R"({"extends": "./missing.json"})");
    dir.write("index.ts", "x\n");
    auto ws = discover({dir.path().string()});
    CHECK(rels(ws) == std::vector<std::string>{"index.ts"});
    const Notice* pkg = find_notice(ws.notices, "package.json", "invalid package.json: line 2");
    REQUIRE(pkg);
    CHECK(pkg->line == 2);
    CHECK(find_notice(ws.notices, "tsconfig.json", "\"./missing.json\": not found"));
    REQUIRE(ws.apps.size() == 1);
    CHECK_FALSE(ws.apps[0].is_next);
    CHECK(ws.apps[0].tsconfig);
}

TEST_CASE("project: discover inputs: files, several folders, errors", "[project][workspace]") {
    test::TempDir dir;
    dir.write("web/next.config.js", "x\n");
    dir.write("web/app/page.tsx", "x\n");
    dir.write("web/app/api/route.ts", "x\n");
    dir.write("lib/helper.ts", "x\n");
    dir.write("web/notes.txt", "x\n");

    SECTION("a single file: root is its folder") {
        auto ws = discover({(dir.path() / "web/app/page.tsx").string()});
        CHECK(ws.root == dir.path() / "web/app");
        CHECK(rels(ws) == std::vector<std::string>{"page.tsx"});
        CHECK(ws.apps.size() == 1);
    }
    SECTION("a file in an app root folder") {
        auto ws = discover({(dir.path() / "web/next.config.js").string()});
        CHECK(ws.root == dir.path() / "web");
        CHECK(rels(ws) == std::vector<std::string>{"next.config.js"});
        REQUIRE(ws.apps.size() == 1);
        CHECK(ws.apps[0].is_next);
    }
    SECTION("a file that is not source") {
        auto ws = discover({(dir.path() / "web/notes.txt").string()});
        CHECK(ws.files.empty());
        CHECK(find_notice(ws.notices, "notes.txt", "not a JavaScript or TypeScript file"));
    }
    SECTION("inputs outside the root get '..' paths; overlaps are listed once") {
        auto ws = discover({(dir.path() / "web").string(), (dir.path() / "lib").string(),
                            (dir.path() / "web/app").string(), (dir.path() / "web/app/page.tsx").string()});
        CHECK(ws.root == dir.path() / "web");
        CHECK(rels(ws) == std::vector<std::string>{"../lib/helper.ts", "app/api/route.ts", "app/page.tsx", "next.config.js"});
        CHECK(ws.notices.empty());
        REQUIRE(ws.apps.size() == 1);
        CHECK(ws.apps[0].is_next);
    }
    SECTION("a trailing slash and '.' segments") {
        auto ws = discover({(dir.path() / "web/./app/").string()});
        CHECK(ws.root == dir.path() / "web/app");
        CHECK(rels(ws) == std::vector<std::string>{"api/route.ts", "page.tsx"});
    }
    SECTION("a missing input") {
        std::string missing = (dir.path() / "nope").string();
        CHECK_THROWS_WITH(discover({missing}), "no such file or directory: " + missing);
        CHECK_THROWS_AS(discover({dir.path().string(), missing}), std::runtime_error);
    }
}

TEST_CASE("project: discover output is deterministic", "[project][workspace]") {
    test::TempDir dir;
    for (const char* f : {"z.ts", "a.ts", "m/b.ts", "m/a.ts", "B.ts", "m-x/c.ts", "m.ts"}) dir.write(f, "x\n");
    auto first = discover({dir.path().string()});
    auto second = discover({dir.path().string()});
    CHECK(rels(first) == rels(second));
    CHECK(std::is_sorted(first.files.begin(), first.files.end(),
                         [](const SourceFile& a, const SourceFile& b) { return a.rel < b.rel; }));
    CHECK(first.files.size() == 7);
}

namespace {

const WorkspacePackage* package_at(const Workspace& ws, const std::string& rel) {
    for (const auto& p : ws.packages) {
        if (p.rel == rel) return &p;
    }
    return nullptr;
}

std::vector<std::string> entry_targets(const std::vector<PackageMapEntry>& map, const std::string& key) {
    for (const auto& e : map) {
        if (e.key == key) return e.targets;
    }
    return {"<no key " + key + ">"};
}

}  // namespace

TEST_CASE("project: discover lists the workspace's packages", "[project][workspace]") {
    test::TempDir dir;
    dir.write("package.json", R"({"name": "acme", "private": true, "workspaces": ["apps/*", "packages/*"]})");
    dir.write("apps/web/package.json", R"({
      "name": "@acme/web",
      "dependencies": {"next": "15.0.0", "@acme/db": "workspace:*"},
      "imports": {"#utils/*": "./lib/utils/*.ts", "#env": {"types": "./env.d.ts", "default": "./env.ts"},
                  "#db": "@acme/db", "not-hash": "./x.ts"}
    })");
    dir.write("apps/web/app/api/route.ts", "x\n");
    dir.write("packages/db/package.json", R"({
      "name": "@acme/db",
      "main": "./dist/index.js", "module": "./dist/index.mjs", "typings": "./dist/index.d.ts",
      "exports": {
        ".": {"require": "./dist/index.cjs", "import": {"types": "./dist/index.d.mts", "default": "./dist/index.mjs"},
              "development": "./src/index.ts"},
        "./client": ["./src/client.ts", "./dist/client.js"],
        "./*": "./src/*.ts",
        "./internal/*": null,
        "./package.json": "./package.json"
      }
    })");
    dir.write("packages/db/src/index.ts", "x\n");
    dir.write("packages/ui/package.json", R"({"name": "ui", "exports": "./src/index.tsx"})");
    dir.write("packages/cond/package.json", R"({"name": "cond", "exports": {"import": "./a.mjs", "require": "./a.cjs"}})");
    dir.write("packages/noname/package.json", R"({"private": true})");
    dir.write("packages/broken/package.json", R"({"name": )");
    dir.write("node_modules/@acme/db/package.json", R"({"name": "@acme/db"})");
    dir.write(".gitignore", "ignored/\n");
    dir.write("ignored/package.json", R"({"name": "ignored"})");
    dir.write("packages/tsconfig/package.json", R"({"name": "tsconfig", "private": true})");
    dir.write("packages/tsconfig/nextjs.json", R"({"compilerOptions": {"paths": {"@/*": ["./*"]}}})");
    dir.write("apps/web/tsconfig.json", R"({"extends": "tsconfig/nextjs.json", "compilerOptions": {"baseUrl": "."}})");

    auto ws = discover({dir.path().string()});
    INFO(dump(ws.notices));
    std::vector<std::string> folders;
    for (const auto& p : ws.packages) folders.push_back(p.rel);
    CHECK(folders == std::vector<std::string>{"", "apps/web", "packages/cond", "packages/db", "packages/noname",
                                              "packages/tsconfig", "packages/ui"});
    CHECK(find_notice(ws.notices, "packages/broken/package.json", "invalid package.json"));

    const WorkspacePackage* root = package_at(ws, "");
    REQUIRE(root);
    CHECK(root->name == "acme");
    CHECK(root->exports.empty());
    CHECK(package_at(ws, "packages/noname")->name.empty());

    const WorkspacePackage* web = package_at(ws, "apps/web");
    REQUIRE(web);
    CHECK(web->name == "@acme/web");
    REQUIRE(web->imports.size() == 3);  // "not-hash" is no import key
    CHECK(entry_targets(web->imports, "#utils/*") == std::vector<std::string>{"./lib/utils/*.ts"});
    CHECK(entry_targets(web->imports, "#env") == std::vector<std::string>{"./env.d.ts", "./env.ts"});
    CHECK(entry_targets(web->imports, "#db") == std::vector<std::string>{"@acme/db"});

    const WorkspacePackage* db = package_at(ws, "packages/db");
    REQUIRE(db);
    CHECK(db->name == "@acme/db");
    CHECK(db->main == "./dist/index.js");
    CHECK(db->module == "./dist/index.mjs");
    CHECK(db->types == "./dist/index.d.ts");
    REQUIRE(db->exports.size() == 5);
    // Preferred conditions first (types, import, default, require, node), then the others.
    CHECK(entry_targets(db->exports, ".") ==
          std::vector<std::string>{"./dist/index.d.mts", "./dist/index.mjs", "./dist/index.cjs", "./src/index.ts"});
    CHECK(entry_targets(db->exports, "./client") == std::vector<std::string>{"./src/client.ts", "./dist/client.js"});
    CHECK(entry_targets(db->exports, "./*") == std::vector<std::string>{"./src/*.ts"});
    CHECK(entry_targets(db->exports, "./internal/*").empty());

    // Sugar forms of "exports" stand for ".".
    CHECK(entry_targets(package_at(ws, "packages/ui")->exports, ".") == std::vector<std::string>{"./src/index.tsx"});
    CHECK(entry_targets(package_at(ws, "packages/cond")->exports, ".") == std::vector<std::string>{"./a.mjs", "./a.cjs"});

    // The app's tsconfig extends the workspace package "tsconfig" without a notice.
    int web_app = app_index(ws, "apps/web");
    REQUIRE(web_app >= 0);
    REQUIRE(ws.apps[web_app].tsconfig);
    CHECK(targets(*ws.apps[web_app].tsconfig, "@/*") == std::vector<std::string>{s(dir.path() / "apps/web/*")});
    CHECK_FALSE(find_notice(ws.notices, "apps/web/tsconfig.json", "not found"));
    CHECK(ws.notices.size() == 1);
}
