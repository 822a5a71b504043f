// Entry-point discovery: every export form, URL patterns, Server Actions, middleware.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "analysis/project.hpp"
#include "syntax/tree.hpp"

using namespace nextguard;
using analysis::EntryPoint;

namespace {

analysis::Unit unit(const std::string& rel, const std::string& source, const std::string& app_dir = "") {
    auto tree = syntax::thread_parser().parse(source, syntax::dialect_for(rel));
    return {analysis::extract_facts(tree, rel), app_dir};
}

/// "kind name url -> handler function name" for every entry point, for compact assertions.
std::vector<std::string> describe(const analysis::Project& p) {
    std::vector<std::string> out;
    for (const auto& e : p.entry_points()) {
        std::string fn = "-";
        if (e.handler) {
            fn = p.units()[e.handler.file].facts.functions[e.handler.function].name;
            if (fn.empty()) fn = "(anonymous)";
        }
        std::string s = std::string(EntryPoint::kind_name(e.kind)) + " " + e.name;
        if (!e.url.empty()) s += " " + e.url;
        out.push_back(s + " -> " + fn);
    }
    return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("entry points: URL patterns from app and pages paths", "[entry]") {
    using K = analysis::RouteInfo::Kind;
    auto url = [](const char* p) { return analysis::classify_path(p).url; };
    auto kind = [](const char* p) { return analysis::classify_path(p).kind; };
    CHECK(url("app/api/projects/route.ts") == "/api/projects");
    CHECK(url("app/route.ts") == "/");
    CHECK(url("src/app/api/projects/[id]/route.ts") == "/api/projects/[id]");
    CHECK(url("app/(marketing)/(en)/api/x/route.js") == "/api/x");
    CHECK(url("app/api/files/[...path]/route.ts") == "/api/files/[...path]");
    CHECK(url("app/docs/[[...slug]]/route.tsx") == "/docs/[[...slug]]");
    CHECK(url("app/@modal/api/x/route.ts") == "/api/x");
    CHECK(url("app/feed/(..)photo/route.ts") == "/feed/photo");
    CHECK(kind("app/_lib/route.ts") == K::None);
    CHECK(kind("app/api/_internal/jobs/route.ts") == K::None);
    CHECK(kind("app/api/projects/page.tsx") == K::None);
    CHECK(kind("app/api/projects/route.test.ts") == K::None);
    CHECK(kind("lib/route.ts") == K::None);
    CHECK(url("pages/api/users/index.ts") == "/api/users");
    CHECK(url("pages/api/index.ts") == "/api");
    CHECK(url("src/pages/api/users/[id].ts") == "/api/users/[id]");
    CHECK(url("pages/api/auth/[...nextauth].js") == "/api/auth/[...nextauth]");
    CHECK(kind("pages/about.tsx") == K::None);
    CHECK(kind("middleware.ts") == K::Middleware);
    CHECK(kind("src/middleware.js") == K::Middleware);
    CHECK(kind("proxy.ts") == K::Middleware);
    CHECK(kind("lib/middleware.ts") == K::None);
    CHECK(kind("app/middleware.ts") == K::None);
    CHECK(kind("README.md") == K::None);
}

TEST_CASE("entry points: test and mock files", "[entry]") {
    CHECK(analysis::is_test_file("lib/user.test.ts"));
    CHECK(analysis::is_test_file("app/api/x/route.spec.tsx"));
    CHECK(analysis::is_test_file("__tests__/auth.ts"));
    CHECK(analysis::is_test_file("apps/web/utils/__mocks__/prisma.ts"));
    CHECK_FALSE(analysis::is_test_file("lib/test.ts"));
    CHECK_FALSE(analysis::is_test_file("lib/contest.ts"));
    CHECK_FALSE(analysis::is_test_file("app/api/test/route.ts"));
    CHECK_FALSE(analysis::is_test_file("lib/my__tests__/x.ts"));
    CHECK_FALSE(analysis::is_test_file("lib/spec.ts"));
}

TEST_CASE("entry points: App Router export forms", "[entry]") {
    std::vector<analysis::Unit> units;
    units.push_back(unit("app/api/a/route.ts", R"(
export async function GET(req: Request) { return Response.json([]); }
export const POST = async (req: Request) => new Response(null);
export const PUT = async function put(req) { return new Response(); };
export const PATCH = withAuth(async (req, ctx) => Response.json({}));
export const DELETE = withWorkspace(deleteHandler, { requiredPermissions: ["links.write"] });
async function deleteHandler() { return new Response(); }
export const dynamic = "force-dynamic";
export function generateStaticParams() { return []; }
export async function helper() {}
)"));
    units.push_back(unit("app/api/b/route.ts", R"(
const handler = async (req: Request) => Response.json({ ok: true });
function options() { return new Response(null, { status: 204 }); }
export { handler as GET, handler as POST, options as OPTIONS };
export { HEAD } from "../c/route";
)"));
    units.push_back(unit("app/api/c/route.ts", "export * from \"../a/route\";\n"));
    analysis::Project p(std::move(units));
    CHECK(describe(p) == V{
                             "route GET /api/a -> GET",
                             "route POST /api/a -> POST",
                             "route PUT /api/a -> put",
                             "route PATCH /api/a -> PATCH",
                             "route DELETE /api/a -> deleteHandler",
                             "route GET /api/b -> handler",
                             "route POST /api/b -> handler",
                             "route OPTIONS /api/b -> options",
                             "route HEAD /api/b -> -",
                             // `export * from "../a/route"` serves a's handlers under /api/c
                             "route GET /api/c -> GET",
                             "route POST /api/c -> POST",
                             "route PUT /api/c -> put",
                             "route PATCH /api/c -> PATCH",
                             "route DELETE /api/c -> deleteHandler",
                         });
}

TEST_CASE("entry points: Pages Router API routes", "[entry]") {
    std::vector<analysis::Unit> units;
    units.push_back(unit("pages/api/a.ts", "export default async function handler(req, res) { res.json([]); }\n"
                                           "export const config = { api: { bodyParser: false } };\n"));
    units.push_back(unit("pages/api/b/index.ts", "const handler: NextApiHandler = async (req, res) => {};\n"
                                                 "export default handler;\n"));
    units.push_back(unit("pages/api/c.js", "export default withSessionRoute(async function c(req, res) {});\n"));
    units.push_back(unit("pages/api/d.ts", "export async function notAnEntry() {}\n"));
    units.push_back(unit("pages/index.tsx", "export default function Home() { return <main/>; }\n"));
    analysis::Project p(std::move(units));
    CHECK(describe(p) == V{
                             "api-route default /api/a -> handler",
                             "api-route default /api/b -> handler",
                             "api-route default /api/c -> c",
                         });
}

TEST_CASE("entry points: Server Actions", "[entry]") {
    std::vector<analysis::Unit> units;
    units.push_back(unit("app/actions.ts", R"(// a comment may come first
"use server";
import { z } from "zod";
export async function createPost(formData: FormData) {}
export const deletePost = async (id: string) => {};
export const updatePost = authActionClient.inputSchema(schema).action(async ({ parsedInput }) => {});
export type PostInput = { title: string };
const helper = async () => {};
)"));
    units.push_back(unit("lib/not-actions.ts", R"(import "server-only";
"use server";
export async function notAnAction() {}
)"));
    units.push_back(unit("app/page.tsx", R"(
export default async function Page() {
  async function save(formData: FormData) {
    "use server";
    await db.x.create({});
  }
  const remove = async () => { "use server"; };
  return <form action={save}><button formAction={remove}/></form>;
}
)"));
    units.push_back(unit("components/client.tsx", "\"use client\";\nexport async function looksLikeAction() {}\n"));
    analysis::Project p(std::move(units));
    CHECK(describe(p) == V{
                             "server-action createPost -> createPost",
                             "server-action deletePost -> deletePost",
                             "server-action updatePost -> updatePost",
                             "server-action save -> save",
                             "server-action remove -> remove",
                         });
    CHECK(p.units()[0].facts.use_server);
    CHECK_FALSE(p.units()[1].facts.use_server);
    CHECK(p.units()[3].facts.use_client);
}

TEST_CASE("entry points: middleware and its matcher", "[entry]") {
    SECTION("array of strings and objects") {
        std::vector<analysis::Unit> units;
        units.push_back(unit("middleware.ts", R"js(
import { NextResponse } from "next/server";
export function middleware(req) { return NextResponse.next(); }
export const config = {
  matcher: ["/dashboard/:path*", { source: "/((?!api|_next/static|_next/image|favicon.ico).*)", missing: [] }],
};
)js"));
        analysis::Project p(std::move(units));
        REQUIRE(p.entry_points().size() == 1);
        const auto& e = p.entry_points()[0];
        CHECK(e.kind == EntryPoint::Kind::Middleware);
        CHECK(e.name == "middleware");
        CHECK(e.matchers == V{"/dashboard/:path*", "/((?!api|_next/static|_next/image|favicon.ico).*)"});
    }
    SECTION("re-exported default, single string matcher, src/ and app folder") {
        std::vector<analysis::Unit> units;
        units.push_back(unit("apps/web/src/middleware.ts",
                             "export { default } from \"next-auth/middleware\";\n"
                             "export const config = { matcher: '/settings/:path*' };\n",
                             "apps/web"));
        units.push_back(unit("apps/web/proxy.ts", "export default function proxy(req) {}\n", "apps/web"));
        units.push_back(unit("middleware.ts", "export function middleware() {}\n", "apps/web"));
        analysis::Project p(std::move(units));
        REQUIRE(p.entry_points().size() == 2);
        CHECK(p.entry_points()[0].name == "default");
        CHECK(p.entry_points()[0].matchers == V{"/settings/:path*"});
        CHECK(p.entry_points()[1].handler == analysis::FunctionRef{1, 0});
    }
    SECTION("no config means no matcher") {
        std::vector<analysis::Unit> units;
        units.push_back(unit("middleware.js", "export default function middleware() {}\n"));
        analysis::Project p(std::move(units));
        REQUIRE(p.entry_points().size() == 1);
        CHECK(p.entry_points()[0].matchers.empty());
        CHECK_FALSE(p.units()[0].facts.middleware_config.present);
    }
}

TEST_CASE("entry points: reachability stays within what the entry calls", "[entry]") {
    std::vector<analysis::Unit> units;
    units.push_back(unit("app/api/x/route.ts", R"(
async function a() { return b(); }
async function b() { return 1; }
async function unrelated() {}
export async function GET() {
  await a();
  await Promise.all([1, 2].map(async (n) => n));
  return new Response();
}
)"));
    analysis::Project p(std::move(units));
    REQUIRE(p.entry_points().size() == 1);
    std::vector<std::string> names;
    for (const auto& f : p.reachable(p.entry_points()[0]))
        names.push_back(p.units()[f.file].facts.functions[f.function].name);
    std::sort(names.begin(), names.end());
    CHECK(names == V{"", "GET", "a", "b"});
}
