#include "lsp/server.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>

#include "engine/session.hpp"
#include "lsp/text.hpp"
#include "lsp/transport.hpp"
#include "project/workspace.hpp"
#include "core/rule_info.hpp"
#include "syntax/tree.hpp"

namespace nextguard::lsp {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// JSON-RPC and LSP error codes.
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;
constexpr int kInternalError = -32603;
constexpr int kServerNotInitialized = -32002;

// LSP constants.
constexpr int kSyncIncremental = 2;
constexpr int kMessageError = 1;
constexpr int kMessageWarning = 2;

/// Analysis waits while messages keep arriving, but never longer than this.
constexpr auto kMaxDelay = std::chrono::milliseconds(500);

struct RpcError : std::runtime_error {
    RpcError(int c, const std::string& message) : std::runtime_error(message), code(c) {}
    int code;
};

json position_json(uint32_t line, uint32_t column) {
    // Engine positions are 1-based with UTF-16 columns; LSP's are 0-based.
    return {{"line", line > 0 ? line - 1 : 0}, {"character", column > 0 ? column - 1 : 0}};
}

json range_json(const Range& r) {
    return {{"start", position_json(r.start.line, r.start.column)}, {"end", position_json(r.end.line, r.end.column)}};
}

int severity_code(Severity s) {
    switch (s) {
        case Severity::Error:
            return 1;
        case Severity::Warning:
            return 2;
        case Severity::Note:
            return 3;
    }
    return 2;
}

bool is_within(const fs::path& path, const fs::path& dir) {
    fs::path rel = path.lexically_relative(dir);
    return !rel.empty() && *rel.begin() != "..";
}

std::string text_of(const json& j) {
    return j.is_string() ? j.get<std::string>() : std::string();
}

class Server {
public:
    Server(Transport& io, ServerOptions options) : io_(io), options_(std::move(options)) {
        if (!options_.config_path.empty()) options_.config_path = fs::absolute(options_.config_path).string();
    }

    int run() {
        for (;;) {
            std::optional<std::string> body;
            try {
                body = io_.read();
            } catch (const FramingError& e) {
                log(std::string("unreadable message skipped: ") + e.what());
                continue;
            }
            if (!body) return shutdown_ ? 0 : 1;  // the client went away
            handle(*body);
            if (exit_code_) return *exit_code_;
            // Analyze once the client has said everything it had to say (a burst of
            // keystrokes is one analysis), or when the wait grows too long.
            if (dirty_since_ && (!io_.pending() || std::chrono::steady_clock::now() - *dirty_since_ > kMaxDelay))
                flush();
        }
    }

private:
    /// An open text document.
    struct Document {
        std::string uri;
        fs::path path;
        std::string text;
        int64_t version = 0;
        fs::path root;    ///< the project folder it belongs to, empty when none
        std::string rel;  ///< its path in that project, empty when not a project file
        json published;   ///< the diagnostics last sent
        bool must_publish = true;
    };

    /// The analysis of one project folder.
    struct Slot {
        std::unique_ptr<engine::Session> session;
        std::string error;  ///< why the session could not be created
        bool rescan = false;
        bool reload = false;
        /// Files looked for by a rescan and not found; forgotten when something changes on disk.
        std::set<std::string> unknown;
    };

    // --- messages --------------------------------------------------------------------

    void handle(const std::string& body) {
        json msg;
        try {
            msg = json::parse(body);
        } catch (const json::exception& e) {
            send_error(nullptr, kParseError, e.what());
            return;
        }
        if (!msg.is_object()) {
            send_error(nullptr, kInvalidRequest, "a message must be a JSON object");
            return;
        }
        bool is_request = msg.contains("id");
        if (!msg.contains("method")) return;  // a response to one of our requests
        json id = is_request ? msg["id"] : json();
        if (!msg["method"].is_string()) {
            if (is_request) send_error(id, kInvalidRequest, "method must be a string");
            return;
        }
        std::string method = msg["method"];
        json params = msg.contains("params") ? msg["params"] : json::object();
        if (is_request) {
            try {
                send({{"jsonrpc", "2.0"}, {"id", id}, {"result", request(method, params)}});
            } catch (const RpcError& e) {
                send_error(id, e.code, e.what());
            } catch (const json::exception& e) {
                send_error(id, kInvalidParams, e.what());
            } catch (const std::exception& e) {
                send_error(id, kInternalError, e.what());
            }
        } else {
            try {
                notification(method, params);
            } catch (const std::exception& e) {
                log(method + ": " + e.what());
            }
        }
    }

