// Helpers shared by the tests: temporary folders, running the binary, reading files.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace test {

/// A fresh folder under the system temp dir, removed (recursively) on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    /// Writes `content` to `rel` below the folder, creating parent folders; returns the path.
    std::filesystem::path write(const std::string& rel, const std::string& content) const;

private:
    std::filesystem::path path_;
};

struct RunResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

/// Runs the nextguard binary with `args` (shell-quoted by the caller) in `cwd`;
/// `stdin_text` is fed to its standard input.
RunResult run_nextguard(const std::string& args, const std::filesystem::path& cwd = {},
                        const std::string& stdin_text = {});

/// Reads a whole file; throws when it cannot.
std::string read_file(const std::filesystem::path& p);

/// Quotes one argument for /bin/sh.
std::string shell_quote(const std::string& s);

/// Runs Microsoft's SARIF multitool (`validate --rule-kind "Sarif;Gh"`, GitHub's ingestion
/// rules included) on `sarif`; returns its error-level results and appends the others to
/// `warnings`. Fails the test when the validator is missing or produces no log.
std::vector<std::string> validate_sarif(const std::string& sarif, std::vector<std::string>& warnings);

/// validate_sarif() as a Catch2 check: fails on any error, shows errors and warnings.
void check_sarif_valid(const std::string& sarif);

/// Runs `nextguard --format json ARGS .` in `dir`, requires exit 0 or 1, returns the report.
nlohmann::json run_json(const TempDir& dir, const std::string& args = "");

/// A route file and two one-line handlers, each with exactly one finding:
/// kQuery an unpaginated-query warning (a GET returning every row),
/// kWrite a missing-auth warning (an unauthenticated write in a POST).
inline const std::string kRoute = "app/api/x/route.ts";
inline const std::string kQuery =
    "export async function GET() { return Response.json(await prisma.item.findMany()); }\n";
inline const std::string kWrite =
    "export async function POST() { await prisma.item.create({ data: {} }); return Response.json({}); }\n";

/// The repository's source folder.
std::filesystem::path source_dir();

/// Fixture projects: the topmost folders under fixtures/ that hold a package.json, sorted.
std::vector<std::filesystem::path> fixture_projects();

}  // namespace test
