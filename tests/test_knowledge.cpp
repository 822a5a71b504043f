// Library knowledge: the embedded files parse strictly, and a new library is data only.
#include <catch2/catch.hpp>

#include "analysis/facts.hpp"
#include "analysis/knowledge.hpp"
#include "syntax/tree.hpp"

using namespace nextguard;
using analysis::DbOp;
using analysis::Knowledge;

TEST_CASE("knowledge: every embedded file parses and the core libraries are there", "[knowledge]") {
    const Knowledge& k = Knowledge::builtin();
    std::set<std::string> names;
    for (const auto& lib : k.libraries) names.insert(lib.name);
    for (const char* required : {"prisma", "drizzle", "kysely", "supabase", "mongoose", "typeorm", "next-auth", "clerk",
                                 "lucia", "better-auth", "iron-session", "kinde", "jose", "jsonwebtoken", "stripe",
                                 "svix", "zod", "valibot", "yup", "joi", "superstruct", "arktype", "typebox",
                                 "effect-schema"}) {
        INFO(required);
        CHECK(names.count(required));
    }
    REQUIRE(k.database("prisma"));
    CHECK(k.database("prisma")->list.count("findMany"));
    CHECK(k.database("prisma")->write.count("upsert"));
    REQUIRE(k.database("drizzle"));
    CHECK(k.database("drizzle")->limit_methods.count("limit"));
}

TEST_CASE("knowledge: unknown keys, wrong types and bad JSON name the file and path", "[knowledge]") {
    auto error_of = [](std::string_view text) -> std::string {
        Knowledge k;
        try {
            k.add("x.json", text);
        } catch (const std::runtime_error& e) {
            return e.what();
        }
        return "";
    };
    CHECK(error_of(R"({"library": "x", "auht": []})").find("x.json: $.auht: unknown key") != std::string::npos);
    CHECK(error_of(R"({"library": "x", "auth": [{"function": "f"}]})").find("$.auth[0].from") != std::string::npos);
    CHECK(error_of(R"({"library": "x", "auth": [{"method": 3}]})").find("$.auth[0].method: must be a string") !=
          std::string::npos);
    CHECK(error_of(R"({"library": "x", "database": {"style": "sqlite"}})").find("unknown style") != std::string::npos);
    CHECK(error_of(R"({"library": "x",)").find("invalid JSON") != std::string::npos);
    CHECK(error_of(R"({"packages": []})").find("$.library: is required") != std::string::npos);
    CHECK(error_of(R"({"library": "x", "auth": [{"function": "f", "method": "g", "from": ["m"]}]})")
              .find("exactly one of") != std::string::npos);
    CHECK(error_of(R"({"library": "x"})").empty());
    // sinks need a kind; secret formats need a long enough prefix and a known charset
    CHECK(error_of(R"({"library": "x", "sinks": [{"method": "a.b"}]})").find("$.sinks[0].kind: is required") !=
          std::string::npos);
    CHECK(error_of(R"({"library": "x", "sinks": [{"method": "a.b", "kind": "k", "arg": -1}]})").find("$.sinks[0].arg") !=
          std::string::npos);
    CHECK(error_of(R"({"library": "x", "secretFormats": [{"prefix": "k_", "what": "w"}]})")
              .find("$.secretFormats[0].prefix: is too short") != std::string::npos);
    CHECK(error_of(R"({"library": "x", "secretFormats": [{"prefix": "key_", "what": "w", "charset": "hex"}]})")
              .find("$.secretFormats[0].charset: must be alnum, word or upper") != std::string::npos);
    CHECK(error_of(R"({"library": "x", "decoders": [{"function": "decode", "from": ["m"]}],
                      "dispatchers": [{"function": "handle", "from": ["m"]}],
                      "secretFormats": [{"prefix": "key_", "what": "w", "minLength": 20, "charset": "word"}]})")
              .empty());
}

TEST_CASE("knowledge: a new database library of a known style is a data change", "[knowledge]") {
    // A made-up Prisma-style ORM: nothing in C++ knows `fetchAll` or `remove`.
    Knowledge k;
    k.add("acme-orm.json", R"({
      "library": "acme-orm",
      "database": { "style": "prisma", "list": ["fetchAll"], "write": ["remove"], "limitArgs": ["max"] }
    })");
    auto tree = syntax::thread_parser().parse(
        "export async function GET() {\n"
        "  const a = await db.user.fetchAll({ where: { active: true } });\n"
        "  const b = await db.user.fetchAll({ max: 10 });\n"
        "  await db.user.remove({ where: { id: 1 } });\n"
        "  await db.user.findMany();\n"
        "}\n",
        syntax::Dialect::TypeScript);
    auto facts = analysis::extract_facts(tree, "app/api/x/route.ts", k);
    REQUIRE(facts.db_ops.size() == 3);  // findMany is not known to this knowledge
    CHECK(facts.db_ops[0].kind == DbOp::Kind::List);
    CHECK(facts.db_ops[0].bound == DbOp::Bound::None);
    CHECK(facts.db_ops[1].bound == DbOp::Bound::Bounded);
    CHECK(facts.db_ops[2].kind == DbOp::Kind::Write);
    CHECK(facts.db_ops[2].model == "user");
}
