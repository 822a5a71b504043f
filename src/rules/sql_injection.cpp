#include <algorithm>
#include <set>

#include "analysis/node_util.hpp"
#include "rules/common.hpp"

namespace nextguard::rules {

namespace {

using syntax::Kind;
using syntax::Node;

constexpr std::string_view kId = "sql-injection";

/// The TypeScript type a parameter `name` of the functions around `at` is declared with
/// (`id: number` -> "number"), or "".
std::string param_type(Node at, std::string_view name) {
    for (Node fn = analysis::enclosing_function(at); fn; fn = analysis::enclosing_function(fn)) {
        Node params = fn.field("parameters");
        for (Node p : params ? syntax::named_children(params) : std::vector<Node>{}) {
            Node pattern = p.field("pattern");
            Node type = p.field("type");
            if (!pattern || !type) continue;
            if (pattern.is("identifier") && pattern.text() == name)
                return analysis::normalize(type.text().substr(type.text().find_first_not_of(": ")));
            // `{ userId }: { userId: number }`: the member's declared type
            if (!pattern.is("object_pattern") || pattern.text().find(name) == std::string_view::npos) continue;
            Node literal = type.named_child_count() > 0 ? type.named_child(0) : Node();
            if (!literal || !literal.is("object_type")) continue;
            for (Node member : syntax::named_children(literal)) {
                if (!member.is("property_signature") || member.field("name").text() != name) continue;
                Node t = member.field("type");
                if (t) return analysis::normalize(t.text().substr(t.text().find_first_not_of(": ")));
            }
        }
    }
    return {};
}

/// A value that cannot carry SQL: a number, a boolean, a date, or a list of numbers, by its
/// declared type (`ids: number[]`) or its making (`since.toISOString()`, `Date.now()`).
bool sql_inert(Node n) {
    Node u = analysis::unwrap(n);
    std::string text = analysis::normalize(u.text());
    if (text.ends_with(".toISOString()") || text == "Date.now()" || text.ends_with(".getTime()")) return true;
    // `ids.join(",")` of a `number[]`
    if (u.is("call_expression")) {
        Node callee = analysis::unwrap(u.field("function"));
        if (callee.is("member_expression") && callee.field("property").text() == "join") u = analysis::unwrap(callee.field("object"));
    }
    if (!u.is("identifier")) return false;
    std::string t = param_type(u, u.text());
    for (std::string_view inert : {"number", "boolean", "bigint", "Date", "number[]", "Array<number>", "readonly number[]",
                                   "bigint[]", "number | null", "number | undefined"})
        if (t == inert) return true;
    return false;
}

/// True when `n` reads one of the enclosing function's parameters (`sort`, `opts.column`,
/// `ids.join(",")`): data its callers hand in, not a constant or a value it computed.
bool reads_parameter(Node n, analysis::LocalContext& cx) {
    if (sql_inert(n)) return false;
    // a number cannot change the query: `${Number(x)}`, `${parseInt(x)}`, `${x.length}`
    Node u = analysis::unwrap(n);
    if (u.is("call_expression")) {
        std::string callee = analysis::loose_path(u.field("function"));
        if (callee == "Number" || callee == "parseInt" || callee == "parseFloat" || callee == "Number.parseInt" ||
            callee == "Number.parseFloat" || callee.ends_with(".toFixed") || callee == "Math.floor" ||
            callee == "Math.round")
            return false;
    }
    if (u.is("member_expression") && u.field("property").text() == "length") return false;
    bool found = false;
    analysis::visit_nodes(n, 200, [&](Node x) {
        if (found) return false;
        if (x.is("identifier")) {
            found = cx.is_parameter(x.text());
            return false;
        }
        return !x.is("property_identifier");
    });
    return found;
}

/// The interpolated or concatenated parts of built SQL text.
void parts(Node n, std::vector<Node>& out, int depth = 0) {
    n = analysis::unwrap(n);
    if (!n || depth > 8) return;
    if (n.is("template_string")) {
        for (Node ch : syntax::named_children(n))
            if (ch.is("template_substitution")) out.push_back(ch.named_child(0));
    } else if (n.is("binary_expression") && n.field("operator").text() == "+") {
        for (Node side : {n.field("left"), n.field("right")}) {
            Node u = analysis::unwrap(side);
            if (u.is("binary_expression") || u.is("template_string")) parts(u, out, depth + 1);
            else if (!u.is("string")) out.push_back(u);
        }
    }
}

/// SQL text built at run time: a template with substitutions, or a concatenation that is
/// not of literals only.
bool built_string(Node n, int depth = 0) {
    n = analysis::unwrap(n);
    if (!n || depth > 8) return false;
    if (n.is("template_string")) {
        for (Node ch : syntax::named_children(n))
            if (ch.is("template_substitution")) return true;
        return false;
    }
    if (n.is("binary_expression") && n.field("operator").text() == "+") {
        Node l = analysis::unwrap(n.field("left")), r = analysis::unwrap(n.field("right"));
        auto literal = [](Node x) { return x.is("string") || (x.is("template_string") && x.named_child_count() <= 1); };
        return !(literal(l) && literal(r)) && (!literal(l) || !literal(r) || built_string(l, depth + 1) ||
                                               built_string(r, depth + 1));
    }
    return false;
}

/// sql-injection: request data, or any string built by interpolation or concatenation,
/// reaching an API that runs SQL text as it is.
class SqlInjection final : public LocalRule {
public:
    SqlInjection() : LocalRule(kId) {}
    std::vector<Kind> kinds() const override { return {Kind::CallExpression}; }

