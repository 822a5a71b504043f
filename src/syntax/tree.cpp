#include "syntax/tree.hpp"

#include "syntax/repair.hpp"

#include <tree_sitter/api.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <unordered_map>

extern "C" const TSLanguage* tree_sitter_typescript();
extern "C" const TSLanguage* tree_sitter_tsx();

namespace nextguard::syntax {

static_assert(sizeof(TSNode) <= 32, "Node's opaque storage is too small for TSNode");

namespace {

const TSNode& raw(const unsigned char* storage) { return *reinterpret_cast<const TSNode*>(storage); }

}  // namespace

/// symbol id -> Kind and name for one grammar, built on first use.
const SymbolTable& kind_table(const TSLanguage* lang) {
    static const auto build = [](const TSLanguage* l) {
        static constexpr std::pair<const char*, Kind> names[] = {
            {"arrow_function", Kind::ArrowFunction},
            {"assignment_expression", Kind::AssignmentExpression},
            {"as_expression", Kind::AsExpression},
            {"await_expression", Kind::AwaitExpression},
            {"non_null_expression", Kind::NonNullExpression},
            {"parenthesized_expression", Kind::ParenthesizedExpression},
            {"satisfies_expression", Kind::SatisfiesExpression},
            {"type_assertion", Kind::TypeAssertion},
            {"call_expression", Kind::CallExpression},
            {"comment", Kind::Comment},
            {"function_declaration", Kind::FunctionDeclaration},
            {"function_expression", Kind::FunctionExpression},
            {"generator_function", Kind::GeneratorFunction},
            {"generator_function_declaration", Kind::GeneratorFunctionDeclaration},
            {"if_statement", Kind::IfStatement},
            {"member_expression", Kind::MemberExpression},
            {"method_definition", Kind::MethodDefinition},
            {"return_statement", Kind::ReturnStatement},
            {"for_in_statement", Kind::Loop},  // for...of / for...in: once per item
            {"ternary_expression", Kind::TernaryExpression},
            {"catch_clause", Kind::CatchClause},
            {"switch_statement", Kind::SwitchStatement},
            {"try_statement", Kind::TryStatement},
            {"variable_declarator", Kind::VariableDeclarator},
            {"binary_expression", Kind::BinaryExpression},
            {"new_expression", Kind::NewExpression},
            {"object", Kind::Object},
            {"pair", Kind::Pair},
            {"template_string", Kind::TemplateString},
            {"ambient_declaration", Kind::AmbientDeclaration},
            {"array_pattern", Kind::ArrayPattern},
            {"formal_parameters", Kind::FormalParameters},
            {"jsx_closing_element", Kind::JsxClosingElement},
            {"jsx_text", Kind::JsxText},
            {"object_pattern", Kind::ObjectPattern},
            {"regex", Kind::Regex},
            {"identifier", Kind::Identifier},
            {"import_statement", Kind::ImportStatement},
            {"interface_declaration", Kind::InterfaceDeclaration},
            {"number", Kind::Number},
            {"property_identifier", Kind::PropertyIdentifier},
            {"shorthand_property_identifier", Kind::ShorthandPropertyIdentifier},
            {"string", Kind::String},
            {"type_alias_declaration", Kind::TypeAliasDeclaration},
            {"type_annotation", Kind::TypeAnnotation},
            {"type_arguments", Kind::TypeArguments},
            {"type_identifier", Kind::TypeIdentifier},
            {"type_parameters", Kind::TypeParameters},
        };
        SymbolTable table;
        uint32_t count = ts_language_symbol_count(l);
        table.kinds.assign(count, Kind::Other);
        table.names.resize(count);
        for (TSSymbol sym = 0; sym < count; ++sym) {
            const char* name = ts_language_symbol_name(l, sym);
            table.names[sym] = name ? std::string_view(name) : std::string_view();
            if (ts_language_symbol_type(l, sym) != TSSymbolTypeRegular) continue;
            for (const auto& [n, k] : names)
                if (std::strcmp(n, name) == 0) table.kinds[sym] = k;
        }
        return table;
    };
    static const SymbolTable typescript = build(tree_sitter_typescript());
    static const SymbolTable tsx = build(tree_sitter_tsx());
    return lang == tree_sitter_tsx() ? tsx : typescript;
}

Dialect dialect_for(std::string_view file_name) {
    // JavaScript may hold JSX, and never holds `<T>x` type assertions: the tsx grammar reads it.
    for (std::string_view ext : {".tsx", ".jsx", ".js", ".mjs", ".cjs"})
        if (file_name.ends_with(ext)) return Dialect::Tsx;
    return Dialect::TypeScript;
}

// ---- Node ----

Node::Node(const Tree* tree, const void* raw_node) : tree_(tree) {
    TSNode n = *static_cast<const TSNode*>(raw_node);
    null_ = ts_node_is_null(n);
    std::memcpy(raw_, &n, sizeof(TSNode));
}

#define NODE (raw(raw_))

std::string_view Node::kind() const {
    if (!*this) return {};
    TSSymbol sym = ts_node_symbol(NODE);
    const auto& names = tree_->kinds_->names;
    return sym < names.size() ? names[sym] : std::string_view(ts_node_type(NODE));
}

Kind Node::kind_id() const {
    if (!*this) return Kind::Other;
    TSSymbol sym = ts_node_symbol(NODE);
    const auto& table = tree_->kinds_->kinds;
    return sym < table.size() ? table[sym] : Kind::Other;
}

bool Node::is_named() const { return *this && ts_node_is_named(NODE); }
bool Node::is_missing() const { return *this && ts_node_is_missing(NODE); }
bool Node::is_error() const { return *this && ts_node_is_error(NODE); }
bool Node::has_error() const { return *this && ts_node_has_error(NODE); }

std::string_view Node::text() const {
    if (!*this) return {};
    const auto& src = tree_->source();
    uint32_t b = ts_node_start_byte(NODE), e = ts_node_end_byte(NODE);
    if (b > src.size() || e > src.size() || b > e) return {};
    return std::string_view(src).substr(b, e - b);
}

uint32_t Node::start_byte() const { return *this ? ts_node_start_byte(NODE) : 0; }
uint32_t Node::end_byte() const { return *this ? ts_node_end_byte(NODE) : 0; }

Position Node::start() const {
    if (!*this) return {};
    TSPoint p = ts_node_start_point(NODE);
    return tree_->position(p.row, p.column, ts_node_start_byte(NODE));
}

Position Node::end() const {
    if (!*this) return {};
    TSPoint p = ts_node_end_point(NODE);
    return tree_->position(p.row, p.column, ts_node_end_byte(NODE));
}

uint32_t Node::child_count() const { return *this ? ts_node_child_count(NODE) : 0; }
uint32_t Node::named_child_count() const { return *this ? ts_node_named_child_count(NODE) : 0; }

Node Node::child(uint32_t i) const {
    if (!*this) return {};
    TSNode c = ts_node_child(NODE, i);
    return Node(tree_, &c);
}

Node Node::named_child(uint32_t i) const {
    if (!*this) return {};
    TSNode c = ts_node_named_child(NODE, i);
    return Node(tree_, &c);
}

namespace {

/// Field name -> field id of one grammar, built once (tree-sitter's own look-up by name
/// is a linear scan over all field names).
TSFieldId field_id(const TSLanguage* lang, std::string_view name) {
    using Map = std::unordered_map<std::string_view, TSFieldId>;
    static const auto build = [](const TSLanguage* l) {
        Map m;
        for (TSFieldId id = 1; id <= ts_language_field_count(l); ++id)
            if (const char* n = ts_language_field_name_for_id(l, id)) m.emplace(n, id);
        return m;
    };
    static const Map typescript = build(tree_sitter_typescript());
    static const Map tsx = build(tree_sitter_tsx());
    const Map& m = lang == tree_sitter_tsx() ? tsx : typescript;
    auto it = m.find(name);
    return it == m.end() ? 0 : it->second;
}

}  // namespace

Node Node::field(std::string_view name) const {
    if (!*this) return {};
    TSFieldId id = field_id(ts_tree_language(tree_->tree_), name);
    if (id == 0) return {};
    TSNode c = ts_node_child_by_field_id(NODE, id);
    return Node(tree_, &c);
}

Node Node::parent() const {
    if (!*this) return {};
    TSNode c = ts_node_parent(NODE);
    return Node(tree_, &c);
}

Node Node::next_named_sibling() const {
    if (!*this) return {};
    TSNode c = ts_node_next_named_sibling(NODE);
    return Node(tree_, &c);
}

Node Node::prev_named_sibling() const {
    if (!*this) return {};
    TSNode c = ts_node_prev_named_sibling(NODE);
    return Node(tree_, &c);
}

std::string Node::sexp() const {
    if (!*this) return "()";
    char* s = ts_node_string(NODE);
    std::string out = s ? s : "";
    std::free(s);
    return out;
}

const void* Node::id() const { return *this ? NODE.id : nullptr; }

#undef NODE

// ---- Cursor ----

static_assert(sizeof(TSTreeCursor) <= 32, "Cursor's opaque storage is too small for TSTreeCursor");

#define CURSOR (reinterpret_cast<TSTreeCursor*>(raw_))

Cursor::Cursor(Node start) : tree_(start.tree_) {
    TSTreeCursor c = ts_tree_cursor_new(*reinterpret_cast<const TSNode*>(start.raw_));
    std::memcpy(raw_, &c, sizeof(TSTreeCursor));
}

Cursor::~Cursor() { ts_tree_cursor_delete(CURSOR); }

Node Cursor::node() const {
    TSNode n = ts_tree_cursor_current_node(reinterpret_cast<const TSTreeCursor*>(raw_));
    return Node(tree_, &n);
}

bool Cursor::first_child() { return ts_tree_cursor_goto_first_child(CURSOR); }
bool Cursor::next_sibling() { return ts_tree_cursor_goto_next_sibling(CURSOR); }
bool Cursor::parent() { return ts_tree_cursor_goto_parent(CURSOR); }

#undef CURSOR

std::vector<Node> children(Node n) {
    std::vector<Node> out;
    if (!n) return out;
    Cursor c(n);
    if (c.first_child()) {
        do out.push_back(c.node());
        while (c.next_sibling());
    }
    return out;
}

std::vector<Node> named_children(Node n) {
    std::vector<Node> out;
    if (!n) return out;
    Cursor c(n);
    if (c.first_child()) {
        do {
            Node k = c.node();
            if (k.is_named()) out.push_back(k);
        } while (c.next_sibling());
    }
    return out;
}

// ---- Tree ----

Tree::Tree(std::string source, TSTree* tree, const SymbolTable* kinds)
    : source_(std::move(source)), tree_(tree), kinds_(kinds) {}

Tree::~Tree() {
    if (tree_) ts_tree_delete(tree_);
}

Tree::Tree(Tree&& o) noexcept : source_(std::move(o.source_)), tree_(o.tree_), kinds_(o.kinds_) { o.tree_ = nullptr; }

Tree& Tree::operator=(Tree&& o) noexcept {
    if (this != &o) {
        if (tree_) ts_tree_delete(tree_);
        source_ = std::move(o.source_);
        tree_ = o.tree_;
        kinds_ = o.kinds_;
        o.tree_ = nullptr;
    }
    return *this;
}

Node Tree::root() const {
    TSNode n = ts_tree_root_node(tree_);
    return Node(this, &n);
}

Position Tree::position(uint32_t row, uint32_t byte_column, uint32_t byte_offset) const {
    Position p;
    p.line = row + 1;
    p.byte_column = byte_column + 1;
    uint32_t line_start = byte_offset >= byte_column ? byte_offset - byte_column : 0;
    if (byte_offset > source_.size()) byte_offset = static_cast<uint32_t>(source_.size());
    if (line_start > byte_offset) line_start = byte_offset;
    p.column = utf16_length(std::string_view(source_).substr(line_start, byte_offset - line_start)) + 1;
    return p;
}

// ---- Parser ----

Parser::Parser() : parser_(ts_parser_new()) {
    if (!parser_) throw std::runtime_error("tree-sitter: cannot create a parser");
}

Parser::~Parser() { ts_parser_delete(parser_); }

namespace {

bool is_error_node(TSNode n) { return ts_node_is_error(n) || ts_node_is_missing(n); }

/// Visits the ERROR and MISSING nodes of `root` in order, descending only where
/// tree-sitter says an error lies; stops when `visit` returns false.
template <typename Visit>
void for_each_error(TSNode root, Visit visit) {
    if (!ts_node_has_error(root)) return;
    TSTreeCursor c = ts_tree_cursor_new(root);
    for (bool more = true; more;) {
        TSNode n = ts_tree_cursor_current_node(&c);
        if (is_error_node(n) && !visit(n)) break;
        if (ts_node_has_error(n) && !ts_node_is_missing(n) && ts_tree_cursor_goto_first_child(&c)) continue;
        while (!ts_tree_cursor_goto_next_sibling(&c)) {
            if (!ts_tree_cursor_goto_parent(&c)) {
                more = false;
                break;
            }
        }
    }
    ts_tree_cursor_delete(&c);
}

size_t count_errors(TSTree* t) {
    size_t n = 0;
    for_each_error(ts_tree_root_node(t), [&](TSNode) { return ++n < 10000; });
    return n;
}

/// The statements that hold an error (for each ERROR or MISSING node, its nearest ancestor
/// that sits in a block, with the statement before it when the error is one itself), and
/// the innermost JSX element or tag around each error inside JSX (or the error itself when
/// it starts with `<`: JSX the parser gave up on).
ErrorSpans error_spans(TSTree* t, const std::string& source) {
    static constexpr std::string_view blocks[] = {"program", "statement_block", "class_body", "switch_case",
                                                  "switch_default"};
    static constexpr std::string_view jsx[] = {"jsx_element", "jsx_opening_element", "jsx_self_closing_element"};
    auto one_of = [](TSNode n, const auto& kinds) {
        std::string_view k = ts_node_type(n);
        return std::find(std::begin(kinds), std::end(kinds), k) != std::end(kinds);
    };
    ErrorSpans spans;
    for_each_error(ts_tree_root_node(t), [&](TSNode e) {
        TSNode stmt = e;
        bool in_jsx = ts_node_is_error(e) && ts_node_start_byte(e) < source.size() && source[ts_node_start_byte(e)] == '<';
        if (in_jsx) spans.jsx.emplace_back(ts_node_start_byte(e), ts_node_end_byte(e));
        for (TSNode p = ts_node_parent(stmt); !ts_node_is_null(p) && !one_of(p, blocks); p = ts_node_parent(stmt)) {
            if (!in_jsx && one_of(p, jsx)) {
                in_jsx = true;
                spans.jsx.emplace_back(ts_node_start_byte(p), ts_node_end_byte(p));
            }
            stmt = p;
        }
        TSNode prev = ts_node_eq(stmt, e) ? ts_node_prev_sibling(stmt) : TSNode{};
        spans.statements.emplace_back(ts_node_start_byte(ts_node_is_null(prev) ? stmt : prev), ts_node_end_byte(stmt));
        return spans.statements.size() < 1000;
    });
    return spans;
}

}  // namespace

Tree Parser::parse(std::string source, Dialect dialect) {
    const TSLanguage* lang = dialect == Dialect::Tsx ? tree_sitter_tsx() : tree_sitter_typescript();
    if (!ts_parser_set_language(parser_, lang)) throw std::runtime_error("tree-sitter: grammar version mismatch");
    if (source.size() > UINT32_MAX / 2) throw std::runtime_error("file too large to parse");
    auto parse_text = [&](const std::string& text) {
        TSTree* t = ts_parser_parse_string(parser_, nullptr, text.data(), static_cast<uint32_t>(text.size()));
        if (!t) {
            ts_parser_reset(parser_);
            throw std::runtime_error("tree-sitter could not parse the file");
        }
        return t;
    };
    TSTree* t = parse_text(source);
    // Valid TypeScript the grammar does not know: re-parse with those constructs blanked
    // (same bytes, same lines), and keep the tree with fewer errors. The tree keeps the
    // original text, so node texts and positions are the file's own.
    if (ts_node_has_error(ts_tree_root_node(t))) {
        std::string patched = source;
        if (blank_unsupported_syntax(patched, error_spans(t, source)) > 0) {
            TSTree* again = parse_text(patched);
            if (count_errors(again) < count_errors(t)) std::swap(t, again);
            ts_tree_delete(again);
        }
    }
    return Tree(std::move(source), t, &kind_table(lang));
}

SyntaxError first_syntax_error(const Tree& tree) {
    SyntaxError e;
    for_each_error(ts_tree_root_node(tree.tree_), [&](TSNode n) {
        e.line = ts_node_start_point(n).row + 1;
        if (ts_node_is_missing(n)) e.missing = ts_node_type(n);
        return false;
    });
    return e;
}

Parser& thread_parser() {
    thread_local Parser parser;
    return parser;
}

// ---- UTF-8 helpers ----

uint32_t utf16_length(std::string_view s) {
    uint32_t n = 0;
    for (size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
        if (i + len > s.size()) len = 1;
        for (size_t k = 1; k < len; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
                len = 1;
                break;
            }
        }
        n += len == 4 ? 2 : 1;
        i += len;
    }
    return n;
}

bool valid_utf8(std::string_view s, size_t& bad) {
    for (size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        size_t len;
        uint32_t cp;
        if ((c >> 5) == 0x6) len = 2, cp = c & 0x1F;
        else if ((c >> 4) == 0xE) len = 3, cp = c & 0x0F;
        else if ((c >> 3) == 0x1E) len = 4, cp = c & 0x07;
        else {
            bad = i;
            return false;
        }
        if (i + len > s.size()) {
            bad = i;
            return false;
        }
        for (size_t k = 1; k < len; ++k) {
            auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) {
                bad = i;
                return false;
            }
            cp = (cp << 6) | (cc & 0x3F);
        }
        bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
        if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            bad = i;
            return false;
        }
        i += len;
    }
    return true;
}

}  // namespace nextguard::syntax
