// Middleware `config.matcher` coverage of routes.
#include <catch2/catch.hpp>

#include "analysis/matcher.hpp"

#include <string>
#include <vector>

using nextguard::analysis::matcher_to_regex;
using nextguard::analysis::MiddlewareMatcher;
using nextguard::analysis::representative_urls;

namespace {
MiddlewareMatcher one(const std::string& source) { return MiddlewareMatcher(std::vector<std::string>{source}); }
}  // namespace

TEST_CASE("matcher: translation follows path-to-regexp 6", "[matcher]") {
    CHECK(matcher_to_regex("/about") == "^/about[/#?]?$");
    CHECK(matcher_to_regex("/dashboard/:path*") == "^/dashboard(?:/((?:[^/#?]+?)(?:/(?:[^/#?]+?))*))?[/#?]?$");
    CHECK(matcher_to_regex("/users/:id(\\d+)") == "^/users(?:/(\\d+))[/#?]?$");
    CHECK(matcher_to_regex("/((?!api|_next).*)") == "^(?:/((?!api|_next).*))[/#?]?$");
    CHECK(matcher_to_regex("/file.:ext") == "^/file(?:\\.((?:(?!\\.)[^/#?])+?))[/#?]?$");
    CHECK(matcher_to_regex("/a{-:b}?") == "^/a(?:-((?:(?!-)[^/#?])+?))?[/#?]?$");
    // 6.3's backtracking guard: a parameter after text without a delimiter may not contain that text.
    CHECK(matcher_to_regex("/:a-:b") == "^(?:/([^/#?]+?))-((?:(?!-)[^/#?])+?)[/#?]?$");
}

TEST_CASE("matcher: :path* covers the prefix and everything below it", "[matcher]") {
    auto m = one("/dashboard/:path*");
    CHECK(m.covers("/dashboard"));
    CHECK(m.covers("/dashboard/a/b"));
    CHECK(m.covers("/dashboard/[team]/settings"));
    CHECK(m.covers("/dashboard/[[...rest]]"));
    CHECK_FALSE(m.covers("/api/x"));
    CHECK_FALSE(m.covers("/dashboardx"));
    CHECK_FALSE(m.covers("/"));
    CHECK(m.invalid().empty());
}

TEST_CASE("matcher: /api/:path* covers dynamic API routes", "[matcher]") {
    auto m = one("/api/:path*");
    CHECK(m.covers("/api/projects/[id]"));
    CHECK(m.covers("/api/[...slug]"));
    CHECK(m.covers("/api"));
    CHECK_FALSE(m.covers("/dashboard"));
}

TEST_CASE("matcher: saas-starter negative lookahead excludes /api", "[matcher]") {
    auto m = one("/((?!api|_next/static|_next/image|favicon.ico).*)");
    CHECK(m.invalid().empty());
    CHECK_FALSE(m.covers("/api/users"));
    CHECK_FALSE(m.covers("/api"));
    CHECK_FALSE(m.covers("/apis"));  // the lookahead has no trailing `/`
    CHECK_FALSE(m.covers("/_next/static/chunk.js"));
    CHECK_FALSE(m.covers("/favicon.ico"));
    CHECK(m.covers("/dashboard"));
    CHECK(m.covers("/dashboard/[id]/settings"));
    CHECK(m.covers("/"));
    CHECK(m.covers("/[...slug]"));
    CHECK(m.matches("/_next/data/build/index.json"));  // only _next/static and _next/image are skipped
}

TEST_CASE("matcher: papermark/dub lookahead with trailing slashes", "[matcher]") {
    auto m = one("/((?!api/|_next/|_static|vercel.svg|favicon.ico).*)");
    CHECK(m.invalid().empty());
    CHECK_FALSE(m.covers("/api/links/[linkId]"));
    CHECK_FALSE(m.covers("/_next/image"));
    CHECK_FALSE(m.covers("/_static/logo.png"));
    CHECK_FALSE(m.covers("/vercel.svg"));
    CHECK(m.covers("/api"));  // "api/" does not match "/api" itself
    CHECK(m.covers("/apis/x"));
    CHECK(m.covers("/[domain]/[key]"));
    CHECK(m.covers("/"));
}

TEST_CASE("matcher: :path+ needs at least one segment", "[matcher]") {
    auto m = one("/api/:path+");
    CHECK_FALSE(m.covers("/api"));
    CHECK(m.covers("/api/x"));
    CHECK(m.covers("/api/a/b/c"));
    CHECK(m.covers("/api/[...slug]"));
    CHECK_FALSE(m.covers("/api/[[...slug]]"));  // the zero-segment URL /api is missed
}

TEST_CASE("matcher: :id? matches zero or one segment", "[matcher]") {
    auto m = one("/about/:id?");
    CHECK(m.covers("/about"));
    CHECK(m.covers("/about/team"));
    CHECK(m.covers("/about/[id]"));
    CHECK_FALSE(m.covers("/about/a/b"));
    CHECK_FALSE(m.covers("/about/[...slug]"));  // "a/b" is two segments
    CHECK_FALSE(m.covers("/about/[[...slug]]"));
}

