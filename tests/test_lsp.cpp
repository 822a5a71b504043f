// Editors: `--stdin-filename`, the engine Session (incremental re-analysis) and
// `nextguard lsp` driven through the protocol.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <deque>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>

#include "engine/run.hpp"
#include "engine/session.hpp"
#include "lsp/text.hpp"
#include "syntax/tree.hpp"
#include "lsp/transport.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const char* kPackage = R"({"dependencies":{"next":"15.0.0"}})";

// "🎉" is 4 bytes and 2 UTF-16 units, "é" 2 bytes and 1 unit: `prisma` starts at UTF-16
// column 47 (1-based; character 46 in LSP terms), byte column 50.
const char* kUnbounded =
    "export async function GET() {\n"
    "  const label = \"\xF0\x9F\x8E\x89 caf\xC3\xA9\"; const rows = await prisma.item.findMany();\n"
    "  return Response.json({ label, rows });\n}\n";
const char* kBounded =
    "export async function GET() {\n"
    "  const label = \"\xF0\x9F\x8E\x89 caf\xC3\xA9\"; const rows = await prisma.item.findMany({ take: 10 });\n"
    "  return Response.json({ label, rows });\n}\n";
constexpr int kColumn = 47;
const int kEndColumn = kColumn + static_cast<int>(std::string("prisma.item.findMany()").size());

/// `nextguard lsp` in a child process, spoken to through pipes. Every read has a
/// deadline, so a server that hangs fails the test instead of blocking it.
class LspProcess {
public:
    explicit LspProcess(const fs::path& cwd) : stderr_path_(io_.path() / "stderr") {
        std::signal(SIGPIPE, SIG_IGN);  // a server that died is a failed write, not a dead test binary
        int to_child[2], from_child[2];
        if (::pipe(to_child) != 0 || ::pipe(from_child) != 0) throw std::runtime_error("pipe failed");
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            ::dup2(to_child[0], STDIN_FILENO);
            ::dup2(from_child[1], STDOUT_FILENO);
            int err = ::open(stderr_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (err >= 0) ::dup2(err, STDERR_FILENO);
            for (int fd : {to_child[0], to_child[1], from_child[0], from_child[1]}) ::close(fd);
            if (::chdir(cwd.c_str()) != 0) ::_exit(126);
            ::execl(NEXTGUARD_BINARY, NEXTGUARD_BINARY, "lsp", static_cast<char*>(nullptr));
            ::_exit(127);
        }
        ::close(to_child[0]);
        ::close(from_child[1]);
        in_ = to_child[1];
        out_ = from_child[0];
    }

    ~LspProcess() {
        if (in_ >= 0) ::close(in_);
        if (out_ >= 0) ::close(out_);
        if (pid_ > 0 && !exited_) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }

    LspProcess(const LspProcess&) = delete;
    LspProcess& operator=(const LspProcess&) = delete;

    void send(const json& msg) { send_body(msg.dump()); }

    void send_body(const std::string& body) {
        std::string data = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
        for (size_t done = 0; done < data.size();) {
            ssize_t n = ::write(in_, data.data() + done, data.size() - done);
            if (n <= 0) throw std::runtime_error("the server does not read its input any more");
            done += static_cast<size_t>(n);
        }
    }

    void request(int id, const std::string& method, const json& params) {
        send({{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}});
    }

    void notify(const std::string& method, const json& params) {
        send({{"jsonrpc", "2.0"}, {"method", method}, {"params", params}});
    }

    /// The next message from the server.
    json read() {
        for (;;) {
            size_t end = buf_.find("\r\n\r\n");
            if (end != std::string::npos) {
                auto header = buf_.substr(0, end);
                REQUIRE(header.rfind("Content-Length: ", 0) == 0);
                size_t length = std::stoul(header.substr(16));
                while (buf_.size() < end + 4 + length) fill();
                json msg = json::parse(buf_.substr(end + 4, length));
                buf_.erase(0, end + 4 + length);
                REQUIRE(msg["jsonrpc"] == "2.0");
                return msg;
            }
            fill();
        }
    }

    /// The response to request `id`; server-to-client requests met on the way are answered.
    json response(int id) {
        for (;;) {
            json msg = read();
            if (msg.contains("id") && msg["id"] == id && !msg.contains("method")) return msg;
            answer_if_request(msg);
        }
    }

