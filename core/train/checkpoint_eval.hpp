// Evaluating a saved checkpoint with nothing else at hand: the model, normalization and data
// split are rebuilt from what the checkpoint stores.
#pragma once

#include <limits>
#include <memory>
#include <optional>
#include <string>

#include "backends/registry.hpp"
#include "core/checkpoint/checkpoint.hpp"
#include "core/config/config.hpp"
#include "core/model/model.hpp"
#include "core/train/classification_report.hpp"
#include "core/train/metrics.hpp"

namespace nnrun {

struct EvalRequest {
  std::string split = "val";  // train | val | test
  // Another data set of the same shape: a CSV path (read with the training label column) or
  // a source as a YAML mapping, e.g. "{format: idx, images: a.gz, labels: b.gz}".
  std::string data;
  // A config file whose data section (paths, validation split, test set) replaces the stored
  // one; the model, loss, seed and batch size stay the checkpoint's, so `--split val` with the
  // training config is the run's own validation set.
  std::string config_path;
  std::string backend = "auto";
};

struct CheckpointEvaluation {
  std::string checkpoint_path;
  std::int64_t epoch = 0;
  std::string split;  // train | val | test | the --data argument
  std::string backend;
  PassMetrics metrics;  // the training's evaluation pass: loss, accuracy, error (or MSE)
  Task task = Task::classification;
  std::optional<ClassificationReport> report;             // classification
  double mae = std::numeric_limits<double>::quiet_NaN();  // regression
};

// Throws InputError for an unknown split, a test split the config lacks, or bad data.
CheckpointEvaluation evaluate_checkpoint(const std::string& path, const EvalRequest& request);

// The checkpoint's stored config. With `data` (as EvalRequest::data) that source becomes
// data.test, validated by the config schema like any --set value.
Config stored_config(const Checkpoint& checkpoint, const std::string& path,
                     const std::string& data = "");

// The config an evaluation runs with: stored_config, or with request.config_path its data
// section taken from that file (errors about data then point into it).
Config evaluation_config(const Checkpoint& checkpoint, const std::string& path,
                         const EvalRequest& request);

// What eval and predict check before using a checkpoint's model, before any data is read:
// the stored config against the tensors (check_model_tensors, as `inspect` does) and the
// parameters finite (NaN weights give NaN outputs). InputError naming `path`.
void check_checkpoint_model(const Checkpoint& checkpoint, const Config& config,
                            const std::string& path);

// Throws InputError naming `path`, the `problem` (which outputs are not finite) and its
// likely cause. Finite weights can overflow too: a diverged run's last.ckpt may hold weights
// of 1e30, whose products give inf - inf. Its results would be NaN, not numbers.
[[noreturn]] void refuse_non_finite_outputs(const Checkpoint& checkpoint, const std::string& path,
                                            const std::string& problem);

// A model rebuilt from a checkpoint on a fresh backend, parameters loaded, activation
// buffers prepared for batches of up to max_batch rows.
struct CheckpointModel {
  std::unique_ptr<Backend> backend;
  std::unique_ptr<Model> model;
};
CheckpointModel load_checkpoint_model(const Checkpoint& checkpoint, const Config& config,
                                      const std::string& path, const std::string& backend_name,
                                      std::int64_t max_batch);

}  // namespace nnrun