    json request(const std::string& method, const json& params) {
        if (method == "initialize") {
            if (initialized_) throw RpcError(kInvalidRequest, "initialize was already called");
            return initialize(params);
        }
        if (!initialized_) throw RpcError(kServerNotInitialized, "the server is not initialized");
        if (shutdown_) throw RpcError(kInvalidRequest, "the server is shutting down");
        if (method == "shutdown") {
            shutdown_ = true;
            return nullptr;
        }
        if (method == "textDocument/codeAction") return code_actions(params);
        throw RpcError(kMethodNotFound, "unsupported method " + method);
    }

    void notification(const std::string& method, const json& params) {
        if (method == "exit") {
            exit_code_ = shutdown_ ? 0 : 1;
            return;
        }
        if (!initialized_ || shutdown_) return;
        if (method == "initialized") {
            if (watch_files_) register_watchers();
        } else if (method == "textDocument/didOpen") {
            did_open(params.at("textDocument"));
        } else if (method == "textDocument/didChange") {
            did_change(params);
        } else if (method == "textDocument/didSave") {
            did_save(params);
        } else if (method == "textDocument/didClose") {
            did_close(text_of(params.at("textDocument").at("uri")));
        } else if (method == "workspace/didChangeWatchedFiles") {
            for (const auto& change : params.at("changes")) disk_changed(uri_to_path(text_of(change.at("uri"))));
        }
        // Anything else ($/cancelRequest, $/setTrace, ...) needs no answer.
    }

    json initialize(const json& params) {
        const json caps = params.value("capabilities", json::object());
        watch_files_ = caps.contains("workspace") && caps["workspace"].contains("didChangeWatchedFiles") &&
                       caps["workspace"]["didChangeWatchedFiles"].value("dynamicRegistration", false);
        if (params.contains("workspaceFolders") && params["workspaceFolders"].is_array())
            for (const auto& folder : params["workspaceFolders"]) add_root(uri_to_path(text_of(folder.at("uri"))));
        if (roots_.empty() && params.contains("rootUri")) add_root(uri_to_path(text_of(params["rootUri"])));
        if (roots_.empty() && params.contains("rootPath")) add_root(fs::path(text_of(params["rootPath"])));
        if (roots_.empty())
            for (const auto& r : options_.roots) add_root(fs::absolute(r));
        if (roots_.empty()) add_root(fs::current_path());
        initialized_ = true;
        return {{"capabilities",
                 {{"positionEncoding", "utf-16"},
                  {"textDocumentSync",
                   {{"openClose", true}, {"change", kSyncIncremental}, {"save", {{"includeText", false}}}}},
                  {"codeActionProvider", {{"codeActionKinds", {"quickfix"}}}}}},
                {"serverInfo", {{"name", "nextguard"}, {"version", NEXTGUARD_VERSION}}}};
    }

    void register_watchers() {
        json watchers = json::array({{{"globPattern", "**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}"}},
                                     {{"globPattern", "**/{nextguard.json,tsconfig*.json,package.json,.gitignore}"}}});
        send({{"jsonrpc", "2.0"},
              {"id", "nextguard/watch"},
              {"method", "client/registerCapability"},
              {"params",
               {{"registrations",
                 {{{"id", "nextguard/watch"},
                   {"method", "workspace/didChangeWatchedFiles"},
                   {"registerOptions", {{"watchers", watchers}}}}}}}}});
    }

    // --- documents -------------------------------------------------------------------

    void did_open(const json& item) {
        Document doc;
        doc.uri = item.at("uri").get<std::string>();
        doc.path = uri_to_path(doc.uri);
        doc.text = item.at("text").get<std::string>();
        doc.version = item.value("version", int64_t{0});
        std::string uri = doc.uri;
        Document& d = docs_.insert_or_assign(uri, std::move(doc)).first->second;
        if (!d.path.empty()) d.root = root_for(d.path);
        attach(d, true);
        mark_dirty();
    }

    void did_change(const json& params) {
        const json& id = params.at("textDocument");
        auto it = docs_.find(id.at("uri").get<std::string>());
        if (it == docs_.end()) return;
        Document& d = it->second;
        for (const auto& change : params.at("contentChanges")) {
            if (change.contains("range")) {
                const json& r = change["range"];
                apply_edit(d.text, position(r.at("start")), position(r.at("end")),
                           change.at("text").get<std::string>());
            } else {
                d.text = change.at("text").get<std::string>();
            }
        }
        if (id.contains("version") && id["version"].is_number_integer()) d.version = id["version"].get<int64_t>();
        if (Slot* slot = slot_of(d); slot && slot->session && !d.rel.empty()) slot->session->set_text(d.rel, d.text);
        mark_dirty();
    }

