// Evaluating a saved checkpoint with nothing else at hand: the model, normalization and data
// split are rebuilt from what the checkpoint stores.
#pragma once

#include <string>

#include "backends/registry.hpp"
#include "core/checkpoint/checkpoint.hpp"
#include "core/train/metrics.hpp"

namespace nnrun {

struct EvalRequest {
  std::string split = "val";  // train | val | test
  // Another data set of the same shape: a CSV path (read with the training label column) or
  // a source as a YAML mapping, e.g. "{format: idx, images: a.gz, labels: b.gz}".
  std::string data;
  std::string backend = "auto";
};

struct CheckpointEvaluation {
  std::string checkpoint_path;
  std::int64_t epoch = 0;
  std::string split;  // train | val | test | the --data argument
  std::string backend;
  PassMetrics metrics;
  Task task = Task::classification;
};

// Throws InputError for an unknown split, a test split the config lacks, or bad data.
CheckpointEvaluation evaluate_checkpoint(const std::string& path, const EvalRequest& request);

}  // namespace nnrun
