// .gitignore matching: the patterns of every .gitignore met while walking a tree.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nextguard::project {

/// The rules of all .gitignore files seen so far, each scoped to the folder that holds it.
/// Follows git's semantics: blank lines and '#' comments, '\' escapes, trailing-space
/// trimming, '!' negation, a trailing '/' for folders only, a leading or inner '/'
/// anchoring to the .gitignore's folder, '*', '?', '[...]' classes and '**'.
/// The last matching pattern wins, and deeper .gitignore files come after shallower ones.
class GitIgnore {
public:
    /// Adds the patterns of one .gitignore whose folder is `dir` ("" for the root;
    /// '/'-separated, relative to the walk's root, no trailing '/'). Returns how many
    /// patterns it added (blank lines and comments add none).
    size_t add(std::string_view dir, std::string_view content);

    /// True when `path` ('/'-separated, relative to the walk's root) is ignored.
    /// Does not look at parent folders: the walker never descends into an ignored folder.
    bool ignored(std::string_view path, bool is_dir) const;

    /// True when `path` or a folder above it is matched, the last pattern matching any of
    /// them deciding: unlike git, a later `!pattern` re-includes a file inside an ignored
    /// folder. For lists of paths checked one by one (nextguard.json `ignore`).
    bool excludes(std::string_view path) const;

    bool empty() const { return patterns_.empty(); }

private:
    struct Pattern {
        std::string dir;    ///< folder of the .gitignore holding it
        std::string glob;   ///< pattern text, unescaped markers removed
        bool negated = false;
        bool dir_only = false;
        bool anchored = false;  ///< matches against the whole path below `dir`
    };
    /// Index of the last pattern matching `path`, or -1.
    int last_match(std::string_view path, bool is_dir) const;
    std::vector<Pattern> patterns_;
};

/// Matches a gitignore-style glob against a '/'-separated path: '*' and '?' never cross
/// '/', '**' does (as a whole segment), '[...]' classes with '!' or '^' negation and ranges.
bool glob_match(std::string_view glob, std::string_view path);

}  // namespace nextguard::project