    void did_save(const json& params) {
        auto it = docs_.find(text_of(params.at("textDocument").at("uri")));
        if (it == docs_.end()) {
            disk_changed(uri_to_path(text_of(params["textDocument"]["uri"])));
            return;
        }
        Document& d = it->second;
        if (params.contains("text") && params["text"].is_string()) d.text = params["text"].get<std::string>();
        if (d.rel.empty())
            disk_changed(d.path);  // a new source file, nextguard.json, tsconfig.json, package.json...
        else if (Slot* slot = slot_of(d); slot && slot->session)
            slot->session->set_text(d.rel, d.text);
        mark_dirty();
    }

    void did_close(const std::string& uri) {
        auto it = docs_.find(uri);
        if (it == docs_.end()) return;
        Document& d = it->second;
        // The project goes back to the file on disk; the editor's problems list empties.
        if (Slot* slot = slot_of(d); slot && slot->session && !d.rel.empty())
            slot->session->set_text(d.rel, std::nullopt);
        send_notification("textDocument/publishDiagnostics", {{"uri", uri}, {"diagnostics", json::array()}});
        docs_.erase(it);
        mark_dirty();
    }

    static TextPosition position(const json& p) {
        auto get = [&](const char* key) {
            int64_t v = p.at(key).get<int64_t>();
            return static_cast<uint32_t>(std::clamp<int64_t>(v, 0, UINT32_MAX));
        };
        return {get("line"), get("character")};
    }

    /// Binds `d` to its project's session (created on first use): the session analyzes
    /// the editor's text instead of the file on disk. With `may_rescan`, a file the
    /// session does not know yet (created since) is looked for on disk.
    void attach(Document& d, bool may_rescan) {
        d.rel.clear();
        if (d.root.empty()) return;
        Slot& slot = ensure_session(d.root);
        if (!slot.session) return;
        engine::Session& s = *slot.session;
        std::string rel = s.relative(d.path);
        if (rel.empty()) return;
        if (!s.has_file(rel) && may_rescan && may_join(rel) && slot.unknown.insert(rel).second) s.rescan();
        if (!s.has_file(rel)) return;
        d.rel = rel;
        s.set_text(rel, d.text);
    }

    /// Whether a file the session does not know could be a project file created since it
    /// looked (dependencies and declaration files never are).
    static bool may_join(const std::string& rel) {
        return project::is_source_extension(rel) && !rel.ends_with(".d.ts") && rel.rfind("node_modules/", 0) != 0 &&
               rel.find("/node_modules/") == std::string::npos;
    }

    /// The session of the project folder `root`, created (and analyzed) when needed.
    Slot& ensure_session(const fs::path& root) {
        Slot& slot = slots_[root];
        if (slot.session || !slot.error.empty()) return slot;
        auto t0 = std::chrono::steady_clock::now();
        try {
            engine::SessionOptions so;
            so.jobs = options_.jobs;
            so.config_path = options_.config_path;
            so.rule_overrides = options_.rule_overrides;
            slot.session = std::make_unique<engine::Session>(root, so);
        } catch (const std::exception& e) {
            slot.error = e.what();
            show_message(kMessageError, fmt::format("nextguard cannot analyze {}: {}", root.string(), slot.error));
            return slot;
        }
        const auto& st = slot.session->stats();
        log(fmt::format("{}: analyzed in {:.3f} s ({} source files)", root.string(),
                        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), st.files));
        for (auto& [uri, d] : docs_)
            if (d.root == root) attach(d, false);
        return slot;
    }

    /// Drops and recreates a project's session (its configuration changed).
    void reload(const fs::path& root) {
        slots_.erase(root);
        for (auto& [uri, d] : docs_)
            if (d.root == root) d.rel.clear();
        ensure_session(root);
    }

    Slot* slot_of(const Document& d) {
        auto it = slots_.find(d.root);
        return it == slots_.end() ? nullptr : &it->second;
    }

    void add_root(const fs::path& p) {
        if (p.empty()) return;
        fs::path root = fs::absolute(p).lexically_normal();
        if (!root.has_filename() && root != root.root_path()) root = root.parent_path();  // "dir/" -> "dir"
        roots_.insert(root);
    }

