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
enum class OptimizerKind { sgd, adam, adamw, rmsprop };
enum class ScheduleKind { constant, step, exponential, cosine, plateau };
enum class OnNan { stop, fail };
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

// A seeded synthetic data set (core/data/synthetic.hpp). Regression: line, polynomial
// (1 feature, 1 target). Classification: moons (2 classes), spirals, blobs.
struct SyntheticSpec {
  std::string generator;       // line | polynomial | moons | spirals | blobs
  std::int64_t samples = 100;  // number of examples
  double noise = 0.1;          // std of the Gaussian noise (targets for regression, points else)
  std::uint64_t seed = 0;      // resolved: given, or derived from the top seed and the role
  double x_min = -1.0;         // line, polynomial: x drawn uniformly from [x_min, x_max]
  double x_max = 1.0;
  double slope = 1.0;  // line: y = slope * x + intercept + noise
  double intercept = 0.0;
  std::vector<double> coefficients = {0.0, 1.0};  // polynomial: c0 + c1 x + c2 x^2 + ...
  std::int64_t classes = 3;                       // spirals, blobs
  std::int64_t features = 2;                      // blobs: dimensions
  double spread = 1.0;  // blobs: std of each cluster; centers are seeded in [-5, 5]

  bool operator==(const SyntheticSpec&) const = default;
};

// One data source: `data.train`, `data.validation` (when not a split) or `data.test`.
struct DataSource {
  std::string format = "csv";  // csv | idx | synthetic
  std::string path;            // csv: absolute, resolved against the config file's folder
  std::string label;           // csv: column name or 0-based index as text; "" = last column
  std::string images;          // idx: absolute path (raw or .gz)
  std::string labels;          // idx: absolute path (raw or .gz)
  SyntheticSpec synthetic;     // synthetic
  std::int64_t limit = 0;      // train only: keep the first N after a seeded shuffle; 0 = all

  bool operator==(const DataSource&) const = default;
};

// data.validation: either a stratified seeded split of train, or its own source.
struct ValidationSpec {
  double split = 0.2;  // fraction of train held out (stratified for classification)
  bool stratify = true;
  std::optional<DataSource> source;  // set when validation comes from its own data

  bool operator==(const ValidationSpec&) const = default;
};

struct DataConfig {
  DataSource train;
  ValidationSpec validation;
  std::optional<DataSource> test;  // optional; `eval --split test`
  Normalization normalize = Normalization::standard;
  double scale = 255.0;                  // for normalize: scale
  std::vector<std::string> class_names;  // optional names for integer class labels

  bool operator==(const DataConfig&) const = default;
};

struct LayerConfig {
  std::string type = "dense";    // dense | dropout
  std::int64_t units = 0;        // dense
  ActivationParams activation;   // dense
  std::optional<InitSpec> init;  // dense: per-layer override of model.init
  double rate = 0.0;             // dropout: fraction of units zeroed while training, [0, 1)

  // Spelled out because ActivationParams (backends/backend.hpp) has no operator==.
  bool operator==(const LayerConfig& other) const {
    return type == other.type && units == other.units && activation.kind == other.activation.kind &&
           activation.alpha == other.activation.alpha && init == other.init && rate == other.rate;
  }
};

struct ModelConfig {
  std::vector<LayerConfig> layers;
  InitSpec init;

  bool operator==(const ModelConfig&) const = default;
};

// optimizer.schedule: the learning rate per epoch (core/train/lr_schedule.hpp).
struct ScheduleConfig {
  ScheduleKind type = ScheduleKind::constant;
  std::int64_t step_size = 10;            // step: epochs between drops
  double gamma = 0.1;                     // step, exponential: factor per drop / per epoch
  std::int64_t warmup_epochs = 0;         // cosine: linear warm-up epochs before the cosine
  double min_lr = 0.0;                    // cosine: final lr; plateau: floor
  std::string monitor = "val_loss";       // plateau
  MonitorMode mode = MonitorMode::auto_;  // plateau
  double factor = 0.1;                    // plateau: lr *= factor
  std::int64_t patience = 10;             // plateau: epochs without improvement before a drop
  double min_delta = 0.0001;              // plateau: absolute improvement that counts

  bool operator==(const ScheduleConfig&) const = default;
};

struct OptimizerConfig {
  OptimizerKind type = OptimizerKind::adam;
  double lr = 0.001;
  double weight_decay = 0.0;    // sgd, adam, rmsprop: L2 added to the gradient; adamw: decoupled
  double clip_grad_norm = 0.0;  // 0 = off; else the global L2 norm of the gradients is capped
  double momentum = 0.0;        // sgd, rmsprop
  bool nesterov = false;        // sgd
  double beta1 = 0.9;           // adam, adamw
  double beta2 = 0.999;         // adam, adamw
  double eps = 1e-8;            // adam, adamw, rmsprop
  double alpha = 0.99;          // rmsprop: smoothing of the squared-gradient average
  bool centered = false;        // rmsprop
  ScheduleConfig schedule;

  bool operator==(const OptimizerConfig&) const = default;
};

struct TrainingConfig {
  std::int64_t epochs = 100;
  std::int64_t batch_size = 32;
  bool shuffle = true;
  OnNan on_nan = OnNan::stop;  // what a non-finite loss does: stop cleanly (exit 0) or fail (1)

  bool operator==(const TrainingConfig&) const = default;
};

struct EarlyStoppingConfig {
  bool enabled = false;
  std::string monitor = "val_loss";
  MonitorMode mode = MonitorMode::auto_;
  std::int64_t patience = 10;
  double min_delta = 0.0;
  std::int64_t start_from_epoch = 0;  // epochs before this one are not judged
  bool restore_best = true;

  bool operator==(const EarlyStoppingConfig&) const = default;
};

struct CheckpointConfig {
  std::string dir;  // run directory; default runs/<name>, relative to the cwd
  std::string monitor = "val_loss";
  bool save_best = true;
  bool save_last = true;
  std::int64_t every_n_epochs = 0;  // also keep epoch-N.ckpt every N epochs; 0 = off
  // last.ckpt at most this often (always at the end and on interrupt): an fsync'ed write per
  // epoch dominated short runs (Iris: 0.3 s of a 0.35 s run). 0 = every epoch.
  double last_every_seconds = 1.0;

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
