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