    /// The project folder of a file: the innermost workspace folder holding it, else the
    /// nearest folder above it with a package.json or next.config.*; empty when none.
    fs::path root_for(const fs::path& file) {
        fs::path path = fs::absolute(file).lexically_normal();
        fs::path best;
        auto consider = [&](const fs::path& root) {
            if (is_within(path, root) && root.native().size() > best.native().size()) best = root;
        };
        for (const auto& r : roots_) consider(r);
        for (const auto& [r, slot] : slots_) consider(r);
        if (!best.empty()) return best;
        std::error_code ec;
        for (fs::path dir = path.parent_path(); !dir.empty(); dir = dir.parent_path()) {
            for (const char* marker : {"package.json", "next.config.js", "next.config.mjs", "next.config.cjs",
                                       "next.config.ts", "next.config.mts"})
                if (fs::exists(dir / marker, ec)) return dir;
            if (dir == dir.parent_path()) break;
        }
        return {};
    }

    /// A file changed on disk (saved by another program, created, deleted): its projects
    /// look again at the next analysis.
    void disk_changed(const fs::path& path) {
        if (path.empty()) return;
        fs::path p = fs::absolute(path).lexically_normal();
        for (auto& [root, slot] : slots_) {
            bool config = options_.config_path.empty() ? p == root / "nextguard.json"
                                                       : p == fs::path(options_.config_path).lexically_normal();
            if (config) {
                slot.reload = true;
            } else if (is_within(p, root)) {
                slot.rescan = true;
                slot.unknown.clear();
            }
        }
        mark_dirty();
    }

    // --- analysis and diagnostics ----------------------------------------------------

    void mark_dirty() {
        if (!dirty_since_) dirty_since_ = std::chrono::steady_clock::now();
    }

    void flush() {
        dirty_since_.reset();
        std::vector<fs::path> reloads;
        for (auto& [root, slot] : slots_)
            if (slot.reload) reloads.push_back(root);
        for (const auto& root : reloads) reload(root);
        for (auto& [root, slot] : slots_) {
            if (!slot.session) continue;
            try {
                if (slot.rescan) {
                    slot.rescan = false;
                    slot.session->rescan();
                    for (auto& [uri, d] : docs_)
                        if (d.root == root) attach(d, false);
                }
                slot.session->analyze();
            } catch (const std::exception& e) {
                log(fmt::format("{}: analysis failed: {}", root.string(), e.what()));
            }
        }
        for (auto& [uri, d] : docs_) publish(d);
    }

    void publish(Document& d) {
        json diagnostics = json::array();
        Slot* slot = slot_of(d);
        if (slot && slot->session && !d.rel.empty()) diagnostics = diagnostics_of(d, *slot->session);
        if (!d.must_publish && diagnostics == d.published) return;
        d.must_publish = false;
        d.published = diagnostics;
        send_notification("textDocument/publishDiagnostics",
                          {{"uri", d.uri}, {"version", d.version}, {"diagnostics", std::move(diagnostics)}});
    }

    json diagnostics_of(const Document& d, const engine::Session& s) const {
        json out = json::array();
        for (const Finding& f : s.findings(d.rel)) {
            if (f.suppressed) continue;
            json related = json::array();
            if (f.entry)
                related.push_back({{"location",
                                    {{"uri", path_to_uri(s.root() / f.entry->file)},
                                     {"range", range_json({{f.entry->line, f.entry->column, 1},
                                                           {f.entry->line, f.entry->column, 1}})}}},
                                   {"message", "entry point: " + f.entry->label()}});
            for (const Location& r : f.related)
                related.push_back(
                    {{"location", {{"uri", path_to_uri(s.root() / r.file)}, {"range", range_json(r.range)}}},
                     {"message", r.message}});
            json diag = {{"range", range_json(f.location.range)},
                         {"severity", severity_code(f.severity)},
                         {"code", f.rule},
                         {"codeDescription", {{"href", rules::rule_help_uri(f.rule)}}},
                         {"source", "nextguard"},
                         {"message", f.message}};
            if (!related.empty()) diag["relatedInformation"] = std::move(related);
            out.push_back(std::move(diag));
        }
        // Problems with the file itself (a malformed suppression, invalid UTF-8) on their
        // line. Syntax errors are left to the editor's TypeScript support, which shows
        // them as the user types.
        for (const Notice& n : s.result().notices) {
            if (n.file != d.rel || n.line == 0 || n.message.rfind("syntax error", 0) == 0) continue;
            uint32_t line = n.line - 1;
            json range = {{"start", {{"line", line}, {"character", 0}}},
                          {"end", {{"line", line}, {"character", syntax::utf16_length(line_at(d.text, line))}}}};
            out.push_back({{"range", std::move(range)},
                           {"severity", severity_code(n.level)},
                           {"source", "nextguard"},
                           {"message", n.message}});
        }
        return out;
    }

