#include "engine/suppressions.hpp"

namespace nextguard::engine {

std::vector<Suppression> scan_suppressions(std::string_view) { return {}; }

}  // namespace nextguard::engine
