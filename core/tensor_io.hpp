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

}  // namespace nnrun
