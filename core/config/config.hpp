// The typed, fully resolved configuration. The loader (config_loader.hpp) fills it from YAML
// using the schema table (schema.hpp); nothing downstream sees YAML nodes.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "backends/backend.hpp"
#include "core/errors.hpp"

namespace nnrun {

enum class LossKind { cross_entropy, binary_cross_entropy, mse };
enum class OptimizerKind { sgd, adam };
enum class Normalization { none, standard, minmax, scale };
enum class MonitorMode { auto_, min, max };

struct InitSpec {
  enum class Kind {
    he_uniform,
    he_normal,
    xavier_uniform,
    xavier_normal,
    normal
  } kind = Kind::he_uniform;
  double std = 0.01;  // for `normal(std)`

  bool operator==(const InitSpec&) const = default;
};

struct DataSource {
  std::string format = "csv";  // csv (later: idx, synthetic)
  std::string path;            // absolute, resolved against the config file's folder
  std::string label;           // column name or 0-based index as text; default: last column

  bool operator==(const DataSource&) const = default;
};

struct ValidationSpec {
  double split = 0.2;  // fraction of train held out (stratified for classification)
  bool stratify = true;

  bool operator==(const ValidationSpec&) const = default;
};

struct DataConfig {
  DataSource train;
  ValidationSpec validation;
  Normalization normalize = Normalization::standard;
  double scale = 255.0;  // for normalize: scale

  bool operator==(const DataConfig&) const = default;
};

struct LayerConfig {
  std::string type = "dense";  // dense
  std::int64_t units = 0;
  ActivationParams activation;
  std::optional<InitSpec> init;  // per-layer override of model.init

  // Spelled out because ActivationParams (backends/backend.hpp) has no operator==.
  bool operator==(const LayerConfig& other) const {
    return type == other.type && units == other.units && activation.kind == other.activation.kind &&
           activation.alpha == other.activation.alpha && init == other.init;
  }
};

struct ModelConfig {
  std::vector<LayerConfig> layers;
  InitSpec init;

  bool operator==(const ModelConfig&) const = default;
};

struct OptimizerConfig {
  OptimizerKind type = OptimizerKind::adam;
  double lr = 0.001;
  double weight_decay = 0.0;
  double momentum = 0.0;  // sgd
  bool nesterov = false;  // sgd
  double beta1 = 0.9;     // adam
  double beta2 = 0.999;   // adam
  double eps = 1e-8;      // adam

  bool operator==(const OptimizerConfig&) const = default;
};

struct TrainingConfig {
  std::int64_t epochs = 100;
  std::int64_t batch_size = 32;
  bool shuffle = true;

  bool operator==(const TrainingConfig&) const = default;
};

struct EarlyStoppingConfig {
  bool enabled = false;
  std::string monitor = "val_loss";
  MonitorMode mode = MonitorMode::auto_;
  std::int64_t patience = 10;
  double min_delta = 0.0;
  bool restore_best = true;

  bool operator==(const EarlyStoppingConfig&) const = default;
};

struct CheckpointConfig {
  std::string dir;  // run directory; default runs/<name>, relative to the cwd
  std::string monitor = "val_loss";
  bool save_best = true;
  bool save_last = true;

  bool operator==(const CheckpointConfig&) const = default;
};

// operator== compares every field, source_file included: a resolved config loaded back
// equals the original when loaded under the same label.
// Where each key was written (file:line:col, or the --set that gave it), so checks that run
// after loading (data files, model against data) can point at the key. Not part of a
// config's value: two configs that differ only in where keys were written compare equal.
class KeyLocations {
 public:
  void record(const std::string& key_path, SourceLocation where) {
    locations_[key_path] = std::move(where);
  }
  // The key's location, else the nearest recorded parent's, else just the file.
  SourceLocation find(std::string key_path, const std::string& file) const {
    for (;;) {
      if (const auto it = locations_.find(key_path); it != locations_.end()) return it->second;
      const auto cut = key_path.find_last_of(".[");
      if (cut == std::string::npos) return {file, 0, 0};
      key_path.resize(cut);
    }
  }
  bool operator==(const KeyLocations&) const { return true; }

 private:
  std::map<std::string, SourceLocation> locations_;
};

struct Config {
  std::string source_file;  // the YAML file this came from (for messages)
  KeyLocations locations;
  std::string name;
  std::uint64_t seed = 42;
  std::string backend = "auto";  // auto | cpu | cuda | reference
  std::int64_t threads = 0;      // 0 = all cores
  std::string precision = "f32";
  DataConfig data;
  ModelConfig model;
  LossKind loss = LossKind::cross_entropy;
  OptimizerConfig optimizer;
  TrainingConfig training;
  EarlyStoppingConfig early_stopping;
  CheckpointConfig checkpoint;

  bool operator==(const Config&) const = default;

  // A ConfigError pointing at key_path where it was written.
  ConfigError error_at(const std::string& key_path, const std::string& message) const {
    return ConfigError(locations.find(key_path, source_file), key_path, message);
  }
};

}  // namespace nnrun