    /// The next diagnostics published for `uri` (those for other documents met on the way
    /// are kept for later calls).
    json diagnostics(const std::string& uri) {
        auto& queue = published_[uri];
        if (!queue.empty()) {
            json params = queue.front();
            queue.pop_front();
            return params;
        }
        for (;;) {
            json msg = read();
            if (msg.value("method", "") == "textDocument/publishDiagnostics") {
                if (msg["params"]["uri"] == uri) return msg["params"];
                published_[msg["params"]["uri"].get<std::string>()].push_back(msg["params"]);
            }
            answer_if_request(msg);
        }
    }

    /// Waits for the process to end; its exit code, or -1 when killed by a signal.
    int wait_exit() {
        auto deadline = std::chrono::steady_clock::now() + kTimeout;
        for (;;) {
            int status = 0;
            pid_t r = ::waitpid(pid_, &status, WNOHANG);
            if (r == pid_) {
                exited_ = true;
                return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            }
            if (std::chrono::steady_clock::now() > deadline) FAIL("the server did not exit" << log());
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }

    std::string log() const {
        std::error_code ec;
        return fs::exists(stderr_path_, ec) ? "\nserver stderr:\n" + test::read_file(stderr_path_) : "";
    }

private:
    static constexpr auto kTimeout = std::chrono::seconds(60);  // generous: sanitizer builds are slow

    void fill() {
        pollfd p{out_, POLLIN, 0};
        int ready = ::poll(&p, 1, static_cast<int>(std::chrono::milliseconds(kTimeout).count()));
        if (ready <= 0) FAIL("no message from the server in time" << log());
        char chunk[65536];
        ssize_t n = ::read(out_, chunk, sizeof chunk);
        if (n <= 0) FAIL("the server closed its output" << log());
        buf_.append(chunk, static_cast<size_t>(n));
    }

    void answer_if_request(const json& msg) {
        if (msg.contains("id") && msg.contains("method"))  // client/registerCapability and the like
            send({{"jsonrpc", "2.0"}, {"id", msg["id"]}, {"result", nullptr}});
    }

    test::TempDir io_;
    fs::path stderr_path_;
    pid_t pid_ = -1;
    int in_ = -1, out_ = -1;
    bool exited_ = false;
    std::string buf_;
    std::map<std::string, std::deque<json>> published_;
};

json lsp_position(int line, int character) {
    return {{"line", line}, {"character", character}};
}

}  // namespace

TEST_CASE("lsp: UTF-16 positions, edits and URIs", "[lsp]") {
    using nextguard::lsp::TextPosition;
    std::string text =
        "a\xF0\x9F\x8E\x89"
        "b\r\nc\xC3\xA9"
        "d\n";  // "a🎉b\r\ncéd\n"
    CHECK(nextguard::lsp::byte_offset(text, {0, 0}) == 0);
    CHECK(nextguard::lsp::byte_offset(text, {0, 1}) == 1);
    CHECK(nextguard::lsp::byte_offset(text, {0, 2}) == 5);  // inside the surrogate pair: after it
    CHECK(nextguard::lsp::byte_offset(text, {0, 3}) == 5);
    CHECK(nextguard::lsp::byte_offset(text, {0, 4}) == 6);
    CHECK(nextguard::lsp::byte_offset(text, {0, 99}) == 6);  // clamped before "\r\n"
    CHECK(nextguard::lsp::byte_offset(text, {1, 2}) == 11);
    CHECK(nextguard::lsp::byte_offset(text, {5, 0}) == text.size());
    CHECK(nextguard::syntax::utf16_length("a\xF0\x9F\x8E\x89"
                                          "b") == 4);
    CHECK(nextguard::lsp::line_at(text, 1) ==
          "c\xC3\xA9"
          "d");

    nextguard::lsp::apply_edit(text, {0, 1}, {0, 3}, "-");
    CHECK(text ==
          "a-b\r\nc\xC3\xA9"
          "d\n");
    nextguard::lsp::apply_edit(text, {1, 0}, {1, 0}, "// x\r\n");
    CHECK(text ==
          "a-b\r\n// x\r\nc\xC3\xA9"
          "d\n");

    fs::path p = "/tmp/my app/[id]/caf\xC3\xA9 #1.ts";
    std::string uri = nextguard::lsp::path_to_uri(p);
    CHECK(uri == "file:///tmp/my%20app/%5Bid%5D/caf%C3%A9%20%231.ts");
    CHECK(nextguard::lsp::uri_to_path(uri) == p);
    CHECK(nextguard::lsp::uri_to_path("file:///a/b%3a.ts") == fs::path("/a/b:.ts"));
    CHECK(nextguard::lsp::uri_to_path("untitled:Untitled-1").empty());
}

