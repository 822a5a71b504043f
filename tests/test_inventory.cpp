// --list-entry-points: the attack-surface inventory, one entry per way of authenticating.
#include <catch2/catch.hpp>

#include <map>
#include <nlohmann/json.hpp>

#include "support.hpp"

using nlohmann::json;

namespace {

/// A small app with one entry point per way of authenticating (and a few without).
void write_app(const test::TempDir& dir) {
    dir.write("package.json", R"({ "dependencies": { "next": "15.1.0", "next-auth": "4.24.0", "stripe": "17.0.0",
      "next-safe-action": "7.10.0", "@trpc/server": "11.0.0", "zod": "3.24.0" } })");
    dir.write("lib/db.ts", "import { PrismaClient } from \"@prisma/client\";\nexport const prisma = new PrismaClient();\n");
    dir.write("lib/auth.ts",
              "import { getServerSession } from \"next-auth\";\n"
              "export const authOptions = {};\n"
              "export async function requireUser() {\n"
              "  const session = await getServerSession(authOptions);\n"
              "  if (!session) throw new Error(\"Unauthorized\");\n"
              "  return session.user as { id: string };\n"
              "}\n"
              "export function withAuth(handler: (req: Request) => Promise<Response>) {\n"
              "  return async (req: Request) => {\n"
              "    const session = await getServerSession(authOptions);\n"
              "    if (!session) return new Response(null, { status: 401 });\n"
              "    return handler(req);\n"
              "  };\n"
              "}\n");
    // call: a helper that rejects; its body reaches a write unvalidated
    dir.write("app/api/notes/route.ts",
              "import { prisma } from \"@/lib/db\";\nimport { requireUser } from \"@/lib/auth\";\n"
              "export async function POST(req: Request) {\n"
              "  const user = await requireUser();\n"
              "  const body = await req.json();\n"
              "  await prisma.note.create({ data: { text: body.text, userId: user.id } });\n"
              "  return Response.json({ ok: true });\n"
              "}\n");
    // wrapper
    dir.write("app/api/notes/latest/route.ts",
              "import { prisma } from \"@/lib/db\";\nimport { withAuth } from \"@/lib/auth\";\n"
              "export const GET = withAuth(async () => Response.json(await prisma.note.findFirst({ where: { userId: \"u\" } })));\n");
    // middleware
    dir.write("middleware.ts",
              "export { default } from \"next-auth/middleware\";\n"
              "export const config = { matcher: [\"/api/admin/:path*\"] };\n");
    dir.write("app/api/admin/purge/route.ts",
              "import { prisma } from \"@/lib/db\";\n"
              "export async function DELETE() {\n  await prisma.note.deleteMany({});\n  return new Response(null);\n}\n");
    // signature
    dir.write("app/api/webhooks/stripe/route.ts",
              "import Stripe from \"stripe\";\nimport { prisma } from \"@/lib/db\";\n"
              "const stripe = new Stripe(process.env.STRIPE_KEY!);\n"
              "export async function POST(req: Request) {\n"
              "  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get(\"stripe-signature\")!, process.env.WH!);\n"
              "  await prisma.payment.create({ data: { stripeId: event.id } });\n"
              "  return new Response(null);\n"
              "}\n");
    // secret
    dir.write("app/api/jobs/cleanup/route.ts",
              "import { prisma } from \"@/lib/db\";\n"
              "export async function GET(req: Request) {\n"
              "  if (req.headers.get(\"authorization\") !== `Bearer ${process.env.CRON_SECRET}`) {\n"
              "    return new Response(null, { status: 401 });\n"
              "  }\n"
              "  await prisma.job.deleteMany({ where: { done: true } });\n"
              "  return new Response(null);\n"
              "}\n");
    // capability
    dir.write("app/api/invites/[token]/route.ts",
              "import { prisma } from \"@/lib/db\";\n"
              "export async function POST(_req: Request, { params }: { params: Promise<{ token: string }> }) {\n"
              "  const { token } = await params;\n"
              "  const invite = await prisma.invite.findUnique({ where: { token } });\n"
              "  if (!invite) return new Response(null, { status: 404 });\n"
              "  await prisma.member.create({ data: { teamId: invite.teamId, email: invite.email } });\n"
              "  return new Response(null);\n"
              "}\n");
    // none, public by purpose, and none at all
    dir.write("app/api/sign-in/route.ts",
              "import { prisma } from \"@/lib/db\";\n"
              "export async function POST(req: Request) {\n"
              "  const { email } = await req.json();\n"
              "  return Response.json(await prisma.user.findUnique({ where: { email }, select: { id: true } }));\n"
              "}\n");
    dir.write("app/api/open/route.ts",
              "import { prisma } from \"@/lib/db\";\n"
              "export async function PUT() {\n  await prisma.setting.update({ where: { id: 1 }, data: { open: true } });\n"
              "  return new Response(null);\n}\n");
    // action-client
    dir.write("lib/safe-action.ts",
              "import { createSafeActionClient } from \"next-safe-action\";\nimport { requireUser } from \"@/lib/auth\";\n"
              "export const actionClient = createSafeActionClient();\n"
              "export const authActionClient = actionClient.use(async ({ next }) => {\n"
              "  const user = await requireUser();\n"
              "  return next({ ctx: { user } });\n"
              "});\n");
    dir.write("app/notes/actions.ts",
              "\"use server\";\nimport { z } from \"zod\";\nimport { prisma } from \"@/lib/db\";\n"
              "import { authActionClient } from \"@/lib/safe-action\";\n"
              "export const archiveNote = authActionClient\n"
              "  .inputSchema(z.object({ id: z.string() }))\n"
              "  .action(async ({ parsedInput, ctx }) => {\n"
              "    await prisma.note.update({ where: { id: parsedInput.id, userId: ctx.user.id }, data: { archived: true } });\n"
              "  });\n");
    // procedure
    dir.write("server/trpc.ts",
              "import { initTRPC, TRPCError } from \"@trpc/server\";\n"
              "const t = initTRPC.context<{ userId?: string }>().create();\n"
              "export const router = t.router;\n"
              "const isAuthed = t.middleware(({ ctx, next }) => {\n"
              "  if (!ctx.userId) throw new TRPCError({ code: \"UNAUTHORIZED\" });\n"
              "  return next();\n"
              "});\n"
              "export const protectedProcedure = t.procedure.use(isAuthed);\n");
    dir.write("server/routers/notes.ts",
              "import { z } from \"zod\";\nimport { prisma } from \"@/lib/db\";\n"
              "import { protectedProcedure, router } from \"../trpc\";\n"
              "export const notesRouter = router({\n"
              "  remove: protectedProcedure.input(z.object({ id: z.string() })).mutation(async ({ input }) => {\n"
              "    await prisma.note.delete({ where: { id: input.id } });\n"
              "  }),\n"
              "});\n");
    // authenticated in one method branch
    dir.write("pages/api/items.ts",
              "import { getServerSession } from \"next-auth\";\nimport { prisma } from \"@/lib/db\";\n"
              "export default async function handler(req: any, res: any) {\n"
              "  if (req.method === \"POST\") {\n"
              "    const session = await getServerSession(req, res, {});\n"
              "    if (!session) return res.status(401).end();\n"
              "    await prisma.item.create({ data: { name: \"x\" } });\n"
              "    return res.json({});\n"
              "  }\n"
              "  res.status(405).end();\n"
              "}\n");
    // a dispatcher: the procedures are the entry points
    dir.write("app/api/trpc/[trpc]/route.ts",
              "import { fetchRequestHandler } from \"@trpc/server/adapters/fetch\";\n"
              "import { notesRouter } from \"@/server/routers/notes\";\n"
              "const handler = (req: Request) =>\n"
              "  fetchRequestHandler({ endpoint: \"/api/trpc\", req, router: notesRouter, createContext: () => ({}) });\n"
              "export { handler as GET, handler as POST };\n");
    dir.write("tsconfig.json", R"({ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./*"] } } })");
}

}  // namespace

