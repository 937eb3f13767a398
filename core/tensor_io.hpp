// Moving values between host vectors and backend tensors, converting to the tensor's dtype.
// Only for set-up and once-per-epoch reads: never inside a training step.
#pragma once

#include <span>
#include <vector>

#include "backends/backend.hpp"

namespace nnrun {

void upload_values(Backend& backend, Tensor dst, std::span<const double> values);
void upload_values(Backend& backend, Tensor dst, std::span<const float> values);
void upload_values(Backend& backend, Tensor dst, std::span<const std::int32_t> values);
std::vector<double> download_values(Backend& backend, Tensor src);
// The values as f32: an f32 tensor comes straight into the result, with no wider copy on the
// way (a checkpoint of 20 million parameters held 240 MB of doubles for a 80 MB tensor).
std::vector<float> download_floats(Backend& backend, Tensor src);

}  // namespace nnrun