TEST_CASE("lsp: Content-Length framing", "[lsp]") {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    std::string input =
        "Content-Length: 2\r\n\r\n{}"
        "content-type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: 7\r\n\r\n[1,2,3]"
        "X-Nonsense: 1\r\n\r\n"  // no length: skipped
        "Content-Length: 4\r\n\r\nnull";
    REQUIRE(::write(fds[1], input.data(), input.size()) == static_cast<ssize_t>(input.size()));
    ::close(fds[1]);
    nextguard::lsp::Transport t(fds[0], -1);
    CHECK(t.read() == std::optional<std::string>("{}"));
    CHECK(t.pending());
    CHECK(t.read() == std::optional<std::string>("[1,2,3]"));
    CHECK_THROWS_AS(t.read(), nextguard::lsp::FramingError);
    CHECK(t.read() == std::optional<std::string>("null"));
    CHECK_FALSE(t.read().has_value());
    ::close(fds[0]);
}

TEST_CASE("lsp: a session re-parses only what changed", "[lsp]") {
    test::TempDir dir;
    dir.write("package.json", kPackage);
    dir.write("app/api/a/route.ts", kUnbounded);
    dir.write("app/api/b/route.ts", kBounded);
    dir.write("lib/util.ts", "export const id = (x: string) => x;\n");
    nextguard::engine::Session s(dir.path());
    CHECK(s.stats().files == 3);
    CHECK(s.stats().files_parsed == 3);
    CHECK(s.relative(dir.path() / "app/api/a/route.ts") == "app/api/a/route.ts");
    CHECK(s.relative(dir.path().parent_path()).empty());
    REQUIRE(s.findings("app/api/a/route.ts").size() == 1);
    CHECK(s.findings("app/api/b/route.ts").empty());

    // An editor's buffer: only that file is parsed again.
    auto found = s.update("app/api/b/route.ts", kUnbounded);
    REQUIRE(found.size() == 1);
    CHECK(found[0].rule == "unpaginated-query");
    CHECK(found[0].location.range.start.line == 2);
    CHECK(found[0].location.range.start.column == kColumn);
    CHECK(s.stats().files_parsed == 1);
    CHECK(s.stats().parses == 4);
    CHECK(s.findings("app/api/a/route.ts").size() == 1);  // the other files' findings stay

    double seconds = s.stats().seconds;
    CHECK(s.update("app/api/b/route.ts", kUnbounded).size() == 1);  // the same text: nothing to parse
    CHECK(s.stats().files_parsed == 0);
    CHECK(s.stats().seconds == seconds);  // nor to analyze again: the last result stands

    CHECK(s.set_text("app/api/b/route.ts", std::nullopt));  // closed: back to the disk's text
    s.analyze();
    CHECK(s.stats().files_parsed == 1);
    CHECK(s.findings("app/api/b/route.ts").empty());
    CHECK_FALSE(s.set_text("README.md", "x"));

    // Files created and deleted on disk are found by a rescan.
    dir.write("app/api/c/route.ts", kUnbounded);
    fs::remove(dir.path() / "app/api/a/route.ts");
    s.rescan();
    s.analyze();
    CHECK(s.stats().files_parsed == 1);
    CHECK(s.has_file("app/api/c/route.ts"));
    CHECK_FALSE(s.has_file("app/api/a/route.ts"));
    CHECK(s.findings("app/api/c/route.ts").size() == 1);
    CHECK(s.findings("app/api/a/route.ts").empty());
}

