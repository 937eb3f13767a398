// Predicting with a saved checkpoint: inputs read by feature name (or from a source
// mapping), normalized with the stored statistics, run through the rebuilt model.
#pragma once

#include <string>
#include <vector>

#include "core/config/config.hpp"
#include "core/data/dataset.hpp"

namespace nnrun {

struct PredictRequest {
  // A CSV file holding the checkpoint's feature columns by name, in any order (other
  // columns are ignored), or a source mapping as eval's --data takes, e.g.
  // "{format: idx, images: a.gz, labels: b.gz}".
  std::string input;
  std::string backend = "auto";
};

struct Predictions {
  Task task = Task::classification;
  LossKind loss = LossKind::cross_entropy;
  std::vector<std::string> class_names;  // classification
  HostMatrix outputs;                    // the model's raw outputs, one row per sample
  std::string backend;
};

// Throws InputError for a bad checkpoint, a missing feature column, or unusable input.
Predictions predict_checkpoint(const std::string& path, const PredictRequest& request);

// CSV text with a header. Classification: `predicted,p_<class>...` (the predicted class's
// name, then each class's probability); regression: `prediction` or `prediction_0..k-1`.
std::string predictions_csv(const Predictions& predictions);

}  // namespace nnrun
