// The model a checkpoint's stored config describes, checked against the tensors the file
// holds before anything is built: a config's claim alone must not allocate anything.
#pragma once

#include <string>

#include "core/checkpoint/checkpoint.hpp"
#include "core/config/config.hpp"

namespace nnrun {

// Throws InputError naming `path` unless the checkpoint holds every parameter tensor of a
// model built from `model` for checkpoint.input_width inputs, each of the model's shape
// (`layers.<i>.dense.weight` [units, inputs], `layers.<i>.dense.bias` [1, units]), the
// normalizer's statistics are [1, input_width] and the class names match the outputs. Only
// numbers are compared, no product is formed: call it before building the model, so that a
// stored config claiming layers of 2e9 units is an error, not a 3 GB allocation. Tensor
// shapes are bounded by the file's size, so a model that passes is no larger than the file.
void check_model_tensors(const Checkpoint& checkpoint, const ModelConfig& model,
                         const std::string& path);

}  // namespace nnrun