TEST_CASE("matcher: custom regex parameters", "[matcher]") {
    auto m = one("/users/:id(\\d+)");
    CHECK(m.invalid().empty());
    CHECK(m.covers("/users/123"));
    CHECK_FALSE(m.covers("/users/[id]"));  // the sample "x1" is not digits
    CHECK_FALSE(m.covers("/users/abc"));
    CHECK_FALSE(m.covers("/users"));
    CHECK(one("/users/:id([a-z0-9]+)").covers("/users/[id]"));
    CHECK(one("/docs/:slug(.*)").covers("/docs/[...slug]"));
    CHECK(one("/(.*)").covers("/"));
    CHECK(one("/(.*)").covers("/anything/[...rest]"));
}

TEST_CASE("matcher: arrays match when any entry matches each URL", "[matcher]") {
    MiddlewareMatcher m({"/dashboard/:path*", "/settings", "/api/admin/:path*"});
    CHECK(m.covers("/dashboard/[id]"));
    CHECK(m.covers("/settings"));
    CHECK(m.covers("/api/admin/users/[id]"));
    CHECK_FALSE(m.covers("/settings/profile"));
    CHECK_FALSE(m.covers("/api/public"));
    // Different entries may cover different URLs of one route.
    MiddlewareMatcher split({"/shop", "/shop/:path+"});
    CHECK(split.covers("/shop/[[...slug]]"));
    CHECK_FALSE(one("/shop/:path+").covers("/shop/[[...slug]]"));
}

TEST_CASE("matcher: an empty list covers everything", "[matcher]") {
    MiddlewareMatcher m({});
    CHECK(m.covers("/"));
    CHECK(m.covers("/api/x/[id]"));
    CHECK(m.covers("/[[...slug]]"));
    CHECK(m.matches("/_next/static/x.js"));
    CHECK(m.invalid().empty());
}

TEST_CASE("matcher: invalid sources are reported and match nothing", "[matcher]") {
    std::vector<std::string> bad = {
        "dashboard",       // must start with /
        "",                // empty
        "/api/*",          // a bare modifier is not a parameter
        "/a/:",            // missing parameter name
        "/((api).*)",      // capturing groups are not allowed inside a pattern
        "/(?!api).*",      // a pattern cannot start with "?"
        "/(abc",           // unbalanced
        "/x/()",           // missing pattern
        "/:a:b",           // two parameters without text between them
        "/x-:a*",          // repeat without a prefix
        "/{:a",            // unclosed group
        "/((?<=a)b)",      // lookbehind: valid in JavaScript, unsupported by std::regex
    };
    MiddlewareMatcher m(bad);
    CHECK(m.invalid() == bad);
    CHECK_FALSE(m.covers("/"));
    CHECK_FALSE(m.covers("/dashboard"));
    CHECK_FALSE(m.covers("/api/x"));

    MiddlewareMatcher mixed({"/api/*", "/api/:path*"});
    REQUIRE(mixed.invalid() == std::vector<std::string>{"/api/*"});
    CHECK(mixed.covers("/api/x"));
}

TEST_CASE("matcher: trailing slash is optional on the request, literal in the source", "[matcher]") {
    auto m = one("/about");
    CHECK(m.matches("/about"));
    CHECK(m.matches("/about/"));
    CHECK_FALSE(m.matches("/about//"));
    CHECK(m.covers("/about/"));  // route patterns are normalized: empty segments are dropped

    auto slash = one("/about/");
    CHECK(slash.matches("/about/"));
    CHECK_FALSE(slash.matches("/about"));
    CHECK_FALSE(slash.covers("/about"));
}

TEST_CASE("matcher: / alone covers only the root", "[matcher]") {
    auto m = one("/");
    CHECK(m.covers("/"));
    CHECK(m.covers(""));
    CHECK_FALSE(m.covers("/about"));
    CHECK_FALSE(m.covers("/[slug]"));
    CHECK_FALSE(m.covers("/[[...slug]]"));  // "/a" is missed
}

TEST_CASE("matcher: matching is case-sensitive", "[matcher]") {
    auto m = one("/Admin/:path*");
    CHECK(m.covers("/Admin/x"));
    CHECK_FALSE(m.covers("/admin/x"));
}

TEST_CASE("matcher: catch-all and optional catch-all expansion", "[matcher]") {
    using V = std::vector<std::string>;
    CHECK(representative_urls("/") == V{"/"});
    CHECK(representative_urls("") == V{"/"});
    CHECK(representative_urls("/api/projects/[id]") == V{"/api/projects/x1"});
    CHECK(representative_urls("/docs/[...slug]") == V{"/docs/a", "/docs/a/b"});
    CHECK(representative_urls("/shop/[[...slug]]") == V{"/shop", "/shop/a", "/shop/a/b"});
    CHECK(representative_urls("/[[...slug]]") == V{"/", "/a", "/a/b"});
    CHECK(representative_urls("/[org]/[...path]") == V{"/x1/a", "/x1/a/b"});
    CHECK(representative_urls("/blog/") == V{"/blog"});

    // [...slug] needs both one and two segments covered.
    CHECK_FALSE(one("/docs/:slug").covers("/docs/[...slug]"));
    CHECK(one("/docs/:slug*").covers("/docs/[...slug]"));
    CHECK(one("/docs/:slug+").covers("/docs/[...slug]"));
    CHECK_FALSE(one("/docs/:slug").covers("/docs/[[...slug]]"));
    // [[...slug]] also needs the bare prefix.
    CHECK(one("/shop/:path*").covers("/shop/[[...slug]]"));
    CHECK_FALSE(one("/shop/:path+").covers("/shop/[[...slug]]"));
    CHECK(one("/:path*").covers("/[[...slug]]"));
}
