// The checkpoint file: self-describing (config, architecture, normalization, class names,
// weights, optimizer state), versioned and checksummed. Layout in docs/checkpoint-format.md.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/data/dataset.hpp"

namespace nnrun {

inline constexpr char kCheckpointMagic[8] = {'N', 'N', 'R', 'U', 'N', 'C', 'K', 'P'};
inline constexpr std::uint32_t kCheckpointFormatVersion = 1;

struct CheckpointTensor {
  std::string name;
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::vector<float> values;  // rows * cols, row-major
};

struct Checkpoint {
  std::uint32_t format_version = kCheckpointFormatVersion;
  std::string nnrun_version;
  std::string backend;      // where it was trained
  std::string config_yaml;  // the fully resolved config
  std::int64_t epoch = 0;
  std::int64_t step = 0;
  Task task = Task::classification;
  std::int64_t input_width = 0;
  std::vector<std::string> feature_names;
  std::vector<std::string> class_names;
  // The training CSV's label column, so that other files are read by that name ("" when the
  // training data was not a CSV file, and in checkpoints from before it was written).
  std::string label_column;
  // The training and validation data's fingerprint ("crc32:..."), so that a resume on other
  // data is refused ("" in checkpoints from before it was written).
  std::string data_fingerprint;
  std::vector<std::pair<std::string, double>> metrics;  // of `epoch`
  // Where the run stands: "running" (written during training), "finished", "diverged" or
  // "interrupted", and why it stopped.
  std::string status = "running";
  std::string stop_reason;
  // Every number an exact resume needs besides tensors, by name: the best-so-far
  // bookkeeping of checkpointing and early stopping, the schedule's state, counters.
  std::map<std::string, double> state;
  // metrics.csv's rows up to `epoch`: epoch, train_loss, train_error, val_loss, val_error,
  // lr, seconds. A resume rewrites metrics.csv from these.
  std::vector<std::array<double, 7>> history;
  std::vector<CheckpointTensor> tensors;

  const CheckpointTensor* find(const std::string& name) const;
  const CheckpointTensor& require(const std::string& name, const std::string& path) const;
};

std::string serialize_checkpoint(const Checkpoint& checkpoint);
// Atomic write (see atomic_file.hpp). Throws RuntimeFailure on I/O errors.
void save_checkpoint(const std::string& path, const Checkpoint& checkpoint);
// Throws InputError naming the file for a missing, truncated, corrupt or newer file.
Checkpoint load_checkpoint(const std::string& path);
Checkpoint parse_checkpoint(const std::string& bytes, const std::string& path);

}  // namespace nnrun
