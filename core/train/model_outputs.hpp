// Model outputs read back to the host and what they mean: predicted classes (by the rule the
// backends' losses count as correct) and class probabilities. For eval and predict only.
#pragma once

#include <cstdint>
#include <vector>

#include "core/config/config.hpp"
#include "core/data/dataset.hpp"
#include "core/model/model.hpp"

namespace nnrun {

// src[n, input_width] on the backend -> outputs[n, output_width] on the host: a forward
// pass in evaluation mode, batch_size rows at a time (as evaluate() batches, so the values
// are the ones its loss saw), each batch's output downloaded. Needs model.prepare(batch_size).
HostMatrix forward_outputs(Backend& backend, Model& model, Tensor src, std::int64_t batch_size);

// Classification outputs -> class indices: the first maximal logit (cross_entropy), or
// logit > 0 (binary_cross_entropy, one output column). A NaN never wins a comparison.
std::vector<std::int32_t> predicted_classes(const HostMatrix& outputs, LossKind loss);

// Classification outputs -> probabilities [n, classes]: softmax of the logits, or for
// binary_cross_entropy (1 - p, p) with p = sigmoid(logit). Computed in double.
std::vector<std::vector<double>> class_probabilities(const HostMatrix& outputs, LossKind loss);

}  // namespace nnrun
