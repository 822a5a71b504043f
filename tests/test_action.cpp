// The GitHub Action (action.yml): its inputs and wiring, and its steps' commands run
// locally the way the runner runs them (bash, env from the step, GITHUB_OUTPUT, the action
// path), on the demo app. The build step is exercised on a stand-in checkout with a fake
// tools/build: the test binary must not rebuild the tree it is part of.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// --- a YAML subset: block maps, block lists, plain/quoted scalars, `|` and `>` blocks ---

struct Node {
    std::string scalar;
    std::vector<std::string> keys;  // a map: keys[i] -> values[i], in order
    std::vector<Node> values;
    std::vector<Node> items;  // a list
    bool is_list = false;

    const Node* find(const std::string& key) const {
        for (size_t i = 0; i < keys.size(); ++i)
            if (keys[i] == key) return &values[i];
        return nullptr;
    }
    std::string get(const std::string& key) const {
        const Node* n = find(key);
        return n ? n->scalar : std::string();
    }
    bool has(const std::string& key) const { return find(key) != nullptr; }
};

struct Line {
    size_t indent;
    std::string text;  // without the indentation
};

std::string trim(const std::string& s) {
    size_t b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return {};
    size_t e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

std::string unquote(std::string v) {
    v = trim(v);
    if (v.size() >= 2 && v.front() == '\'' && v.back() == '\'') {
        std::string out;
        for (size_t i = 1; i + 1 < v.size(); ++i) {
            out += v[i];
            if (v[i] == '\'' && v[i + 1] == '\'') ++i;
        }
        return out;
    }
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') return v.substr(1, v.size() - 2);
    if (auto hash = v.find(" #"); hash != std::string::npos) v = trim(v.substr(0, hash));
    return v;
}

class MiniYaml {
public:
    explicit MiniYaml(const std::string& text) {
        std::istringstream in(text);
        std::string raw;
        while (std::getline(in, raw)) {
            std::string t = trim(raw);
            if (t.empty() || t[0] == '#') continue;
            lines_.push_back({raw.find_first_not_of(' '), t});
        }
    }
    Node parse() {
        size_t i = 0;
        return lines_.empty() ? Node{} : block(i, lines_[0].indent);
    }

private:
    std::vector<Line> lines_;

    Node block(size_t& i, size_t indent) {
        Node n;
        if (lines_[i].text.rfind("- ", 0) == 0 || lines_[i].text == "-") {
            n.is_list = true;
            while (i < lines_.size() && lines_[i].indent == indent && lines_[i].text.rfind("-", 0) == 0) {
                // "- key: v" opens a map whose keys sit two columns further in.
                lines_[i].text = trim(lines_[i].text.substr(1));
                lines_[i].indent = indent + 2;
                n.items.push_back(block(i, indent + 2));
            }
            return n;
        }
        if (lines_[i].text.find(':') == std::string::npos) {
            n.scalar = unquote(lines_[i++].text);
            return n;
        }
        while (i < lines_.size() && lines_[i].indent == indent) {
            const std::string& t = lines_[i].text;
            size_t colon = t.find(':');
            REQUIRE(colon != std::string::npos);
            n.keys.push_back(unquote(t.substr(0, colon)));
            std::string value = trim(t.substr(colon + 1));
            ++i;
            Node child;
            if (value == "|" || value == "|-" || value == ">" || value == ">-") {
                std::string joined;
                while (i < lines_.size() && lines_[i].indent > indent) {
                    if (!joined.empty()) joined += value[0] == '|' ? "\n" : " ";
                    joined += lines_[i++].text;
                }
                child.scalar = joined;
            } else if (!value.empty()) {
                child.scalar = unquote(value);
            } else if (i < lines_.size() && lines_[i].indent > indent) {
                child = block(i, lines_[i].indent);
            } else if (i < lines_.size() && lines_[i].indent == indent && lines_[i].text.rfind("- ", 0) == 0) {
                child = block(i, indent);  // a list at the key's own indentation
            }
            n.values.push_back(std::move(child));
        }
        return n;
    }
};

Node load_action() { return MiniYaml(test::read_file(test::source_dir() / "action.yml")).parse(); }

const Node& step_by_id(const Node& action, const std::string& id) {
    const Node* steps = action.find("runs")->find("steps");
    for (const Node& s : steps->items)
        if (s.get("id") == id) return s;
    FAIL("action.yml has no step with id " << id);
    throw std::logic_error("unreachable");
}

// --- running a step's command as the runner does ---

using Outputs = std::map<std::string, std::map<std::string, std::string>>;  // step id -> outputs

/// Replaces `${{ inputs.X }}` and `${{ steps.ID.outputs.K }}`; fails on anything else, so
/// that a typo in action.yml's wiring shows here.
std::string substitute(const std::string& value, const std::map<std::string, std::string>& inputs,
                       const Outputs& outputs) {
    static const std::regex expr(R"(\$\{\{\s*([^}]*?)\s*\}\})");
    static const std::regex input_ref(R"(inputs\.([A-Za-z0-9_-]+))");
    static const std::regex output_ref(R"(steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+))");
    std::string out;
    auto begin = std::sregex_iterator(value.begin(), value.end(), expr);
    size_t last = 0;
    for (auto it = begin; it != std::sregex_iterator(); ++it) {
        out += value.substr(last, it->position() - last);
        std::string e = (*it)[1];
        std::smatch m;
        if (std::regex_match(e, m, input_ref)) {
            auto f = inputs.find(m[1]);
            INFO("expression ${{ " << e << " }}");
            REQUIRE(f != inputs.end());
            out += f->second;
        } else if (std::regex_match(e, m, output_ref)) {
            auto s = outputs.find(m[1]);
            if (s != outputs.end()) {
                auto k = s->second.find(m[2]);
                if (k != s->second.end()) out += k->second;
            }
        } else {
            FAIL("unexpected expression in a step's env: ${{ " << e << " }}");
        }
        last = it->position() + it->length();
    }
    return out + value.substr(last);
}

struct StepRun {
    int exit_code = -1;
    std::string out, err;
    std::map<std::string, std::string> outputs;
};

/// Runs `step`'s `run:` command with bash in `cwd`, its `env:` resolved from `inputs` and
/// earlier `outputs`, GITHUB_ACTION_PATH=`action_path` and a fresh GITHUB_OUTPUT file.
StepRun run_step(const Node& step, const std::map<std::string, std::string>& inputs, const Outputs& outputs,
                 const fs::path& action_path, const fs::path& cwd,
                 const std::map<std::string, std::string>& extra_env = {}) {
    REQUIRE(step.has("run"));
    REQUIRE(step.get("shell") == "bash");
    test::TempDir io;
    auto github_output = io.write("github_output", "");
    std::string cmd;
    // Nothing from the environment the tests run in (GitHub Actions included) may leak in.
    for (const char* name : {"INPUT_PATH", "INPUT_CONFIG", "INPUT_FAIL_ON", "INPUT_SARIF_FILE", "INPUT_CATEGORY",
                             "INPUT_UPLOAD", "NEXTGUARD", "NEXTGUARD_CACHE_HIT", "NEXTGUARD_EXIT_CODE",
                             "GITHUB_ACTIONS", "GITHUB_OUTPUT", "GITHUB_WORKSPACE", "GITHUB_ACTION_PATH"})
        cmd += std::string("unset ") + name + "; ";
    auto set = [&](const std::string& k, const std::string& v) { cmd += "export " + k + "=" + test::shell_quote(v) + "; "; };
    set("GITHUB_ACTION_PATH", action_path.string());
    set("GITHUB_OUTPUT", github_output.string());
    set("GITHUB_WORKSPACE", cwd.string());
    if (const Node* env = step.find("env"))
        for (size_t i = 0; i < env->keys.size(); ++i) set(env->keys[i], substitute(env->values[i].scalar, inputs, outputs));
    for (const auto& [k, v] : extra_env) set(k, v);
    cmd += "cd " + test::shell_quote(cwd.string()) + " && bash --noprofile --norc -eo pipefail -c " +
           test::shell_quote(step.get("run")) + " >" + test::shell_quote((io.path() / "out").string()) + " 2>" +
           test::shell_quote((io.path() / "err").string());
    int status = std::system(cmd.c_str());
    StepRun r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = test::read_file(io.path() / "out");
    r.err = test::read_file(io.path() / "err");
    std::istringstream lines(test::read_file(github_output));
    for (std::string line; std::getline(lines, line);)
        if (auto eq = line.find('='); eq != std::string::npos) r.outputs[line.substr(0, eq)] = line.substr(eq + 1);
    return r;
}

/// The action's inputs: the defaults from action.yml, overridden by `given`.
std::map<std::string, std::string> inputs_with(const Node& action, const std::map<std::string, std::string>& given) {
    std::map<std::string, std::string> in;
    const Node* inputs = action.find("inputs");
    for (size_t i = 0; i < inputs->keys.size(); ++i) in[inputs->keys[i]] = inputs->values[i].get("default");
    for (const auto& [k, v] : given) {
        INFO("input " << k);
        REQUIRE(in.count(k) == 1);
        in[k] = v;
    }
    return in;
}

/// The `run` step, then the upload and `finish` steps as their conditions say, for the
/// repository checkout as the workspace and the built binary.
struct Simulation {
    StepRun run;
    bool uploaded = false;
    std::map<std::string, std::string> upload_with;
    std::optional<StepRun> finish;
};

Simulation simulate(const std::map<std::string, std::string>& given, const std::string& binary = NEXTGUARD_BINARY) {
    Node action = load_action();
    auto inputs = inputs_with(action, given);
    fs::path repo = test::source_dir();
    Simulation sim;
    Outputs outputs;
    sim.run = run_step(step_by_id(action, "run"), inputs, outputs, repo, repo, {{"NEXTGUARD", binary}});
    outputs["run"] = sim.run.outputs;
    if (sim.run.exit_code != 0) return sim;  // the job stops at a failed step
    // `if: always() && inputs.upload == 'true' && steps.run.outputs.sarif-written == 'true'`
    const Node& upload = *std::find_if(action.find("runs")->find("steps")->items.begin(),
                                       action.find("runs")->find("steps")->items.end(),
                                       [](const Node& s) { return s.get("uses").find("upload-sarif") != std::string::npos; });
    if (inputs["upload"] == "true" && sim.run.outputs["sarif-written"] == "true") {
        sim.uploaded = true;
        const Node* with = upload.find("with");
        for (size_t i = 0; i < with->keys.size(); ++i)
            sim.upload_with[with->keys[i]] = substitute(with->values[i].scalar, inputs, outputs);
    }
    // `if: always() && steps.run.outputs.exit-code != ''`
    const Node& finish = action.find("runs")->find("steps")->items.back();
    if (!sim.run.outputs["exit-code"].empty()) sim.finish = run_step(finish, inputs, outputs, repo, repo);
    return sim;
}

std::string percent_decode(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

void make_executable(const fs::path& p) {
    fs::permissions(p, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec, fs::perm_options::add);
}

}  // namespace

TEST_CASE("action: action.yml declares the inputs and wires every step to tools/action-run", "[action]") {
    Node action = load_action();
    REQUIRE(action.has("inputs"));
    const Node& inputs = *action.find("inputs");
    std::map<std::string, std::string> defaults = {{"path", "."},         {"config", ""},
                                                   {"fail-on", "error"},  {"category", "nextguard"},
                                                   {"sarif-file", "nextguard.sarif"}, {"upload", "true"}};
    CHECK(std::set<std::string>(inputs.keys.begin(), inputs.keys.end()).size() == defaults.size());
    for (const auto& [name, def] : defaults) {
        INFO("input " << name);
        REQUIRE(inputs.has(name));
        CHECK(inputs.find(name)->get("default") == def);
        CHECK_FALSE(inputs.find(name)->get("description").empty());
    }
    CHECK(action.find("outputs")->has("sarif-file"));
    CHECK(action.find("outputs")->has("exit-code"));

    const Node& runs = *action.find("runs");
    CHECK(runs.get("using") == "composite");
    const Node& steps = *runs.find("steps");
    REQUIRE(steps.is_list);

    // The shell steps, in order, each one subcommand of tools/action-run.
    std::vector<std::string> subcommands;
    std::set<std::string> ids;
    static const std::regex call(R"re("\$GITHUB_ACTION_PATH/tools/action-run" ([a-z-]+))re");
    static const std::regex output_ref(R"(steps\.([a-z-]+)\.outputs)");
    static const std::regex input_ref(R"(inputs\.([a-z-]+))");
    for (const Node& s : steps.items) {
        // ${{ steps.X.outputs.Y }} must name an earlier step; ${{ inputs.X }} a declared input.
        std::string all;
        for (size_t i = 0; i < s.keys.size(); ++i) {
            all += s.values[i].scalar + "\n";
            for (const Node& v : s.values[i].values) all += v.scalar + "\n";
        }
        for (auto it = std::sregex_iterator(all.begin(), all.end(), output_ref);
             it != std::sregex_iterator(); ++it)
            CHECK(ids.count((*it)[1]) == 1);
        for (auto it = std::sregex_iterator(all.begin(), all.end(), input_ref);
             it != std::sregex_iterator(); ++it)
            CHECK(inputs.has((*it)[1]));
        // github.action_path names a host path in container jobs; the env var is right.
        CHECK(all.find("github.action_path") == std::string::npos);
        if (s.has("id")) ids.insert(s.get("id"));
        if (!s.has("run")) continue;
        CHECK(s.get("shell") == "bash");
        std::smatch m;
        std::string run = s.get("run");
        INFO("run: " << run);
        REQUIRE(std::regex_match(run, m, call));
        subcommands.push_back(m[1]);
    }
    CHECK(subcommands == std::vector<std::string>{"cache-key", "build", "run", "finish"});

    const Node& run = step_by_id(action, "run");
    CHECK(run.find("env")->get("INPUT_PATH") == "${{ inputs.path }}");
    CHECK(run.find("env")->get("INPUT_CONFIG") == "${{ inputs.config }}");
    CHECK(run.find("env")->get("INPUT_FAIL_ON") == "${{ inputs.fail-on }}");
    CHECK(run.find("env")->get("INPUT_SARIF_FILE") == "${{ inputs.sarif-file }}");

    const Node& cache = step_by_id(action, "cache");
    CHECK(cache.get("uses") == "actions/cache@v4");
    CHECK(cache.find("with")->get("key") == "${{ steps.key.outputs.key }}");
    std::string cached = cache.find("with")->get("path");
    CHECK(cached.find("${{ steps.key.outputs.dir }}/build") != std::string::npos);
    CHECK(cached.find("${{ steps.key.outputs.dir }}/node_modules") != std::string::npos);
    CHECK(step_by_id(action, "build").find("env")->get("NEXTGUARD_CACHE_HIT") == "${{ steps.cache.outputs.cache-hit }}");

    // The upload comes after the run and before the step that fails the job.
    size_t upload_index = 0;
    for (size_t i = 0; i < steps.items.size(); ++i)
        if (steps.items[i].get("uses").rfind("github/codeql-action/upload-sarif@", 0) == 0) upload_index = i;
    REQUIRE(upload_index > 0);
    const Node& upload = steps.items[upload_index];
    CHECK(upload.get("uses") == "github/codeql-action/upload-sarif@v3");
    CHECK(upload.find("with")->get("sarif_file") == "${{ steps.run.outputs.sarif-file }}");
    CHECK(upload.find("with")->get("category") == "${{ inputs.category }}");
    CHECK(upload.get("if") ==
          "always() && inputs.upload == 'true' && steps.run.outputs.sarif-written == 'true'");
    CHECK(steps.items[upload_index - 1].get("id") == "run");
    REQUIRE(upload_index + 1 == steps.items.size() - 1);
    const Node& finish = steps.items.back();
    CHECK(finish.get("if") == "always() && steps.run.outputs.exit-code != ''");
    CHECK(finish.find("env")->get("NEXTGUARD_EXIT_CODE") == "${{ steps.run.outputs.exit-code }}");
    CHECK(finish.find("env")->get("INPUT_FAIL_ON") == "${{ inputs.fail-on }}");

    struct stat st {};
    REQUIRE(::stat((test::source_dir() / "tools/action-run").c_str(), &st) == 0);
    CHECK((st.st_mode & S_IXUSR) != 0);
}

TEST_CASE("action: fail-on never writes the SARIF log, uploads it and passes", "[action]") {
    test::TempDir tmp;
    auto sarif = tmp.path() / "out/results.sarif";  // the folder does not exist yet
    auto sim = simulate({{"path", "fixtures/apps/demo"}, {"fail-on", "never"}, {"sarif-file", sarif.string()}});
    INFO(sim.run.out << sim.run.err);
    REQUIRE(sim.run.exit_code == 0);
    CHECK(sim.run.outputs["exit-code"] == "0");
    CHECK(sim.run.outputs["sarif-written"] == "true");
    CHECK(sim.run.outputs["sarif-file"] == sarif.string());
    CHECK(sim.run.err.find("'--fail-on' 'never'") != std::string::npos);
    CHECK(sim.run.err.find("'--config'") == std::string::npos);
    CHECK(sim.run.err.find("4 results (4 warnings)") != std::string::npos);

    CHECK(sim.uploaded);
    CHECK(sim.upload_with["sarif_file"] == sarif.string());
    CHECK(sim.upload_with["category"] == "nextguard");
    REQUIRE(sim.finish);
    CHECK(sim.finish->exit_code == 0);

    REQUIRE(fs::exists(sarif));
    std::string text = test::read_file(sarif);
    json log = json::parse(text);
    CHECK(log["version"] == "2.1.0");
    const json& run = log["runs"][0];
    REQUIRE(run["results"].size() == 4);
    // URIs relative to the repository root (the workspace), as code scanning resolves them.
    CHECK(run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file://" + test::source_dir().string() + "/");
    std::set<std::string> files;
    for (const json& r : run["results"]) {
        const json& loc = r["locations"][0]["physicalLocation"]["artifactLocation"];
        std::string uri = loc["uri"];
        INFO(uri);
        CHECK(loc["uriBaseId"] == "%SRCROOT%");
        CHECK(uri.rfind("fixtures/apps/demo/", 0) == 0);
        CHECK(fs::is_regular_file(test::source_dir() / percent_decode(uri)));
        files.insert(uri);
        for (const json& rel : r["relatedLocations"]) {
            std::string related = rel["physicalLocation"]["artifactLocation"]["uri"];
            CHECK(related.rfind("fixtures/apps/demo/", 0) == 0);
            files.insert(related);
        }
    }
    CHECK(files.count("fixtures/apps/demo/app/api/teams/%5BteamId%5D/members/route.ts") == 1);

    test::check_sarif_valid(text);
}

TEST_CASE("action: fail-on records nextguard's exit code and fails the job after the upload", "[action]") {
    test::TempDir tmp;
    auto sarif = (tmp.path() / "nextguard.sarif").string();

    SECTION("warning: the demo's warnings fail the job") {
        auto sim = simulate({{"path", "fixtures/apps/demo"}, {"fail-on", "warning"}, {"sarif-file", sarif}});
        INFO(sim.run.err);
        REQUIRE(sim.run.exit_code == 0);  // the run step itself passes, so that the upload happens
        CHECK(sim.run.outputs["exit-code"] == "1");
        CHECK(sim.run.outputs["sarif-written"] == "true");
        CHECK(sim.uploaded);
        REQUIRE(sim.finish);
        CHECK(sim.finish->exit_code == 1);
        CHECK(sim.finish->err.find("findings at or above fail-on (warning)") != std::string::npos);
    }
    SECTION("error, the default (an empty value too): warnings only, the job passes") {
        auto sim = simulate({{"path", "fixtures/apps/demo"}, {"sarif-file", sarif}});
        auto empty = simulate({{"path", "fixtures/apps/demo"}, {"fail-on", ""}, {"sarif-file", sarif}});
        CHECK(empty.run.err.find("'--fail-on' 'error'") != std::string::npos);
        INFO(sim.run.err);
        CHECK(sim.run.err.find("'--fail-on' 'error'") != std::string::npos);
        CHECK(sim.run.outputs["exit-code"] == "0");
        REQUIRE(sim.finish);
        CHECK(sim.finish->exit_code == 0);
    }
    SECTION("upload: false writes the log without uploading it") {
        auto sim = simulate({{"path", "fixtures/apps/demo"}, {"upload", "false"}, {"sarif-file", sarif}});
        CHECK(sim.run.outputs["sarif-written"] == "true");
        CHECK_FALSE(sim.uploaded);
        CHECK(fs::exists(sarif));
    }
    SECTION("exit 2 fails the job whatever fail-on says, and a stale log is not uploaded") {
        tmp.write("nextguard.sarif", "{\"stale\": true}");
        auto fake = tmp.write("fake-nextguard", "#!/bin/sh\necho 'nextguard: error: nextguard.json: broken' >&2\nexit 2\n");
        make_executable(fake);
        auto sim = simulate({{"path", "fixtures/apps/demo"}, {"fail-on", "never"}, {"sarif-file", sarif}}, fake.string());
        INFO(sim.run.err);
        REQUIRE(sim.run.exit_code == 0);
        CHECK(sim.run.err.find("nextguard.json: broken") != std::string::npos);
        CHECK(sim.run.outputs["exit-code"] == "2");
        CHECK(sim.run.outputs["sarif-written"] == "false");
        CHECK_FALSE(fs::exists(sarif));
        CHECK_FALSE(sim.uploaded);
        REQUIRE(sim.finish);
        CHECK(sim.finish->exit_code == 2);
        CHECK(sim.finish->err.find("nextguard failed with exit code 2") != std::string::npos);
    }
}

TEST_CASE("action: invalid inputs fail the run step with a message", "[action]") {
    test::TempDir tmp;
    auto sarif = (tmp.path() / "nextguard.sarif").string();
    std::map<std::string, std::string> given = {{"path", "fixtures/apps/demo"}, {"sarif-file", sarif}};
    std::string expected;
    SECTION("fail-on") {
        given["fail-on"] = "warn";
        expected = "invalid fail-on 'warn': use error, warning, note or never";
    }
    SECTION("path") {
        given["path"] = "no/such/app";
        expected = "path 'no/such/app' does not exist";
    }
    SECTION("config") {
        given["config"] = "no-such-nextguard.json";
        expected = "config 'no-such-nextguard.json' is not a file";
    }
    auto sim = simulate(given);
    INFO(sim.run.out << sim.run.err);
    CHECK(sim.run.exit_code == 2);
    CHECK(sim.run.err.find(expected) != std::string::npos);
    CHECK(sim.run.err.find("running:") == std::string::npos);  // nextguard was not started
    CHECK(sim.run.outputs.count("exit-code") == 0);             // so the later steps are skipped
    CHECK_FALSE(fs::exists(sarif));
}

TEST_CASE("action: the config input reaches nextguard as --config", "[action]") {
    test::TempDir tmp;
    auto config = tmp.write("ci/nextguard.json", "{}\n");
    auto sarif = (tmp.path() / "nextguard.sarif").string();
    auto sim = simulate({{"path", "fixtures/apps/demo"}, {"config", config.string()}, {"fail-on", "never"},
                         {"sarif-file", sarif}});
    INFO(sim.run.err);
    REQUIRE(sim.run.exit_code == 0);
    CHECK(sim.run.err.find("'--config' '" + config.string() + "'") != std::string::npos);
    CHECK(sim.run.outputs["exit-code"] == "0");
    CHECK(sim.run.outputs["sarif-written"] == "true");
}

TEST_CASE("action: the cache key covers the sources, and a cache hit rebuilds nothing", "[action]") {
    // A stand-in checkout: the real tools/action-run next to a fake tools/build that records
    // its arguments, so that nothing is compiled.
    test::TempDir tmp;
    fs::path dir = fs::canonical(tmp.path());
    fs::create_directories(dir / "tools");
    fs::copy_file(test::source_dir() / "tools/action-run", dir / "tools/action-run");
    make_executable(dir / "tools/action-run");
    auto fake_build = tmp.write("tools/build",
                                "#!/bin/sh\necho \"$@\" > build-args\nmkdir -p build\n"
                                "printf '#!/bin/sh\\necho nextguard 0.0.0\\n' > build/nextguard\nchmod +x build/nextguard\n");
    make_executable(fake_build);
    tmp.write("src/cli/main.cpp", "int main() {}\n");
    tmp.write("rules/missing-auth.md", "# missing-auth\n");
    tmp.write("CMakeLists.txt", "project(x)\n");
    tmp.write("package-lock.json", "{}\n");
    tmp.write("node_modules/.keep", "");
    tmp.write("README.md", "not a build input\n");

    Node action = load_action();
    auto inputs = inputs_with(action, {});
    auto key = [&] {
        auto r = run_step(step_by_id(action, "key"), inputs, {}, dir, dir);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(r.outputs["dir"] == dir.string());
        CHECK(std::regex_match(r.outputs["key"], std::regex("nextguard-build-[A-Za-z]+-[a-z0-9_]+-[0-9a-f]{40}")));
        return r.outputs["key"];
    };
    std::string first = key();
    CHECK(key() == first);
    tmp.write("README.md", "still not a build input\n");
    CHECK(key() == first);
    tmp.write("src/cli/main.cpp", "int main() { return 0; }\n");
    std::string second = key();
    CHECK(second != first);
    tmp.write("package-lock.json", "{\"lockfileVersion\": 3}\n");
    CHECK(key() != second);

    auto build = [&](const std::string& hit) {
        Outputs outputs{{"cache", {{"cache-hit", hit}}}};
        return run_step(step_by_id(action, "build"), inputs, outputs, dir, dir);
    };
    auto mtime = [&](const char* rel) {
        struct stat st {};
        REQUIRE(::stat((dir / rel).c_str(), &st) == 0);
        return static_cast<long long>(st.st_mtime);
    };
    auto r = build("");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(test::read_file(dir / "build-args") == "-DNEXTGUARD_TESTS=OFF\n");
    CHECK(r.out.find("nextguard 0.0.0") != std::string::npos);
    CHECK(mtime("src/cli/main.cpp") > 946684800);

    // An exact hit dates the build inputs back before the restored outputs; nothing else.
    r = build("true");
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find("build cache hit") != std::string::npos);
    CHECK(mtime("src/cli/main.cpp") == 946684800);
    CHECK(mtime("package-lock.json") == 946684800);
    CHECK(mtime("tools/action-run") == 946684800);
    CHECK(mtime("README.md") > 946684800);
}
