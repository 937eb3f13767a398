// Weight initialization (He, Xavier/Glorot, normal), drawn from the counter-based RNG.
#pragma once

#include <vector>

#include "core/config/config.hpp"

namespace nnrun {

// fan_out x fan_in weights, row-major, for the given scheme; reproducible for (seed, layer).
std::vector<double> initial_weights(const InitSpec& init, std::int64_t fan_in, std::int64_t fan_out,
                                    std::uint64_t seed, std::uint32_t layer_index);

}  // namespace nnrun
