// Per-function taint: where request data (and parameters) flow to sinks without a
// validator. Runs in the per-file stage while the tree is alive (internal to analysis/).
#pragma once

#include <vector>

#include "analysis/facts.hpp"
#include "analysis/knowledge.hpp"
#include "syntax/tree.hpp"

namespace nextguard::analysis {

/// Fills `facts.sinks` and `facts.call_taints`. `function_nodes[i]` is the syntax node of
/// `facts.functions[i]` (parents come before children); `statements[i]` are the variable
/// declarators, assignments, `if`s and calls directly in it (not in nested functions), in
/// source order, as the extractor's walk met them.
void extract_taint(const std::vector<syntax::Node>& function_nodes, const std::vector<std::vector<syntax::Node>>& statements,
                   const Knowledge& knowledge, FileFacts& facts);

}  // namespace nextguard::analysis
