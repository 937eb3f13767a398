// Snapshot <-> checkpoint: parameters by name, optimizer state, normalizer statistics.
#include "core/train/snapshot.hpp"

#include "core/errors.hpp"
#include "core/tensor_io.hpp"
#include "core/version.hpp"

namespace nnrun {
Checkpoint make_checkpoint(Backend& backend, const SnapshotSource& s) {
  Checkpoint c;
  c.nnrun_version = kVersion;
  c.backend = s.backend.name();
  c.config_yaml = s.config_yaml;
  c.epoch = s.record.epoch;
  c.step = s.optimizer.steps_taken();
  c.task = s.train.task;
  c.input_width = s.model.input_width();
  c.feature_names = s.train.feature_names;
  c.class_names = s.train.class_names;
  c.label_column = s.train.label_name;
  c.data_fingerprint = s.data_fingerprint;
  for (const std::string& name : monitorable_metrics())
    c.metrics.emplace_back(name, metric_value(s.record, name));
  c.metrics.emplace_back("lr", s.record.lr);
  c.status = s.status;
  c.stop_reason = s.stop_reason;
  c.state = s.state;
  for (const EpochRecord& r : s.history) c.history.push_back(history_row(r));

  // Each tensor is downloaded into its own vector: no copy of the whole arena on the way.
  const Tensor arena = s.model.parameters();
  for (const NamedParameter& p : s.model.parameter_layout())
    c.tensors.push_back({p.name, p.rows, p.cols,
                         download_floats(backend, arena.flat_view(p.offset, p.rows, p.cols))});
  for (const auto& [name, tensor] : s.optimizer.state())
    c.tensors.push_back(
        {"optimizer." + name, tensor.rows, tensor.cols, download_floats(backend, tensor)});
  const auto width = static_cast<std::int64_t>(s.normalizer.shift().size());
  c.tensors.push_back({"normalizer.shift", 1, width, s.normalizer.shift()});
  c.tensors.push_back({"normalizer.multiplier", 1, width, s.normalizer.multiplier()});
  return c;
}

std::array<double, 7> history_row(const EpochRecord& r) {
  return {static_cast<double>(r.epoch),
          r.train.loss,
          r.train.error,
          r.val.loss,
          r.val.error,
          r.lr,
          r.seconds};
}

EpochRecord record_from_history(const std::array<double, 7>& row, Task task) {
  EpochRecord r;
  r.epoch = static_cast<std::int64_t>(row[0]);
  r.train.loss = row[1];
  r.train.error = row[2];
  r.val.loss = row[3];
  r.val.error = row[4];
  if (task == Task::classification) {
    r.train.accuracy = 1.0 - r.train.error;
    r.val.accuracy = 1.0 - r.val.error;
  }
  r.lr = row[5];
  r.seconds = row[6];
  return r;
}

void load_optimizer_state(const Checkpoint& c, Optimizer& optimizer, Backend& backend,
                          const std::string& path) {
  for (const auto& [name, tensor] : optimizer.state()) {
    const CheckpointTensor& t = c.require("optimizer." + name, path);
    if (t.rows != tensor.rows || t.cols != tensor.cols)
      throw InputError(path + ": optimizer state '" + name + "' does not match the model");
    upload_values(backend, tensor, std::span<const float>(t.values));
  }
  optimizer.set_steps_taken(static_cast<long>(c.step));
}

void load_parameters(const Checkpoint& c, Model& model, const std::string& path) {
  std::vector<double> values(static_cast<std::size_t>(model.parameter_count()));
  for (const NamedParameter& p : model.parameter_layout()) {
    const CheckpointTensor& t = c.require(p.name, path);
    if (t.rows != p.rows || t.cols != p.cols)
      throw InputError(path + ": tensor '" + p.name + "' is " + std::to_string(t.rows) + "x" +
                       std::to_string(t.cols) + " but the model needs " + std::to_string(p.rows) +
                       "x" + std::to_string(p.cols));
    std::copy(t.values.begin(), t.values.end(), values.begin() + p.offset);
  }
  model.upload_parameters(values);
}

Normalizer stored_normalizer(const Checkpoint& c, Normalization kind, const std::string& path) {
  const CheckpointTensor& shift = c.require("normalizer.shift", path);
  const CheckpointTensor& multiplier = c.require("normalizer.multiplier", path);
  if (shift.values.size() != multiplier.values.size() ||
      static_cast<std::int64_t>(shift.values.size()) != c.input_width)
    throw InputError(path + ": normalizer statistics do not match the input width");
  try {
    return Normalizer::from_stats(kind, shift.values, multiplier.values);
  } catch (const InputError& e) {
    throw InputError(path + ": " + e.what());  // which file holds the bad statistics
  }
}

}  // namespace nnrun