TEST_CASE("lsp: a session finds what a run finds", "[lsp]") {
    // A session parses every file; a run skips component files that nothing parsed imports.
    // The findings and entry points must be the same on every fixture project.
    auto key = [](const nextguard::Finding& f) {
        std::string k = f.rule + " " + f.location.file + ":" + std::to_string(f.location.range.start.line) + ":" +
                        std::to_string(f.location.range.start.column) + " " + f.message;
        for (const auto& r : f.related) k += " | " + r.file + ":" + std::to_string(r.range.start.line) + " " + r.message;
        return k;
    };
    auto projects = test::fixture_projects();
    REQUIRE(projects.size() > 10);
    for (const auto& dir : projects) {
        INFO(dir.string());
        nextguard::engine::RunOptions ro;
        ro.inputs = {dir.string()};
        auto expected = nextguard::engine::run(ro);
        nextguard::engine::Session s(dir);
        std::vector<std::string> a, b;
        for (const auto& f : expected.findings)
            if (!f.suppressed) a.push_back(key(f));
        for (const auto& f : s.result().findings)
            if (!f.suppressed) b.push_back(key(f));
        if (a != b)
            for (size_t i = 0; i < std::max(a.size(), b.size()); ++i)
                if (i >= a.size() || i >= b.size() || a[i] != b[i]) {
                    UNSCOPED_INFO("run:     " << (i < a.size() ? a[i] : "-"));
                    UNSCOPED_INFO("session: " << (i < b.size() ? b[i] : "-"));
                    break;
                }
        CHECK(a == b);
        CHECK(s.result().stats.entry_points == expected.stats.entry_points);
    }
}

TEST_CASE("lsp: --stdin-filename analyzes the buffer, not the file on disk", "[lsp]") {
    test::TempDir dir;
    dir.write("package.json", kPackage);
    dir.write("app/api/x/route.ts", kBounded);
    auto clean = test::run_nextguard("--format json .", dir.path());
    INFO(clean.out << clean.err);
    REQUIRE(clean.exit_code == 0);
    CHECK(json::parse(clean.out)["findings"].empty());

    auto r = test::run_nextguard("--format json --stdin-filename app/api/x/route.ts .", dir.path(), kUnbounded);
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    auto j = json::parse(r.out);
    REQUIRE(j["findings"].size() == 1);
    const auto& f = j["findings"][0];
    CHECK(f["rule"] == "unpaginated-query");
    CHECK(f["file"] == "app/api/x/route.ts");
    CHECK(f["line"] == 2);
    CHECK(f["column"] == kColumn);  // UTF-16 units
    CHECK(f["endColumn"] == kEndColumn);
    CHECK(j["stats"]["filesAnalyzed"] == 1);

    // The code frame shows the buffer's line, not the one on disk.
    auto text = test::run_nextguard("--color never --stdin-filename app/api/x/route.ts", dir.path(), kUnbounded);
    INFO(text.out << text.err);
    CHECK(text.out.find("2 |   const label = \"\xF0\x9F\x8E\x89 caf\xC3\xA9\"; const rows = await "
                        "prisma.item.findMany();\n") != std::string::npos);
}

TEST_CASE("lsp: --stdin-filename for a file not saved yet, or one the analysis leaves out", "[lsp]") {
    test::TempDir dir;
    dir.write("package.json", kPackage);
    dir.write("app/api/x/route.ts", kBounded);
    dir.write(".gitignore", "generated/\n");
    dir.write("generated/api.ts", kBounded);

    // A new route the editor has not saved: analyzed as if it stood there.
    auto r = test::run_nextguard("--format json --stdin-filename app/api/new/route.ts .", dir.path(), kUnbounded);
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    auto j = json::parse(r.out);
    REQUIRE(j["findings"].size() == 1);
    CHECK(j["findings"][0]["file"] == "app/api/new/route.ts");
    CHECK(j["findings"][0]["entry"]["url"] == "/api/new");
    CHECK(j["errors"].empty());

    // An ignored file, a file outside the folder, a non-source name: a note, nothing analyzed.
    for (const char* name : {"generated/api.ts", "../elsewhere/route.ts", "app/api/x/notes.md"}) {
        auto n = test::run_nextguard(std::string("--format json --stdin-filename ") + name + " .", dir.path(), kUnbounded);
        INFO(name << "\n" << n.out << n.err);
        REQUIRE(n.exit_code == 0);
        auto k = json::parse(n.out);
        CHECK(k["findings"].empty());
        REQUIRE(k["errors"].size() == 1);
        CHECK(k["errors"][0]["message"].get<std::string>().find("its text is not analyzed") != std::string::npos);
    }
}

