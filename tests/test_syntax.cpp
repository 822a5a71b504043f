// The syntax layer: valid TypeScript the grammar does not know parses as the equivalent
// construct, with the file's own text and positions; broken code stays broken.
#include <catch2/catch.hpp>

#include "analysis/facts.hpp"
#include "syntax/repair.hpp"
#include "syntax/tree.hpp"

using namespace nextguard;
using syntax::Node;

namespace {

syntax::Tree parse(const std::string& source, const std::string& name = "x.ts") {
    return syntax::thread_parser().parse(source, syntax::dialect_for(name));
}

/// The first node of kind `kind` in pre-order, or a null node.
Node find(Node n, std::string_view kind) {
    if (n.kind() == kind) return n;
    for (Node c : syntax::children(n))
        if (Node f = find(c, kind)) return f;
    return {};
}

/// `source` with the blanks of blank_unsupported_syntax over the whole text as one statement.
std::string blanked(std::string source) {
    syntax::ErrorSpans spans;
    spans.statements.emplace_back(0, static_cast<uint32_t>(source.size()));
    syntax::blank_unsupported_syntax(source, spans);
    return source;
}

}  // namespace

TEST_CASE("syntax: a type argument on a tagged template parses as the tagged template", "[syntax]") {
    const std::string src =
        "export async function GET() {\n"
        "  const rows = await tx.$queryRaw<{ id: number; name: string }[]>`SELECT * FROM t WHERE id = ${id}`;\n"
        "  return Response.json(rows);\n"
        "}\n";
    auto tree = parse(src);
    CHECK_FALSE(syntax::first_syntax_error(tree));
    Node call = find(tree.root(), "call_expression");
    REQUIRE(call);
    CHECK(call.field("function").text() == "tx.$queryRaw");
    CHECK(call.field("arguments").kind() == "template_string");
    // the tree keeps the file's own text and columns
    CHECK(call.text().find("<{ id: number; name: string }[]>") != std::string_view::npos);
    Node sub = find(call, "template_substitution");
    REQUIRE(sub);
    CHECK(sub.start().line == 2);
    CHECK(sub.start().column == static_cast<uint32_t>(src.find("${id}") - src.find('\n') - 1 + 1));
}

TEST_CASE("syntax: the constructs TypeScript 5 accepts and tree-sitter-typescript 0.23.2 does not", "[syntax]") {
    const char* valid[] = {
        "export type * from \"./types\";\n",
        "export type * as T from \"./types\";\n",
        "vi.mock(\"x\", async (importOriginal) => {\n  const m = await importOriginal<typeof import(\"x\")>();\n  return m;\n});\n",
        "const r = f<import(\"x\").T>();\n",
        "interface P { table: import(\"@tanstack/react-table\").Table<TData>; }\n",
        "function f(): Promise<\n  import(\"axios\").AxiosResponse<R>\n> { return g(); }\n",
        "for (let i = 0; i < unique.length; i += 2) out.push(i);\n",
        "const rows = await db.$queryRaw<\n  { a: number }[]\n>`SELECT 1`;\n",
        "interface P { setOpen?: (boolean) => void; onPick?: (string) => void }\n",
    };
    for (const char* src : valid) {
        INFO(src);
        auto tree = parse(src);
        CHECK_FALSE(syntax::first_syntax_error(tree));
    }
    auto tree = parse("for (let i = 0; i < unique.length; i++) {}\n");
    Node cond = find(tree.root(), "binary_expression");
    REQUIRE(cond);
    CHECK(cond.field("right").text() == "unique.length");  // the file's text, not the rewrite
}

TEST_CASE("syntax: a bare & in JSX text or an attribute string", "[syntax]") {
    const std::string src =
        "export const A = () => (\n"
        "  <div>\n"
        "    <a href=\"/x?tab=a&sub=b\">Drag & drop</a>\n"
        "    <p>Fish &amp; chips {ok && <b>yes</b>}</p>\n"
        "    <strong>Using a registry</strong> (for multi-node setups) &mdash; more\n"
        "  </div>\n"
        ");\n";
    auto tree = parse(src, "a.tsx");
    CHECK_FALSE(syntax::first_syntax_error(tree));
    Node attr = find(tree.root(), "jsx_attribute");
    REQUIRE(attr);
    CHECK(attr.text() == "href=\"/x?tab=a&sub=b\"");
}

