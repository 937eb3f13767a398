// Losses: which fused backend primitive a LossKind maps to, and what the output must look like.
#pragma once

#include "core/config/config.hpp"
#include "core/data/dataset.hpp"

namespace nnrun {

// Adds the batch's loss into metrics and, unless doutput is empty, writes the gradient of the
// batch-mean loss w.r.t. output. target: i32 labels [n,1] (classification) or values [n,k].
void compute_loss(Backend& backend, LossKind loss, Tensor output, Tensor target, Tensor doutput,
                  Tensor metrics);

inline Task task_of(LossKind loss) {
  return loss == LossKind::mse ? Task::regression : Task::classification;
}

// The output width a loss needs for a data set: classes, 1 for binary, target columns.
std::int64_t expected_output_width(LossKind loss, const Dataset& data);

}  // namespace nnrun
