// The only layer that includes tree-sitter: parser per thread, trees that own their
// source text, and a small copyable node value.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"

struct TSTree;
struct TSParser;
struct TSLanguage;

namespace nextguard::syntax {

/// Which grammar parses a file: tsx for .tsx/.jsx and JavaScript (.js/.mjs/.cjs, which may
/// hold JSX), typescript for the rest.
enum class Dialect { TypeScript, Tsx };

/// Picks the grammar from a file name.
Dialect dialect_for(std::string_view file_name);

class Tree;

/// Where a tree first fails to parse: the first ERROR or MISSING node in document order.
struct SyntaxError {
    explicit operator bool() const { return line > 0; }
    uint32_t line = 0;     ///< 1-based; 0 when the tree has no error
    std::string missing;   ///< the kind of a MISSING node (`;`, `}`), empty for an ERROR
};
/// The first syntax error of `tree` (a false value when there is none).
SyntaxError first_syntax_error(const Tree& tree);


/// The node kinds the hot paths test, resolved from the grammars' symbol ids once, so a
/// test is an array look-up instead of a string comparison. Everything else is Other.
enum class Kind : uint8_t {
    Other,
    ArrowFunction,
    AssignmentExpression,
    AsExpression,
    AwaitExpression,
    NonNullExpression,
    ParenthesizedExpression,
    SatisfiesExpression,
    TypeAssertion,
    CallExpression,
    Comment,
    FunctionDeclaration,
    FunctionExpression,
    GeneratorFunction,
    GeneratorFunctionDeclaration,
    IfStatement,
    MemberExpression,
    MethodDefinition,
    ReturnStatement,
    Loop,
    CatchClause,
    TernaryExpression,
    SwitchStatement,
    TryStatement,
    VariableDeclarator,
    BinaryExpression,
    NewExpression,
    Object,
    Pair,
    TemplateString,
    // leaves, patterns and type-only syntax: nothing below them runs
    AmbientDeclaration,
    ArrayPattern,
    FormalParameters,
    JsxClosingElement,
    JsxText,
    ObjectPattern,
    Regex,
    Identifier,
    ImportStatement,
    InterfaceDeclaration,
    Number,
    PropertyIdentifier,
    ShorthandPropertyIdentifier,
    String,
    TypeAliasDeclaration,
    TypeAnnotation,
    TypeArguments,
    TypeIdentifier,
    TypeParameters,
};

/// Per grammar: each symbol's Kind and name (resolved once).
struct SymbolTable {
    std::vector<Kind> kinds;
    std::vector<std::string_view> names;
};

/// A node of a Tree: a thin copyable value. A null node answers false to `operator bool`.
/// Valid only while its Tree lives.
class Node {
public:
    Node() = default;
    explicit operator bool() const { return tree_ != nullptr && !null_; }

    /// The grammar's name for this node ("call_expression", "identifier", "(").
    std::string_view kind() const;
    /// The node's kind among those of `Kind` (Other for the rest); O(1).
    Kind kind_id() const;
    bool is(std::string_view k) const { return kind() == k; }
    bool is_named() const;
    bool is_missing() const;
    bool is_error() const;
    bool has_error() const;

    /// The source text this node spans.
    std::string_view text() const;

    uint32_t start_byte() const;
    uint32_t end_byte() const;
    /// 1-based line and UTF-16 column of the first character.
    Position start() const;
    /// 1-based line and UTF-16 column just past the last character.
    Position end() const;
    Range range() const { return {start(), end()}; }

    uint32_t child_count() const;
    uint32_t named_child_count() const;
    Node child(uint32_t i) const;
    Node named_child(uint32_t i) const;
    /// The child in the named field ("name", "body", "arguments"...), or a null node.
    Node field(std::string_view name) const;
    Node parent() const;
    Node next_named_sibling() const;
    Node prev_named_sibling() const;

    /// The node as an S-expression, for tests and debugging. tree-sitter builds it
    /// recursively: not for pathologically deep trees.
    std::string sexp() const;

    /// A stable identity for this node within its tree (for maps from node to facts).
    const void* id() const;

    const Tree& tree() const { return *tree_; }

private:
    friend class Tree;
    friend class Cursor;
    Node(const Tree* tree, const void* raw);  // raw points to a TSNode
    const Tree* tree_ = nullptr;
    bool null_ = true;
    alignas(8) unsigned char raw_[32] = {};  // a TSNode, stored opaquely
};

/// A walking position in a tree (tree-sitter's TreeCursor): moving to the first child, the
/// next sibling or the parent costs O(1), unlike Node::child(i) which is linear in i.
class Cursor {
public:
    explicit Cursor(Node start);
    ~Cursor();
    Cursor(const Cursor&) = delete;
    Cursor& operator=(const Cursor&) = delete;

    Node node() const;
    bool first_child();
    bool next_sibling();
    bool parent();

private:
    const Tree* tree_;
    alignas(8) unsigned char raw_[32] = {};  // a TSTreeCursor, stored opaquely
};

/// The children of `n` in order (named and anonymous), collected with a cursor.
std::vector<Node> children(Node n);
/// The named children of `n` in order, collected with a cursor.
std::vector<Node> named_children(Node n);

/// A syntax tree that owns its source text.
class Tree {
public:
    ~Tree();
    Tree(Tree&&) noexcept;
    Tree& operator=(Tree&&) noexcept;
    Tree(const Tree&) = delete;
    Tree& operator=(const Tree&) = delete;

    Node root() const;
    const std::string& source() const { return source_; }
    /// 1-based position of a byte offset given its 0-based row and byte column.
    Position position(uint32_t row, uint32_t byte_column, uint32_t byte_offset) const;

private:
    friend class Parser;
    friend SyntaxError first_syntax_error(const Tree& tree);
    Tree(std::string source, TSTree* tree, const SymbolTable* kinds);
    friend class Node;
    std::string source_;
    TSTree* tree_ = nullptr;
    const SymbolTable* kinds_ = nullptr;  ///< symbol id -> Kind and name for the tree's grammar
};

/// A tree-sitter parser; not thread-safe, so use one per thread (see `thread_parser`).
class Parser {
public:
    Parser();
    ~Parser();
    Parser(const Parser&) = delete;
    Parser& operator=(const Parser&) = delete;

    /// Parses `source` with the grammar of `dialect`. Never returns a null tree: empty
    /// input gives an empty program. Throws std::runtime_error if tree-sitter fails
    /// (cancelled or out of memory).
    Tree parse(std::string source, Dialect dialect);

private:
    TSParser* parser_;
};

/// The calling thread's parser.
Parser& thread_parser();

/// Counts the UTF-16 code units in a run of UTF-8 bytes (invalid bytes count as one each).
uint32_t utf16_length(std::string_view utf8);

/// True when `text` is valid UTF-8; otherwise sets `bad_offset` to the first invalid byte.
bool valid_utf8(std::string_view text, size_t& bad_offset);

}  // namespace nextguard::syntax
