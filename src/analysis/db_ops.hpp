// Recognises database operations in calls, by API style, from library knowledge
// (internal to analysis/).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "analysis/facts.hpp"
#include "analysis/knowledge.hpp"
#include "syntax/tree.hpp"

namespace nextguard::analysis {

/// What the recogniser knows about the file around a call.
struct DbFileContext {
    const Knowledge* knowledge = nullptr;
    const std::vector<Import>* imports = nullptr;
    std::vector<std::string> client_locals;  ///< module-level names bound to a database client
    bool imports_mongoose = false;
    bool imports_typeorm = false;
    /// Parent lookup (the extractor's, cheaper than tree-sitter's); null: tree-sitter's.
    std::function<syntax::Node(syntax::Node)> parent;
};

/// The database operation `call` performs, if any; fills `op` (all but `function` and
/// `in_transaction`) and returns true.
bool detect_db_op(syntax::Node call, const DbFileContext& ctx, DbOp& op);

/// True when `call` opens a transaction (`prisma.$transaction(...)`, `db.transaction(cb)`,
/// `db.batch([...])`, `trx.transaction().execute(cb)`...): database operations inside its
/// arguments run atomically.
bool is_transaction_call(syntax::Node call, const DbFileContext& ctx);

}  // namespace nextguard::analysis
