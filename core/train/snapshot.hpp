// Converting between live training state and Checkpoint values.
#pragma once

#include <string>

#include "core/checkpoint/checkpoint.hpp"
#include "core/data/normalizer.hpp"
#include "core/model/model.hpp"
#include "core/train/metrics.hpp"
#include "core/train/optimizer.hpp"

namespace nnrun {

struct SnapshotSource {
  const std::string& config_yaml;
  const Backend& backend;
  const Model& model;
  const Optimizer& optimizer;
  const Normalizer& normalizer;
  const Dataset& train;  // for task, feature and class names
  const EpochRecord& record;
  const std::vector<EpochRecord>& history;     // every finished epoch so far
  const std::map<std::string, double>& state;  // trainer bookkeeping for resume
  std::string status = "running";
  std::string stop_reason;
  std::string data_fingerprint;
};

Checkpoint make_checkpoint(Backend& backend, const SnapshotSource& source);

// History rows <-> epoch records (metrics.csv's columns).
std::array<double, 7> history_row(const EpochRecord& record);
EpochRecord record_from_history(const std::array<double, 7>& row, Task task);

// Restores the optimizer's state arenas and step count from a checkpoint.
void load_optimizer_state(const Checkpoint& checkpoint, Optimizer& optimizer, Backend& backend,
                          const std::string& path);

// Loads the checkpoint's parameters into a model built from its config.
void load_parameters(const Checkpoint& checkpoint, Model& model, const std::string& path);
// The normalizer stored in a checkpoint.
Normalizer stored_normalizer(const Checkpoint& checkpoint, Normalization kind,
                             const std::string& path);

}  // namespace nnrun
