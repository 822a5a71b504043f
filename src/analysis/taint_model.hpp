// Taint summaries across functions: which parameters of a function reach a sink
// unvalidated, and which sinks request data reaches from an entry point.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "analysis/project.hpp"

namespace nextguard::analysis {

/// A sink of some file.
struct SinkRef {
    int file = -1;
    int sink = -1;  ///< index into that file's sinks
    auto operator<=>(const SinkRef&) const = default;
};

/// Where an entry point's request data reaches a sink.
struct TaintFinding {
    SinkRef sink;
    TaintOrigin origin;  ///< a Request origin (with its range) or the entry's tainted parameter
    int origin_file = -1;
};

/// Taint summaries of a whole project. Computed once; read-only afterwards.
class TaintModel {
public:
    explicit TaintModel(const Project& project);

    /// The sinks request data reaches, from code reachable from `entry` and from the
    /// entry's own parameters where they carry request data (Server Action arguments,
    /// tRPC input without a schema).
    std::vector<TaintFinding> findings(const EntryPoint& entry) const;

    /// Which (parameter, field) of the entry handler carry unvalidated request data.
    std::vector<std::pair<int, std::string>> tainted_params(const EntryPoint& entry) const;

private:
    const Project& project_;
    /// Per function: (parameter index, field) -> sinks that parameter reaches unvalidated.
    using ParamSinks = std::map<std::pair<int, std::string>, std::vector<SinkRef>>;
    std::vector<std::vector<ParamSinks>> param_sinks_;
    std::vector<std::vector<uint8_t>> state_;
    int depth_ = 0;
    void compute(FunctionRef f);
    /// The sinks of `g` that an argument with these origins reaches.
    void reached(FunctionRef g, int index, const CallTaint::Arg& arg, std::vector<std::pair<SinkRef, TaintOrigin>>& out,
                 bool request_only) const;
    bool function_validates(FunctionRef f, int depth) const;
    /// True when, before byte `before` of `f`, a call hands a value of origin `o` to a
    /// function that validates (`validateInputs([id, ZId])`, `assertValid(schema, body)`):
    /// it throws on a bad value, so what follows has a checked one.
    bool checked_before(FunctionRef f, uint32_t before, const TaintOrigin& o) const;
};

}  // namespace nextguard::analysis
