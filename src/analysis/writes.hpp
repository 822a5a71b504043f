// Write summaries: which database writes a function performs on one path, outside a
// transaction, directly or through the functions it calls.
#pragma once

#include <vector>

#include "analysis/auth.hpp"
#include "analysis/project.hpp"

namespace nextguard::analysis {

/// What one function writes, outside any transaction.
struct WriteSummary {
    OpRef first;   ///< the first write on its paths, or empty
    /// The second write of the first pair of writes that run on one path outside a
    /// shared transaction (or a single write repeated per item); empty when none.
    OpRef second;
    OpRef second_after;  ///< the write before `second` in that pair (empty for a repeated write)
};

/// Write summaries of a whole project. Computed once; read-only afterwards.
class WriteModel {
public:
    explicit WriteModel(const Project& project);
    const WriteSummary& summary(FunctionRef f) const { return summaries_[f.file][f.function]; }

private:
    const Project& project_;
    std::vector<std::vector<WriteSummary>> summaries_;
    std::vector<std::vector<uint8_t>> state_;
    int depth_ = 0;
    void compute(FunctionRef f);
    /// `w` runs a function it is given inside a transaction (`(ctx, fn) => db.transaction(fn)`).
    bool runs_in_transaction(FunctionRef w, int depth) const;
};

}  // namespace nextguard::analysis
