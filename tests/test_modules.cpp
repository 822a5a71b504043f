// Module resolution among the analyzed files.
#include <catch2/catch.hpp>

#include "analysis/modules.hpp"

using nextguard::analysis::AppConfig;
using nextguard::analysis::join_paths;
using nextguard::analysis::ModuleResolver;

TEST_CASE("modules: join_paths folds . and ..", "[modules]") {
    CHECK(join_paths("app/api/x", "../../lib/db") == "app/lib/db");
    CHECK(join_paths("app", "./route") == "app/route");
    CHECK(join_paths("", "./a/./b/../c") == "a/c");
    CHECK(join_paths("a", "..") == "");
    CHECK(join_paths("", "../outside") == "../outside");
}

TEST_CASE("modules: relative, index, extensions, tsconfig paths and baseUrl", "[modules]") {
    std::vector<std::string> files = {
        "apps/web/app/api/x/route.ts",    // 0
        "apps/web/lib/db.ts",             // 1
        "apps/web/lib/auth/index.tsx",    // 2
        "apps/web/src/server/q.mts",      // 3
        "apps/web/lib/legacy.js",         // 4
        "apps/web/components/button.tsx", // 5
        "apps/web/lib/special.ts",        // 6
        "apps/web/lib/special/index.ts",  // 7
        "packages/db/src/index.ts",       // 8
    };
    AppConfig web;
    web.dir = "apps/web";
    web.has_base_url = true;
    web.base_url = "apps/web";
    web.paths = {{"@/*", {"apps/web/*"}},
                 {"@/lib/special", {"apps/web/lib/special/index.ts"}},
                 {"~server/*", {"apps/web/src/server/*", "apps/web/lib/*"}}};
    ModuleResolver r(files, {AppConfig{}, web});
    const int app = 1;
    CHECK(r.resolve(0, app, "../../../lib/db") == 1);
    CHECK(r.resolve(0, app, "../../../lib/db.ts") == 1);
    CHECK(r.resolve(0, app, "../../../lib/db.js") == 1);     // TypeScript's .js -> .ts
    CHECK(r.resolve(0, app, "../../../lib/auth") == 2);      // index file
    CHECK(r.resolve(0, app, "@/lib/db") == 1);
    CHECK(r.resolve(0, app, "@/lib/legacy") == 4);
    CHECK(r.resolve(0, app, "@/lib/special") == 7);          // the exact pattern beats "@/*"
    CHECK(r.resolve(0, app, "~server/q") == 3);              // first target
    CHECK(r.resolve(0, app, "~server/db") == 1);             // second target
    CHECK(r.resolve(0, app, "components/button") == 5);      // baseUrl
    CHECK(r.resolve(0, app, "react") == -1);                  // a package
    CHECK(r.resolve(0, app, "@acme/db") == -1);
    CHECK(r.resolve(0, app, "../../../lib/missing") == -1);
    CHECK(r.resolve(0, 0, "@/lib/db") == -1);                  // another app's aliases do not apply
    CHECK(r.resolve(0, -1, "@/lib/db") == -1);
    CHECK(r.resolve(0, app, "/abs/path") == -1);
}

namespace {

using nextguard::project::PackageMapEntry;
using nextguard::project::WorkspacePackage;

WorkspacePackage package(std::string name, std::string rel) {
    WorkspacePackage p;
    p.name = std::move(name);
    p.rel = std::move(rel);
    return p;
}

}  // namespace