TEST_CASE("lsp: diagnostics, changes, a suppression quick fix, shutdown", "[lsp]") {
    test::TempDir dir;
    dir.write("package.json", kPackage);
    dir.write("app/api/x/route.ts", kBounded);  // the editor's buffer differs from the disk
    dir.write("lib/db.ts", "export const db = 1;\n");
    fs::path root = fs::canonical(dir.path());
    std::string uri = nextguard::lsp::path_to_uri(root / "app/api/x/route.ts");

    LspProcess lsp(root);
    lsp.request(1, "initialize",
                {{"processId", nullptr},
                 {"rootUri", nextguard::lsp::path_to_uri(root)},
                 {"workspaceFolders", {{{"uri", nextguard::lsp::path_to_uri(root)}, {"name", "app"}}}},
                 {"capabilities", {{"workspace", {{"didChangeWatchedFiles", {{"dynamicRegistration", true}}}}}}}});
    json init = lsp.response(1);
    INFO(init.dump() << lsp.log());
    CHECK(init["result"]["capabilities"]["positionEncoding"] == "utf-16");
    CHECK(init["result"]["capabilities"]["textDocumentSync"]["openClose"] == true);
    CHECK(init["result"]["capabilities"]["textDocumentSync"]["change"] == 2);
    CHECK(init["result"]["capabilities"]["codeActionProvider"].is_object());
    CHECK(init["result"]["serverInfo"]["name"] == "nextguard");
    lsp.notify("initialized", json::object());

    // Open: the buffer's finding, positioned in UTF-16 code units.
    lsp.notify("textDocument/didOpen",
               {{"textDocument", {{"uri", uri}, {"languageId", "typescript"}, {"version", 1}, {"text", kUnbounded}}}});
    json published = lsp.diagnostics(uri);
    INFO(published.dump() << lsp.log());
    CHECK(published["version"] == 1);
    REQUIRE(published["diagnostics"].size() == 1);
    json diag = published["diagnostics"][0];
    CHECK(diag["code"] == "unpaginated-query");
    CHECK(diag["source"] == "nextguard");
    CHECK(diag["severity"] == 2);
    CHECK(diag["range"]["start"] == lsp_position(1, kColumn - 1));
    CHECK(diag["range"]["end"] == lsp_position(1, kEndColumn - 1));
    std::string href = diag["codeDescription"]["href"];
    CHECK(href.ends_with("/rules/unpaginated-query.md"));
    CHECK(diag["message"].get<std::string>().find("findMany") != std::string::npos);

    // A quick fix inserts a suppression comment above the flagged line, keeping its indent.
    lsp.request(2, "textDocument/codeAction",
                {{"textDocument", {{"uri", uri}}}, {"range", diag["range"]}, {"context", {{"diagnostics", {diag}}}}});
    json actions = lsp.response(2);
    INFO(actions.dump());
    REQUIRE(actions["result"].size() == 1);
    const json& action = actions["result"][0];
    CHECK(action["kind"] == "quickfix");
    CHECK(action["title"].get<std::string>().find("unpaginated-query") != std::string::npos);
    REQUIRE(action["edit"]["changes"][uri].size() == 1);
    json edit = action["edit"]["changes"][uri][0];
    CHECK(edit["range"]["start"] == lsp_position(1, 0));
    CHECK(edit["range"]["end"] == lsp_position(1, 0));
    CHECK(edit["newText"] == "  // nextguard-ignore-next-line unpaginated-query -- \n");

    // Adding `take` (an incremental change, UTF-16 positions) makes the finding go.
    int paren = kEndColumn - 2;  // 0-based character of the `)` of findMany()
    lsp.notify("textDocument/didChange",
               {{"textDocument", {{"uri", uri}, {"version", 2}}},
                {"contentChanges",
                 {{{"range", {{"start", lsp_position(1, paren)}, {"end", lsp_position(1, paren)}}},
                   {"text", "{ take: 10 }"}}}}});
    published = lsp.diagnostics(uri);
    CHECK(published["version"] == 2);
    CHECK(published["diagnostics"].empty());

    // Back to the unbounded query (a full-text change), then apply the quick fix with a reason.
    lsp.notify("textDocument/didChange",
               {{"textDocument", {{"uri", uri}, {"version", 3}}}, {"contentChanges", {{{"text", kUnbounded}}}}});
    published = lsp.diagnostics(uri);
    CHECK(published["diagnostics"].size() == 1);
    std::string comment = edit["newText"];
    comment.insert(comment.size() - 1, "demo data, ten rows");
    lsp.notify("textDocument/didChange", {{"textDocument", {{"uri", uri}, {"version", 4}}},
                                          {"contentChanges", {{{"range", edit["range"]}, {"text", comment}}}}});
    published = lsp.diagnostics(uri);
    INFO(published.dump());
    CHECK(published["version"] == 4);
    CHECK(published["diagnostics"].empty());

    // Closing the document clears its diagnostics.
    lsp.notify("textDocument/didClose", {{"textDocument", {{"uri", uri}}}});
    published = lsp.diagnostics(uri);
    CHECK(published["diagnostics"].empty());

    lsp.request(3, "shutdown", nullptr);
    json bye = lsp.response(3);
    CHECK(bye.contains("result"));
    CHECK(bye["result"].is_null());
    lsp.notify("exit", nullptr);
    CHECK(lsp.wait_exit() == 0);
}

