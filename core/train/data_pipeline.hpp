// From a config to ready-to-use host data: load, split, fit normalization on the training
// split only, apply it to both splits. Train and eval share this, so eval sees the same split.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/config/config.hpp"
#include "core/data/dataset.hpp"
#include "core/data/normalizer.hpp"

namespace nnrun {

struct PreparedData {
  Dataset train;
  Dataset validation;
  std::optional<Dataset> test;  // when the config has data.test
  Normalizer normalizer;
  std::string fingerprint;  // of train and validation before normalization (data_fingerprint)
};

// With `stored`, that normalizer is applied instead of fitting one (eval from a checkpoint).
// "120 training, 30 validation samples, 4 features, 3 classes", as train and check print it.
std::string describe_data(const PreparedData& data);

// Frees the samples' values (features, labels, targets) of every set, keeping their shapes,
// names and the rest: for once the backend holds its own copies of them.
void release_samples(PreparedData& data);

// What a checkpoint's model takes: its input columns in order, and its classes (empty: any).
struct ModelInputs {
  std::vector<std::string> feature_names;
  std::vector<std::string> class_names;
  std::int64_t outputs = 0;  // the model's output width (regression: target columns)
  std::string label_column;  // the training CSV's label column ("" when unknown)
};

// With `expected` (eval of a checkpoint on another config's data), the training source must
// have exactly those columns and classes: every other set is read against it.
PreparedData prepare_data(const Config& config, const std::optional<Normalizer>& stored = {},
                          const ModelInputs* expected = nullptr);

// One set that does not derive from the training file (data.test, `eval --data`, a
// validation source of its own), read alone for `eval`: aligned with the model's inputs as
// training aligned it with the training set (columns and classes by name), then normalized
// with the stored statistics. The training file is not read, so a checkpoint still
// evaluates new data after its training data is gone. `key` names the source in messages.
// `fingerprint`, when given, receives the set's dataset_fingerprint (before normalization).
Dataset prepare_evaluation_source(const Config& config, const std::string& key,
                                  const DataSource& source, const Normalizer& stored,
                                  const ModelInputs& model, std::string* fingerprint = nullptr);

}  // namespace nnrun