TEST_CASE("modules: workspace packages through exports, main, src/index and subpaths", "[modules]") {
    std::vector<std::string> files = {
        "apps/web/app/api/x/route.ts",     // 0
        "packages/db/src/index.ts",        // 1
        "packages/db/src/client.ts",       // 2
        "packages/db/src/orders/list.ts",  // 3
        "packages/ui/src/index.tsx",       // 4
        "packages/ui/button.tsx",          // 5
        "packages/ui/src/card/index.tsx",  // 6
        "packages/lib/main.ts",            // 7
        "packages/lib/index.ts",           // 8
        "packages/legacy/index.js",        // 9
        "packages/types/src/entry.ts",     // 10
        "packages/cond/src/server.ts",     // 11
        "packages/cond/src/browser.ts",    // 12
        "packages/hidden/src/index.ts",    // 13
        "packages/hidden/src/internal/secret.ts",  // 14
        "packages/sugar/src/main.mts",     // 15
        "packages/dist/src/index.ts",      // 16
    };
    std::vector<WorkspacePackage> pkgs;
    auto db = package("@acme/db", "packages/db");
    db.exports = {{".", {"./src/index.ts"}},
                  {"./client", {"./src/client.ts"}},
                  {"./*", {"./src/*.ts"}},
                  {"./orders/*", {"./src/orders/*.ts"}}};
    pkgs.push_back(db);
    pkgs.push_back(package("ui", "packages/ui"));  // no exports, no main: src/index, folder subpaths
    auto lib = package("lib", "packages/lib");
    lib.main = "./main.js";  // main wins over index; .js names the .ts source
    pkgs.push_back(lib);
    pkgs.push_back(package("legacy", "packages/legacy"));
    auto types = package("@acme/types", "packages/types");
    types.types = "src/entry.ts";
    pkgs.push_back(types);
    auto cond = package("@acme/cond", "packages/cond");
    // Condition objects arrive flattened in preference order ("types" before "default" ...).
    cond.exports = {{".", {"./dist/index.d.ts", "./src/server.ts", "./src/browser.ts"}}};
    pkgs.push_back(cond);
    auto hidden = package("@acme/hidden", "packages/hidden");
    hidden.exports = {{".", {"./src/index.ts"}}, {"./internal/*", {}}, {"./*", {"./src/*.ts"}}};
    pkgs.push_back(hidden);
    auto sugar = package("sugar", "packages/sugar");
    sugar.exports = {{".", {"./src/main.mjs"}}};
    pkgs.push_back(sugar);
    auto dist = package("@acme/dist", "packages/dist");
    dist.exports = {{".", {"./dist/index.mjs"}}};  // built output is not analyzed: src/index
    dist.main = "./dist/index.js";
    pkgs.push_back(dist);
    pkgs.push_back(package("", "apps/web"));  // unnamed: never a package import

    AppConfig web;
    web.dir = "apps/web";
    web.paths = {{"@/*", {"apps/web/*"}}};
    ModuleResolver r(files, {AppConfig{}, web}, pkgs);
    const int app = 1;
    CHECK(r.resolve(0, app, "@acme/db") == 1);              // exports "."
    CHECK(r.resolve(0, app, "@acme/db/client") == 2);       // exact subpath
    CHECK(r.resolve(0, app, "@acme/db/index") == 1);        // "./*" pattern
    CHECK(r.resolve(0, app, "@acme/db/orders/list") == 3);  // the longer pattern prefix wins
    CHECK(r.resolve(0, app, "@acme/db/nope") == -1);
    CHECK(r.resolve(0, app, "ui") == 4);                     // src/index.*
    CHECK(r.resolve(0, app, "ui/button") == 5);              // <pkgdir>/<subpath>
    CHECK(r.resolve(0, app, "ui/card") == 6);                // <pkgdir>/src/<subpath>, index file
    CHECK(r.resolve(0, app, "lib") == 7);                    // "main"
    CHECK(r.resolve(0, app, "lib/index") == 8);
    CHECK(r.resolve(0, app, "legacy") == 9);                 // index.* in the package folder
    CHECK(r.resolve(0, app, "@acme/types") == 10);           // "types"
    CHECK(r.resolve(0, app, "@acme/cond") == 11);            // first condition target that exists
    CHECK(r.resolve(0, app, "@acme/hidden") == 13);
    CHECK(r.resolve(0, app, "@acme/hidden/internal/secret") == 14);  // null export: folder fallback
    CHECK(r.resolve(0, app, "sugar") == 15);                 // .mjs names the .mts source
    CHECK(r.resolve(0, app, "@acme/dist") == 16);            // dist targets missing: src/index
    CHECK(r.resolve(0, app, "@acme/other") == -1);
    CHECK(r.resolve(0, app, "react") == -1);
    CHECK(r.resolve(0, app, "@acme") == -1);
    CHECK(r.resolve(0, -1, "@acme/db") == 1);                // no app needed
    CHECK(r.resolve(1, 0, "@acme/db/client") == 2);          // self-reference from inside the package

    SECTION("tsconfig paths win over packages") {
        AppConfig aliased = web;
        aliased.paths = {{"@acme/db", {"packages/db/src/client.ts"}}};
        ModuleResolver r2(files, {AppConfig{}, aliased}, pkgs);
        CHECK(r2.resolve(0, app, "@acme/db") == 2);
        CHECK(r2.resolve(0, app, "@acme/db/orders/list") == 3);
    }
    SECTION("the same name twice: the package nearest the importer") {
        std::vector<std::string> f2 = {"examples/a/app/route.ts", "examples/a/db/index.ts", "packages/db/index.ts"};
        ModuleResolver r2(f2, {AppConfig{}}, {package("db", "examples/a/db"), package("db", "packages/db")});
        CHECK(r2.resolve(0, 0, "db") == 1);
    }
}

TEST_CASE("modules: package.json #imports of the nearest package.json", "[modules]") {
    std::vector<std::string> files = {
        "apps/web/app/api/x/route.ts",  // 0
        "apps/web/lib/utils/format.ts", // 1
        "apps/web/lib/db.ts",           // 2
        "apps/web/lib/env/index.ts",    // 3
        "packages/db/src/index.ts",     // 4
        "apps/web/lib/env/server.ts",   // 5
        "tools/script.ts",              // 6
        "tools/helpers.ts",             // 7
    };
    auto web = package("@acme/web", "apps/web");
    web.imports = {{"#utils/*", {"./lib/utils/*.ts"}},
                   {"#db", {"./lib/db.js"}},
                   {"#env", {"./lib/env/server.ts", "./lib/env/index.ts"}},
                   {"#env/*", {"./lib/env/*"}},
                   {"#acme-db", {"@acme/db"}},
                   {"#missing", {"./lib/missing.ts"}}};
    auto db = package("@acme/db", "packages/db");
    db.exports = {{".", {"./src/index.ts"}}};
    auto root = package("acme", "");
    root.imports = {{"#helpers", {"./tools/helpers.ts"}}};
    ModuleResolver r(files, {AppConfig{}}, {root, web, db});
    CHECK(r.resolve(0, 0, "#utils/format") == 1);  // pattern
    CHECK(r.resolve(0, 0, "#db") == 2);            // exact key; .js names the .ts source
    CHECK(r.resolve(0, 0, "#env") == 5);           // first target that exists
    CHECK(r.resolve(0, 0, "#env/index") == 3);     // probed: extensions
    CHECK(r.resolve(0, 0, "#acme-db") == 4);       // a package target
    CHECK(r.resolve(0, 0, "#missing") == -1);
    CHECK(r.resolve(0, 0, "#unknown") == -1);
    CHECK(r.resolve(0, 0, "#helpers") == -1);      // the nearest package.json (apps/web) decides
    CHECK(r.resolve(6, 0, "#helpers") == 7);       // the root's
    CHECK(r.resolve(6, 0, "#db") == -1);
    CHECK(r.resolve(4, 0, "#db") == -1);           // packages/db has no imports
}
