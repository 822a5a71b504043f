// The attack-surface inventory: every entry point, how it is authenticated, whether its
// input is validated, and what it writes.
#pragma once

#include <string>
#include <vector>

#include "analysis/project.hpp"
#include "core/diagnostic.hpp"

namespace nextguard::analysis {

/// One entry point as a security reviewer reads it.
struct EntryInventory {
    EntryRef entry;
    /// How it is authenticated: none, call, wrapper, middleware, procedure, action-client,
    /// signature, secret or capability.
    std::string auth_by = "none";
    Location auth_at;         ///< where the check is (file empty when by is none)
    std::string auth_detail;  ///< the call, wrapper, builder or middleware as written
    std::string public_by_design;  ///< why it is public by purpose ("sign-in"), else ""
    std::string dispatches;  ///< a dispatcher (tRPC adapter): the call that hands requests on
    /// Request data that reaches a sink without a validator: one place per sink.
    std::vector<Location> unvalidated;
    std::vector<Location> writes;  ///< database writes on its paths
};

/// The inventory of `project`, in the order of its entry points (middleware left out).
std::vector<EntryInventory> inventory(const Project& project);

}  // namespace nextguard::analysis