TEST_CASE("inventory: every entry point with how it is authenticated, as JSON", "[inventory][cli]") {
    test::TempDir dir;
    write_app(dir);
    auto r = test::run_nextguard("--list-entry-points --format json .", dir.path());
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    json doc = json::parse(r.out);
    CHECK(doc["version"] == 1);
    std::map<std::string, json> by_label;
    for (const auto& e : doc["entryPoints"]) by_label[e["label"].get<std::string>()] = e;
    auto auth = [&](const std::string& label) {
        INFO(label);
        REQUIRE(by_label.count(label));
        const json& a = by_label[label]["auth"];
        std::string where = a["file"].is_null() ? "" : a["file"].get<std::string>() + ":" + std::to_string(a["line"].get<int>());
        return a["by"].get<std::string>() + " " + where;
    };
    // the place is where the check is
    CHECK(auth("POST /api/notes") == "call lib/auth.ts:4");  // the auth call whose result is checked
    CHECK(auth("GET /api/notes/latest") == "wrapper lib/auth.ts:10");
    CHECK(auth("DELETE /api/admin/purge") == "middleware middleware.ts:1");
    CHECK(auth("POST /api/webhooks/stripe") == "signature app/api/webhooks/stripe/route.ts:5");
    CHECK(auth("GET /api/jobs/cleanup") == "secret app/api/jobs/cleanup/route.ts:3");
    CHECK(auth("POST /api/invites/[token]") == "capability app/api/invites/[token]/route.ts:4");
    CHECK(auth("server action archiveNote") == "action-client lib/auth.ts:4");
    CHECK(auth("tRPC procedure remove") == "procedure server/trpc.ts:5");
    CHECK(auth("POST /api/sign-in") == "none ");
    CHECK(by_label["POST /api/sign-in"]["publicByDesign"] == "sign-in");
    CHECK(auth("PUT /api/open") == "none ");
    CHECK(by_label["PUT /api/open"]["publicByDesign"].is_null());
    CHECK(by_label.size() == 13);
    CHECK(auth("API route /api/items") == "call pages/api/items.ts:5");
    CHECK(by_label["API route /api/items"]["auth"]["detail"] == "in some method branches: getServerSession");
    CHECK(by_label["POST /api/trpc/[trpc]"]["dispatches"] == "fetchRequestHandler");
    CHECK(auth("POST /api/trpc/[trpc]") == "none ");
    CHECK(by_label["PUT /api/open"]["dispatches"].is_null());
    // validation and writes on the path
    CHECK(by_label["POST /api/notes"]["validated"] == false);
    REQUIRE(by_label["POST /api/notes"]["unvalidated"].size() == 1);
    CHECK(by_label["POST /api/notes"]["unvalidated"][0]["line"] == 6);
    CHECK(by_label["server action archiveNote"]["validated"] == true);
    // the body's email as a lookup key: it could be an object
    CHECK(by_label["POST /api/sign-in"]["validated"] == false);
    CHECK(by_label["POST /api/invites/[token]"]["writes"].size() == 1);
    CHECK(by_label["GET /api/notes/latest"]["writes"].empty());
    CHECK(by_label["DELETE /api/admin/purge"]["writes"][0]["file"] == "app/api/admin/purge/route.ts");
    CHECK(r.err.empty());
}

TEST_CASE("inventory: text output and its summary; sarif is refused", "[inventory][cli]") {
    test::TempDir dir;
    write_app(dir);
    auto r = test::run_nextguard("--list-entry-points --color never .", dir.path());
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("app/api/open/route.ts:2  PUT /api/open\n    auth: none  ·  input: validated  ·  writes: 1\n") !=
          std::string::npos);
    CHECK(r.out.find("auth: none (public by purpose: sign-in)") != std::string::npos);
    CHECK(r.out.find("13 entry points · 1 without authentication · 2 with unvalidated input\n") != std::string::npos);
    auto bad = test::run_nextguard("--list-entry-points --format sarif .", dir.path());
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("text or json") != std::string::npos);
}
