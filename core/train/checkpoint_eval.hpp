// Evaluating a saved checkpoint with nothing else at hand: the model, normalization and data
// split are rebuilt from what the checkpoint stores.
#pragma once

#include <string>

#include "backends/registry.hpp"
#include "core/checkpoint/checkpoint.hpp"
#include "core/train/metrics.hpp"

namespace nnrun {

struct CheckpointEvaluation {
  std::string checkpoint_path;
  std::int64_t epoch = 0;
  std::string split;  // "train" or "val"
  std::string backend;
  PassMetrics metrics;
  Task task = Task::classification;
};

// split: "val" (default) or "train". Throws InputError for an unknown split.
CheckpointEvaluation evaluate_checkpoint(const std::string& path, const std::string& split,
                                         const std::string& backend_name);

}  // namespace nnrun