    // --- code actions ----------------------------------------------------------------

    json code_actions(const json& params) {
        json actions = json::array();
        auto it = docs_.find(text_of(params.at("textDocument").at("uri")));
        if (it == docs_.end()) return actions;
        const Document& d = it->second;
        const json context = params.value("context", json::object());
        if (context.contains("only") && context["only"].is_array()) {
            bool wanted = false;
            for (const auto& kind : context["only"]) {
                std::string k = text_of(kind);
                wanted = wanted || k.empty() || k == "quickfix" || k.rfind("quickfix.", 0) == 0;
            }
            if (!wanted) return actions;
        }
        // The diagnostics the client points at; when it sends none, ours on the range's lines.
        std::vector<json> diags;
        auto ours = [](const json& diag) {
            return diag.is_object() && diag.value("source", "") == "nextguard" && diag.contains("code") &&
                   diag["code"].is_string() && rules::find_rule_info(diag["code"].get<std::string>()) != nullptr;
        };
        if (context.contains("diagnostics") && context["diagnostics"].is_array())
            for (const auto& diag : context["diagnostics"])
                if (ours(diag)) diags.push_back(diag);
        if (diags.empty()) {
            TextPosition a = position(params.at("range").at("start")), b = position(params.at("range").at("end"));
            for (const auto& diag : d.published) {
                if (!ours(diag)) continue;
                uint32_t line = diag.at("range").at("start").at("line").get<uint32_t>();
                if (line >= a.line && line <= b.line) diags.push_back(diag);
            }
        }
        std::set<std::pair<std::string, uint32_t>> seen;
        for (const auto& diag : diags) {
            std::string rule = diag.at("code").get<std::string>();
            uint32_t line = diag.at("range").at("start").at("line").get<uint32_t>();
            if (!seen.emplace(rule, line).second) continue;
            std::string_view text = line_at(d.text, line);
            std::string indent(text.substr(0, text.find_first_not_of(" \t")));
            if (indent.size() == text.size()) indent.clear();
            size_t end = byte_offset(d.text, {line, UINT32_MAX});
            bool crlf = end < d.text.size() && d.text[end] == '\r';
            std::string comment = indent + "// nextguard-ignore-next-line " + rule + " -- " + (crlf ? "\r\n" : "\n");
            json edit = {
                {"range", {{"start", {{"line", line}, {"character", 0}}}, {"end", {{"line", line}, {"character", 0}}}}},
                {"newText", comment}};
            actions.push_back({{"title", "Suppress " + rule + " on this line (nextguard-ignore-next-line)"},
                               {"kind", "quickfix"},
                               {"diagnostics", json::array({diag})},
                               {"edit", {{"changes", {{d.uri, json::array({edit})}}}}}});
        }
        return actions;
    }

    // --- output ----------------------------------------------------------------------

    void send(const json& msg) {
        // Invalid UTF-8 in a message (a path, a line of code) must not stop the server.
        if (!io_.write(msg.dump(-1, ' ', false, json::error_handler_t::replace))) exit_code_ = 1;
    }

    void send_error(const json& id, int code, const std::string& message) {
        send({{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}});
    }

    void send_notification(const std::string& method, json params) {
        send({{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}});
    }

    void show_message(int type, const std::string& message) {
        send_notification("window/showMessage", {{"type", type}, {"message", message}});
    }

    static void log(const std::string& message) { fmt::print(stderr, "nextguard lsp: {}\n", message); }

    Transport& io_;
    ServerOptions options_;
    bool initialized_ = false, shutdown_ = false, watch_files_ = false;
    std::optional<int> exit_code_;
    std::set<fs::path> roots_;
    std::map<fs::path, Slot> slots_;
    std::map<std::string, Document> docs_;
    std::optional<std::chrono::steady_clock::time_point> dirty_since_;
};

}  // namespace

int serve(int in_fd, int out_fd, const ServerOptions& options) {
    Transport io(in_fd, out_fd);
    Server server(io, options);
    return server.run();
}

int serve_stdio(const ServerOptions& options) {
    int out = ::dup(STDOUT_FILENO);
    if (out < 0) throw std::runtime_error("cannot duplicate standard output");
    ::dup2(STDERR_FILENO, STDOUT_FILENO);  // stray output must not corrupt the protocol
    std::signal(SIGPIPE, SIG_IGN);         // a client that went away is a failed write, not a crash
    int code = serve(STDIN_FILENO, out, options);
    ::close(out);
    return code;
}

}  // namespace nextguard::lsp