TEST_CASE("syntax: JavaScript files may hold JSX", "[syntax]") {
    CHECK(syntax::dialect_for("pages/_app.js") == syntax::Dialect::Tsx);
    CHECK(syntax::dialect_for("lib/a.mjs") == syntax::Dialect::Tsx);
    CHECK(syntax::dialect_for("lib/a.ts") == syntax::Dialect::TypeScript);
    auto tree = parse("export default function App({ C, p }) {\n  return <C {...p} />;\n}\n", "pages/_app.js");
    CHECK_FALSE(syntax::first_syntax_error(tree));
}

TEST_CASE("syntax: broken code is still reported where it breaks", "[syntax]") {
    auto tree = parse("export function f() {\n  return 1;\n}\nconst = ;\n");
    auto e = syntax::first_syntax_error(tree);
    CHECK(e);
    CHECK(e.line == 4);
    auto missing = parse("function f() {\n  if (a) {\n    g();\n");
    CHECK(syntax::first_syntax_error(missing));
    CHECK_FALSE(syntax::first_syntax_error(parse("export const x = 1;\n")));
}

TEST_CASE("syntax: the blanking skips strings, comments and comparisons", "[syntax]") {
    // type arguments before a call or a template go; same length, same lines
    CHECK(blanked("a = f<T>(x);") == "a = f   (x);");
    CHECK(blanked("q = sql<R>\n`x`;") == "q = sql   \n`x`;");
    CHECK(blanked("export type * from 'm';") == "export      * from 'm';");
    CHECK(blanked("let t: import('m').T;") == "let t:             T;");
    // not type arguments: comparisons, JSX closing tags, strings, comments, function types
    CHECK(blanked("if (a < b && c > d) go();") == "if (a < b && c > d) go();");
    CHECK(blanked("x = <b>x</b>(y);") == "x = <b>x</b>(y);");
    CHECK(blanked("s = \"f<T>(x)\"; // g<U>(y)") == "s = \"f<T>(x)\"; // g<U>(y)");
    CHECK(blanked("h = f<(a: A) => B>(g);") == "h = f             (g);");
    CHECK(blanked("x = import('m').then(go);") == "x = import('m').then(go);");
    CHECK(blanked("const s: unique symbol = Symbol();") == "const s: unique symbol = Symbol();");
    CHECK(blanked("type F = (boolean) => void;") == "type F = (_oolean) => void;");
    CHECK(blanked("const b = (boolean);") == "const b = (boolean);");  // no arrow: left alone
    // JSX spans: only a bare ampersand goes
    syntax::ErrorSpans jsx;
    std::string text = "<p a=\"1&b=2\">x && y &amp; z & w &#38; &=</p>";
    jsx.jsx.emplace_back(0, static_cast<uint32_t>(text.size()));
    CHECK(syntax::blank_unsupported_syntax(text, jsx) == 2);
    CHECK(text == "<p a=\"1 b=2\">x && y &amp; z   w &#38; &=</p>");
}

TEST_CASE("syntax: facts of a repaired statement are those of the equivalent construct", "[syntax]") {
    auto tree = parse(
        "import { prisma } from \"@/lib/prisma\";\n"
        "export async function GET() {\n"
        "  const rows = await prisma.$queryRaw<{ id: string }[]>`SELECT id FROM t`;\n"
        "  await prisma.user.create({ data: {} });\n"
        "  return Response.json(rows);\n"
        "}\n",
        "app/api/x/route.ts");
    CHECK_FALSE(syntax::first_syntax_error(tree));
    auto facts = analysis::extract_facts(tree, "app/api/x/route.ts");
    // the tagged template is a call of `prisma.$queryRaw` whose awaited result is `rows`
    const analysis::Call* raw = nullptr;
    for (const auto& c : facts.calls)
        if (c.callee == "prisma.$queryRaw") raw = &c;
    REQUIRE(raw);
    CHECK(raw->assigned == std::vector<std::string>{"rows"});
    CHECK(raw->returned);
}
