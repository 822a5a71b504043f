// `nextguard lsp`: a language server (LSP 3.17, JSON-RPC 2.0 over standard input and
// output). Documents are analyzed with an engine::Session per project folder, so an edit
// re-parses only the edited file; diagnostics are pushed with
// `textDocument/publishDiagnostics` and a quick fix inserts a suppression comment.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace nextguard::lsp {

struct ServerOptions {
    unsigned jobs = 0;        ///< threads for parsing and rules; 0: all cores
    std::string config_path;  ///< --config FILE for every project; empty: each project's nextguard.json
    std::vector<std::pair<std::string, std::string>> rule_overrides;  ///< --rule ID=LEVEL
    /// Project folders to use when the client names none (neither workspace folders nor a root).
    std::vector<std::string> roots;
};

/// Serves one client reading `in_fd` and writing `out_fd` until the `exit` notification or
/// the end of the input. Returns the process exit code: 0 after `shutdown` then `exit`,
/// 1 otherwise (as the protocol asks).
int serve(int in_fd, int out_fd, const ServerOptions& options);

/// serve() on standard input and output. Standard output is reserved for the protocol:
/// anything else written to it goes to standard error instead.
int serve_stdio(const ServerOptions& options);

}  // namespace nextguard::lsp
