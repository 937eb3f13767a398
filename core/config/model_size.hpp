// The size of the model a config describes, counted without overflow, and the limit past
// which nnrun refuses it as a config error instead of failing while allocating.
#pragma once

#include <cstdint>
#include <optional>

#include "core/config/config.hpp"

namespace nnrun {

// 2^40 parameters: with gradients and up to three optimizer moments, 20 TiB in f32, beyond
// any machine; below it every byte count computed from the parameter count (8 bytes each
// for the initial values) stays far from 2^63. A model under the limit but too large for
// this machine ends as "out of memory", exit 1.
inline constexpr std::int64_t kMaxParameters = std::int64_t{1} << 40;

// Weights and biases of every layer for `input_width` features; nullopt when the count
// does not fit in int64.
std::optional<std::int64_t> parameter_count(const ModelConfig& model, std::int64_t input_width);

// Throws ConfigError at the units of the first dense layer that takes the model past
// kMaxParameters.
void check_model_size(const Config& config, std::int64_t input_width);

}  // namespace nnrun
