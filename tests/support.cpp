#include "support.hpp"

#include <algorithm>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sys/wait.h>

#include <atomic>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace test {

TempDir::TempDir() {
    static std::atomic<unsigned> counter{0};
    std::random_device rd;
    for (;;) {
        auto p = fs::temp_directory_path() /
                 ("nextguard-test-" + std::to_string(rd()) + "-" + std::to_string(counter++));
        if (fs::create_directory(p)) {
            path_ = p;
            return;
        }
    }
}

TempDir::~TempDir() {
    std::error_code ec;
    // Make everything writable/readable again so removal cannot fail on permission tests.
    for (auto it = fs::recursive_directory_iterator(path_, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        std::error_code ec2;
        if (!it->is_symlink(ec2)) fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec2);
    }
    fs::remove_all(path_, ec);
}

fs::path TempDir::write(const std::string& rel, const std::string& content) const {
    auto p = path_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream f(p, std::ios::binary);
    f << content;
    if (!f) throw std::runtime_error("cannot write " + p.string());
    return p;
}

std::string read_file(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    if (!f) throw std::runtime_error("cannot read " + p.string());
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') out += "'\\''";
        else out += c;
    }
    return out + "'";
}

fs::path source_dir() { return NEXTGUARD_SOURCE_DIR; }

RunResult run_nextguard(const std::string& args, const fs::path& cwd, const std::string& stdin_text) {
    TempDir io;
    auto in = io.write("stdin", stdin_text);
    auto out = io.path() / "stdout";
    auto err = io.path() / "stderr";
    std::string cmd;
    if (!cwd.empty()) cmd += "cd " + shell_quote(cwd.string()) + " && ";
    cmd += shell_quote(NEXTGUARD_BINARY) + " " + args + " <" + shell_quote(in.string()) + " >" +
           shell_quote(out.string()) + " 2>" + shell_quote(err.string());
    int status = std::system(cmd.c_str());
    RunResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read_file(out);
    r.err = read_file(err);
    return r;
}

std::vector<std::string> validate_sarif(const std::string& sarif, std::vector<std::string>& warnings) {
    fs::path validator = source_dir() / "node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool";
    if (!fs::exists(validator))
        FAIL("SARIF validator not found at " << validator.string()
                                             << "; run `npm ci --ignore-scripts` in the repository root");
    std::error_code ec;
    fs::permissions(validator, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                    fs::perm_options::add, ec);
    TempDir dir;
    auto input = dir.write("results.sarif", sarif);
    auto output = dir.path() / "out.sarif";
    auto console = dir.path() / "console.txt";
    std::string cmd = shell_quote(validator.string()) + " validate --rule-kind \"Sarif;Gh\" --output " +
                      shell_quote(output.string()) + " " + shell_quote(input.string()) + " >" +
                      shell_quote(console.string()) + " 2>&1";
    int status = std::system(cmd.c_str());
    INFO("validator exit status " << status << ", console:\n" << (fs::exists(console) ? read_file(console) : ""));
    REQUIRE(fs::exists(output));

    auto log = nlohmann::json::parse(read_file(output));
    std::vector<std::string> errors;
    for (const auto& run : log["runs"]) {
        if (run.contains("results")) {
            for (const auto& r : run["results"]) {
                std::string level = r.value("level", "warning");
                std::string text = r.value("ruleId", "?") + ": " + r["message"].value("text", r["message"].dump());
                if (r["message"].contains("arguments")) text += " " + r["message"]["arguments"].dump();
                (level == "error" ? errors : warnings).push_back(level + " " + text);
            }
        }
        if (run.contains("invocations"))
            for (const auto& inv : run["invocations"]) {
                if (!inv.value("executionSuccessful", false)) errors.push_back("validator run was not successful");
                for (const char* key : {"toolExecutionNotifications", "toolConfigurationNotifications"})
                    if (inv.contains(key))
                        for (const auto& n : inv[key])
                            if (n.value("level", "warning") == "error")
                                errors.push_back("tool: " + n["message"].value("text", n.dump()));
            }
    }
    return errors;
}

nlohmann::json run_json(const TempDir& dir, const std::string& args) {
    auto r = run_nextguard("--format json " + args + " .", dir.path());
    INFO(r.out << r.err);
    REQUIRE((r.exit_code == 0 || r.exit_code == 1));
    return nlohmann::json::parse(r.out);
}

void check_sarif_valid(const std::string& sarif) {
    std::vector<std::string> warnings;
    auto errors = validate_sarif(sarif, warnings);
    for (const auto& w : warnings) WARN("validator: " << w);
    for (const auto& e : errors) UNSCOPED_INFO("validator error: " << e);
    CHECK(errors.empty());
}

std::vector<std::filesystem::path> fixture_projects() {
    namespace fs = std::filesystem;
    std::vector<fs::path> out;
    fs::path root = source_dir() / "fixtures";
    for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
        if (!it->is_directory()) continue;
        if (fs::exists(it->path() / "package.json")) {
            out.push_back(it->path());
            it.disable_recursion_pending();
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace test