TEST_CASE("lsp: new files join on save, nextguard.json changes apply", "[lsp]") {
    test::TempDir dir;
    dir.write("package.json", kPackage);
    dir.write("app/api/x/route.ts", kUnbounded);
    fs::path root = fs::canonical(dir.path());
    std::string x = nextguard::lsp::path_to_uri(root / "app/api/x/route.ts");
    std::string y = nextguard::lsp::path_to_uri(root / "app/api/y/route.ts");

    LspProcess lsp(root);
    lsp.request(1, "initialize", {{"rootUri", nextguard::lsp::path_to_uri(root)}, {"capabilities", json::object()}});
    lsp.response(1);
    lsp.notify("initialized", json::object());
    lsp.notify("textDocument/didOpen",
               {{"textDocument", {{"uri", x}, {"languageId", "typescript"}, {"version", 1}, {"text", kUnbounded}}}});
    CHECK(lsp.diagnostics(x)["diagnostics"].size() == 1);

    // A buffer not yet saved is no project file; once on disk and saved, it is.
    lsp.notify("textDocument/didOpen",
               {{"textDocument", {{"uri", y}, {"languageId", "typescript"}, {"version", 1}, {"text", kUnbounded}}}});
    json published = lsp.diagnostics(y);
    INFO(published.dump() << lsp.log());
    CHECK(published["diagnostics"].empty());
    dir.write("app/api/y/route.ts", kUnbounded);
    lsp.notify("textDocument/didSave", {{"textDocument", {{"uri", y}}}});
    published = lsp.diagnostics(y);
    CHECK(published["diagnostics"].size() == 1);

    // The project's configuration turns the rule off: every open document is cleared.
    dir.write("nextguard.json", R"({"rules": {"unpaginated-query": "off"}})");
    lsp.notify("workspace/didChangeWatchedFiles",
               {{"changes", {{{"uri", nextguard::lsp::path_to_uri(root / "nextguard.json")}, {"type", 1}}}}});
    CHECK(lsp.diagnostics(x)["diagnostics"].empty());
    CHECK(lsp.diagnostics(y)["diagnostics"].empty());

    lsp.request(2, "shutdown", nullptr);
    lsp.response(2);
    lsp.notify("exit", nullptr);
    CHECK(lsp.wait_exit() == 0);
}

TEST_CASE("lsp: protocol errors", "[lsp]") {
    test::TempDir dir;
    dir.write("package.json", kPackage);
    LspProcess lsp(dir.path());
    lsp.request(1, "textDocument/codeAction", json::object());
    CHECK(lsp.response(1)["error"]["code"] == -32002);  // not initialized
    lsp.request(2, "initialize", {{"processId", nullptr}, {"rootUri", nullptr}, {"capabilities", json::object()}});
    CHECK(lsp.response(2).contains("result"));
    lsp.request(3, "textDocument/hover", json::object());
    CHECK(lsp.response(3)["error"]["code"] == -32601);  // method not found
    lsp.send_body("{not json");
    json parse_error = lsp.read();
    CHECK(parse_error["error"]["code"] == -32700);
    CHECK(parse_error["id"].is_null());
    lsp.send(json::object());  // no method, no id: ignored
    lsp.request(4, "textDocument/codeAction", {{"textDocument", {{"uri", "file:///nowhere.ts"}}}});
    CHECK(lsp.response(4)["result"] == json::array());
    lsp.notify("exit", nullptr);  // without shutdown
    CHECK(lsp.wait_exit() == 1);
}
