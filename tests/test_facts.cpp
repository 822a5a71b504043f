// Per-file facts: database operations by style, transactions, guards, call results.
#include <catch2/catch.hpp>

#include "analysis/facts.hpp"
#include "syntax/tree.hpp"

using namespace nextguard;
using analysis::DbOp;

namespace {

analysis::FileFacts facts_of(const std::string& source, const std::string& rel = "app/api/x/route.ts") {
    auto tree = syntax::thread_parser().parse(source, syntax::dialect_for(rel));
    return analysis::extract_facts(tree, rel);
}

std::vector<std::string> ops(const analysis::FileFacts& f) {
    std::vector<std::string> out;
    for (const auto& op : f.db_ops) {
        const char* kind = op.kind == DbOp::Kind::List ? "list"
                           : op.kind == DbOp::Kind::Read ? "read"
                           : op.kind == DbOp::Kind::Write ? "write"
                           : op.kind == DbOp::Kind::Aggregate ? "aggregate"
                                                              : "raw";
        std::string s = op.style + " " + kind + " " + op.model;
        if (op.kind == DbOp::Kind::List)
            s += op.bound == DbOp::Bound::None ? " unbounded" : op.bound == DbOp::Bound::Bounded ? " bounded" : " unknown";
        if (op.in_transaction) s += " tx";
        out.push_back(s);
    }
    return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("facts: Prisma operations, clients and transactions", "[facts]") {
    auto f = facts_of(R"(
import { prisma } from "@/lib/prisma";
import Stripe from "stripe";
const stripe = new Stripe("k");
export async function POST() {
  await prisma.user.findMany({ take: 5 });
  await prisma.user.create({ data: {} });
  await stripe.customers.create({ email: "a" });     // not a database
  await openai.chat.completions.create({});           // not a database
  await prisma.$transaction([prisma.a.update({ where: { id: 1 }, data: {} }), prisma.b.delete({ where: { id: 2 } })]);
  await prisma.$transaction(async (tx) => { await tx.c.upsert({}); });
  await ctx.db.post.count();
  await prisma.$queryRawUnsafe("SELECT 1");
}
)");
    CHECK(ops(f) == V{"prisma list user bounded", "prisma write user", "prisma write a tx", "prisma write b tx",
                      "prisma write c tx", "prisma aggregate post", "prisma raw "});
}

TEST_CASE("facts: Drizzle, Supabase and Kysely operations", "[facts]") {
    auto f = facts_of(R"(
import { db } from "@/db";
export async function POST() {
  await db.select().from(users).where(eq(users.ownerId, id));
  await db.insert(users).values({ name });
  await db.update(users).set({ name }).where(eq(users.id, id));
  await db.delete(sessions).where(eq(sessions.userId, uid));
  map.delete(key);
  searchParams.delete("x");
  await db.query.posts.findMany({ limit: 10 });
  await db.transaction(async (tx) => { await tx.insert(logs).values({}); });
  await supabase.from("notes").select("*").eq("user_id", uid);
  await supabase.from("notes").insert({ body });
  await supabase.storage.from("avatars").upload("a.png", file);
  await db.selectFrom("person").selectAll().execute();
  await db.selectFrom("person").select(({ fn }) => [fn.count("id").as("n")]).groupBy("month").execute();
}
)");
    CHECK(ops(f) == V{"drizzle list users unbounded", "drizzle write users", "drizzle write users",
                      "drizzle write sessions", "drizzle list posts bounded", "drizzle write logs tx",
                      "supabase list notes unbounded", "supabase write notes", "kysely list person unbounded",
                      "kysely aggregate person"});
    REQUIRE(f.db_ops.size() == 10);
    CHECK(f.db_ops[0].filter_keys == V{"ownerId"});
    CHECK(f.db_ops[6].filter_keys == V{"user_id"});
}

TEST_CASE("facts: guards, call results and dereferences", "[facts]") {
    auto f = facts_of(R"(
export async function POST(req: Request) {
  const session = await getServerSession(authOptions);
  if (!session?.user) {
    return new Response("Unauthorized", { status: 401 });
  }
  const { data: { user }, error } = await supabase.auth.getUser();
  if (error || !user) redirect("/login");
  if (req.headers.get("authorization") !== `Bearer ${process.env.CRON_SECRET}`) return new Response(null, { status: 401 });
  if (flag) console.log("not an exit");
  const id = session.user.id;
  return Response.json({ id });
}
)");
    REQUIRE(f.guards.size() == 3);
    CHECK(f.guards[0].names == V{"session"});
    CHECK(f.guards[1].names == V{"error", "user"});
    CHECK(f.guards[2].env_compare);
    CHECK_FALSE(f.guards[0].env_compare);
    const analysis::Call* gs = nullptr;
    const analysis::Call* gu = nullptr;
    for (const auto& c : f.calls) {
        if (c.callee == "getServerSession") gs = &c;
        if (c.loose == "supabase.auth.getUser") gu = &c;
    }
    REQUIRE(gs);
    REQUIRE(gu);
    CHECK(gs->assigned == V{"session"});
    CHECK(gu->assigned == V{"user", "error"});  // `data` is a property, not a binding
    CHECK(gu->root == "supabase");
    REQUIRE(f.derefs.size() == 1);
    CHECK(f.derefs[0].name == "session");
}

TEST_CASE("facts: a query builder in a variable is bounded by a later limit on it", "[facts]") {
    auto f = facts_of(R"(
import { db } from "@/db";
export async function GET() {
  let qb = db.selectFrom("envelope").select(["id"]);
  qb = qb.where("deletedAt", "is", null);
  const page = await qb.orderBy("createdAt", "desc").limit(20).offset(40).execute();
  let all = db.selectFrom("folder").selectAll();
  all = all.where("ownerId", "=", "u");
  return Response.json({ page, folders: await all.execute() });
}
)");
    REQUIRE(f.db_ops.size() == 2);
    CHECK(ops(f) == V{"kysely list envelope bounded", "kysely list folder unbounded"});
}
