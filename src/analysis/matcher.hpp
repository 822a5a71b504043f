// Middleware `config.matcher`: which routes a Next.js middleware runs for.
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace nextguard::analysis {

/// Translates one matcher source to an ECMAScript regular expression the way Next.js
/// does (path-to-regexp 6.3 `parse` + `tokensToRegexp` with default options): anchored
/// at both ends, an optional trailing `/`, `#` or `?`, case-sensitive. Returns nullopt
/// when path-to-regexp (or Next's "must start with /" check) would reject the source.
/// Next's `/_next/data/...` prefix and `.json` suffix are not modelled.
std::optional<std::string> matcher_to_regex(std::string_view source);

/// The concrete URLs that stand for the App Router / Pages URL pattern `url_pattern`:
/// every `[id]` segment becomes "x1", every `[...slug]` becomes "a" and "a/b", every
/// `[[...slug]]` becomes nothing, "a" and "a/b"; all combinations are produced. Empty
/// segments (a trailing or doubled `/`) are dropped; "" and "/" give {"/"}.
std::vector<std::string> representative_urls(std::string_view url_pattern);

/// A compiled set of middleware matchers (the strings of `config.matcher`, or the
/// `source` of its object entries). An empty list means "every path" (no matcher).
///
/// A route pattern stands for many concrete URLs, so `covers` is decided on the
/// representative URLs of `representative_urls`: the route is covered only when every
/// one of them is matched by some matcher (a route is protected by middleware only if
/// every request to it passes through it). The check is sample-based: a matcher that
/// excludes particular values of a dynamic segment (e.g. a negative lookahead on
/// `/[slug]` that skips "api") still covers the route when the samples pass.
/// `has` / `missing` conditions of object entries are not modelled; callers wanting a
/// strict answer should leave conditional entries out.
class MiddlewareMatcher {
public:
    explicit MiddlewareMatcher(const std::vector<std::string>& sources);

    /// True when a request to `url_pattern` — an App Router / Pages URL pattern such as
    /// "/api/projects/[id]", "/docs/[...slug]", "/shop/[[...slug]]" or "/" — is handled
    /// by the middleware (for all of its representative URLs, see the class comment).
    bool covers(std::string_view url_pattern) const;

    /// True when the concrete request pathname `pathname` (e.g. "/api/x/") is matched.
    bool matches(std::string_view pathname) const;

    /// Sources that could not be compiled (they are treated as matching nothing).
    const std::vector<std::string>& invalid() const;

private:
    bool match_all_ = false;
    std::vector<std::regex> regexes_;
    std::vector<std::string> invalid_;
};

}  // namespace nextguard::analysis