    void visit(Node n, analysis::LocalContext& cx) const override {
        Node args = n.field("arguments");
        if (!args || args.is("template_string") || args.named_child_count() == 0) return;  // a tagged template
        // cheap filter before any string is built: the callee's last name is a raw-SQL one
        std::string_view callee = n.field("function").text();
        bool candidate = false;
        for (const auto& lib : cx.knowledge().libraries)
            for (const auto& s : lib.sinks) candidate = candidate || (s.kind == "raw SQL" && analysis::may_call(callee, s.call));
        if (!candidate || is_tooling_file(cx.file())) return;  // migrations and scripts run no request's data
        std::string loose = analysis::loose_path(n.field("function"));
        if (loose.empty()) return;
        for (const auto& lib : cx.knowledge().libraries)
            for (const auto& s : lib.sinks) {
                if (s.kind != "raw SQL" || s.arg >= static_cast<int>(args.named_child_count())) continue;
                Node sql = args.named_child(static_cast<uint32_t>(s.arg));
                // a client made in another module (`pool` from `@/lib/db`): when the text reads as SQL
                if (!analysis::calls_pattern(s.call, loose, cx.imports()) &&
                    !(s.call.form == analysis::CallPattern::Form::Method &&
                      analysis::calls_pattern(s.call, loose, cx.imports(), true) && analysis::looks_like_sql(sql)))
                    continue;
                // Values bound apart (`execute(`... IN (${ids.map(() => "?")})`, ids)`): what is
                // spliced in is structure (placeholders, columns), which request data reaching it
                // would still show as a finding of the taint part.
                bool bound = args.named_child_count() > static_cast<uint32_t>(s.arg) + 1;
                // Only what callers hand in: constants, and values the function computes
                // itself (`IN (${ids})` of rows it read), are its own business.
                std::vector<Node> spliced;
                parts(sql, spliced);
                bool from_caller = std::any_of(spliced.begin(), spliced.end(), [&](Node p) { return reads_parameter(p, cx); });
                if (built_string(sql) && !bound && from_caller)
                    cx.report(kId, sql, "SQL text built by " +
                                            std::string(analysis::unwrap(sql).is("template_string") ? "interpolation"
                                                                                                     : "concatenation") +
                                            " reaches `" + loose +
                                            "`, which runs it as it is: pass the values as parameters "
                                            "(`$queryRaw`...${x}``, `sql`...``, `query(text, [values])`)");
                return;
            }
    }

    void check(const analysis::Project& project, std::vector<Finding>& out) const override {
        size_t first = out.size();
        report_taint(
            project, project.taint(), [](std::string_view kind) { return kind == "raw SQL"; },
            [](const std::string& what, const std::string&, const std::string& entry) {
                return what + " reaches raw SQL in " + entry +
                       " and can change the query: pass it as a parameter (`$queryRaw`...${x}``, `sql`...``, "
                       "`query(text, [values])`); validating it with a schema does not stop injection";
            },
            out);
        // Strings built in the code: unless the same place was reported above with its entry point.
        std::set<std::pair<std::string, uint32_t>> seen;
        for (size_t i = first; i < out.size(); ++i)
            seen.insert({out[i].location.file, out[i].location.range.start.line});
        std::vector<Finding> local;
        report_local_findings(project, kId, local);
        for (auto& f : local)
            if (!seen.count({f.location.file, f.location.range.start.line})) out.push_back(std::move(f));
    }

};

}  // namespace

const Rule& sql_injection() { return the_rule<SqlInjection>(); }
const analysis::LocalCheck& sql_injection_check() { return the_rule<SqlInjection>(); }

}  // namespace nextguard::rules
