#include "analysis/node_util.hpp"

#include <cctype>

namespace nextguard::analysis {

using syntax::Node;

std::string string_value(Node n) {
    if (!n) return {};
    if (n.is("string") || (n.is("template_string") && n.named_child_count() == 0)) {
        auto t = n.text();
        if (t.size() >= 2) return std::string(t.substr(1, t.size() - 2));
    }
    return {};
}

Node unwrap(Node n) {
    using K = syntax::Kind;
    for (int i = 0; i < 32 && n; ++i) {
        K k = n.kind_id();
        if (k == K::ParenthesizedExpression || k == K::AwaitExpression || k == K::NonNullExpression ||
            k == K::AsExpression || k == K::SatisfiesExpression || k == K::TypeAssertion) {
            Node inner = k == K::TypeAssertion ? n.named_child(n.named_child_count() - 1) : n.named_child(0);
            if (!inner) break;
            n = inner;
        } else {
            break;
        }
    }
    return n;
}

namespace {

std::string path_text_at(Node n, int depth) {
    n = unwrap(n);
    if (!n || depth > 16) return {};
    auto k = n.kind();
    if (k == "identifier" || k == "this" || k == "property_identifier" || k == "private_property_identifier" ||
        k == "super")
        return std::string(n.text());
    if (k == "member_expression") {
        std::string obj = path_text_at(n.field("object"), depth + 1);
        Node prop = n.field("property");
        if (obj.empty() || !prop) return {};
        return obj + "." + std::string(prop.text());
    }
    return {};
}

}  // namespace

std::string path_text(Node n) { return path_text_at(n, 0); }

std::string loose_path(Node n, bool* through_calls) {
    std::string_view parts[24];
    size_t count = 0;
    if (through_calls) *through_calls = false;
    for (int i = 0; i < 24 && n; ++i) {
        n = unwrap(n);
        auto k = n.kind();
        if (k == "member_expression") {
            if (count == 24) return {};
            parts[count++] = n.field("property").text();
            n = n.field("object");
        } else if (k == "call_expression") {
            if (through_calls) *through_calls = true;
            n = n.field("function");
        } else if (k == "new_expression") {
            if (through_calls) *through_calls = true;
            n = n.field("constructor");
        } else if (k == "identifier" || k == "this" || k == "super") {
            std::string out(n.text());
            for (size_t j = count; j-- > 0;) {
                out += '.';
                out += parts[j];
            }
            return out;
        } else {
            return {};
        }
    }
    return {};
}

std::string chain_root(Node n) {
    std::string p = loose_path(n);
    return p.substr(0, p.find('.'));
}

std::string normalize(std::string_view text) {
    std::string out;
    out.reserve(std::min<size_t>(text.size(), 300));
    bool space = false;
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
        if (out.size() >= 300) break;
    }
    return out;
}

std::string pair_key(Node p) {
    if (p.is("shorthand_property_identifier")) return std::string(p.text());
    if (!p.is("pair")) return {};
    Node key = p.field("key");
    if (!key) return {};
    if (key.is("property_identifier") || key.is("identifier")) return std::string(key.text());
    if (key.is("string")) return string_value(key);
    return {};
}

Node object_value(Node obj, std::string_view key) {
    obj = unwrap(obj);
    if (!obj.is("object")) return {};
    for (Node p : syntax::named_children(obj)) {
        if (pair_key(p) != key) continue;
        return p.is("pair") ? p.field("value") : p;
    }
    return {};
}

bool has_spread(Node obj) {
    obj = unwrap(obj);
    for (Node p : syntax::named_children(obj))
        if (p.is("spread_element")) return true;
    return false;
}

bool is_function_kind(syntax::Kind k) {
    using K = syntax::Kind;
    return k == K::FunctionDeclaration || k == K::FunctionExpression || k == K::ArrowFunction ||
           k == K::MethodDefinition || k == K::GeneratorFunctionDeclaration || k == K::GeneratorFunction;
}

bool is_function_node(Node n) { return is_function_kind(n.kind_id()); }

Node enclosing_function(Node n) {
    for (Node p = n.parent(); p; p = p.parent())
        if (is_function_node(p)) return p;
    return {};
}

Node declared_value(Node at, std::string_view name) {
    for (Node p = at.parent(); p; p = p.parent()) {
        if (!p.is("statement_block") && !p.is("program")) continue;
        for (Node st : syntax::named_children(p)) {
            if (st.start_byte() >= at.start_byte()) break;
            Node decl = st.is("export_statement") ? st.field("declaration") : st;
            if (!decl.is("lexical_declaration") && !decl.is("variable_declaration")) continue;
            for (Node d : syntax::named_children(decl))
                if (d.is("variable_declarator") && d.field("name").is("identifier") && d.field("name").text() == name)
                    return d.field("value");
        }
    }
    return {};
}

void identifiers_in(Node n, std::vector<std::string>& out, size_t max) {
    visit_nodes(n, 400, [&](Node cur) {
        if (!cur.is("identifier") && !cur.is("shorthand_property_identifier")) return true;
        if (out.size() < max) out.emplace_back(cur.text());
        return false;
    });
}

namespace {

void pattern_names_at(Node p, std::vector<std::string>& out, size_t max, int depth) {
    if (!p || out.size() >= max || depth > 16) return;
    auto k = p.kind();
    if (k == "identifier" || k == "shorthand_property_identifier_pattern") {
        out.emplace_back(p.text());
    } else if (k == "object_pattern" || k == "array_pattern") {
        for (Node ch : syntax::named_children(p)) pattern_names_at(ch, out, max, depth + 1);
    } else if (k == "pair_pattern") {
        pattern_names_at(p.field("value"), out, max, depth + 1);
    } else if (k == "rest_pattern" || k == "assignment_pattern" || k == "object_assignment_pattern") {
        Node inner = p.field("left") ? p.field("left") : p.named_child(0);
        pattern_names_at(inner, out, max, depth + 1);
    }
}

}  // namespace

void pattern_names(Node p, std::vector<std::string>& out, size_t max) { pattern_names_at(p, out, max, 0); }

bool calls_navigation_exit(syntax::Node st) {
    syntax::Node e = unwrap(st.named_child(0));
    if (!e.is("call_expression")) return false;
    std::string callee = path_text(e.field("function"));
    for (const char* x : {"redirect", "permanentRedirect", "notFound", "unauthorized", "forbidden"})
        if (callee == x) return true;
    return false;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string code_text(syntax::Node n) {
    std::string_view text = n.text();
    if (text.find("//") == std::string_view::npos && text.find("/*") == std::string_view::npos) return std::string(text);
    std::string out;
    uint32_t at = n.start_byte();
    const std::string& src = n.tree().source();
    visit_nodes(n, 4096, [&](Node cur) {
        if (cur.kind_id() != syntax::Kind::Comment) return true;
        out.append(src, at, cur.start_byte() - at);
        at = cur.end_byte();
        return false;
    });
    out.append(src, at, n.end_byte() - at);
    return out;
}

bool looks_like_sql(Node n) {
    n = unwrap(n);
    if (!n.is("string") && !n.is("template_string") && !n.is("binary_expression")) return false;
    std::string t = lower(n.text().substr(0, 2000));
    bool select = t.find("select ") != std::string::npos && t.find(" from") != std::string::npos;
    return select || t.find("insert into") != std::string::npos || t.find("delete from") != std::string::npos ||
           (t.find("update ") != std::string::npos && t.find(" set ") != std::string::npos) ||
           t.find(" where ") != std::string::npos;
}

}  // namespace nextguard::analysis
