// Data preparation shared by `train`, `eval` and `check`.
#include "core/train/data_pipeline.hpp"

#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include "core/config/suggest.hpp"
#include "core/data/split.hpp"
#include "core/model/loss.hpp"
#include "core/train/data_fingerprint.hpp"
#include "core/train/source_loader.hpp"

namespace nnrun {
namespace {

// The integer a class name spells ("3", "-1"), if it is one.
std::optional<long long> integer_value(const std::string& name) {
  long long value = 0;
  const auto [end, error] = std::from_chars(name.data(), name.data() + name.size(), value);
  if (error != std::errc() || end != name.data() + name.size()) return std::nullopt;
  return value;
}

// data.class_names name integer labels by value, as the schema says: label 3 is
// class_names[3] whichever labels a file holds. A CSV file's integer labels were compacted
// to sorted indices (labels 1, 2, 3 -> classes 0, 1, 2; class_names "1", "2", "3"), so each
// set is re-indexed to the values, and named, before the sets are aligned by class name:
// a validation file may then hold a class (label 0) that the training file lacks.
void name_classes_by_value(const Config& config, const std::string& key, Dataset& data) {
  const auto& names = config.data.class_names;
  if (names.empty() || data.task != Task::classification) return;
  std::vector<std::int32_t> value_of(data.class_names.size());
  for (std::size_t i = 0; i < data.class_names.size(); ++i) {
    const std::string& label = data.class_names[i];
    const std::optional<long long> value = integer_value(label);
    if (!value)
      throw config.error_at("data.class_names", data.source + " has text labels (e.g. '" + label +
                                                    "'), which already name the classes; "
                                                    "class_names is for integer labels only");
    if (*value < 0 || *value >= static_cast<long long>(names.size()))
      throw config.error_at(key == "data.train" ? "data.class_names" : key,
                            data.source + " has label " + label + ", but the " +
                                std::to_string(names.size()) + " class names cover labels 0 to " +
                                std::to_string(names.size() - 1));
    value_of[i] = static_cast<std::int32_t>(*value);
  }
  for (std::int32_t& label : data.labels) label = value_of[static_cast<std::size_t>(label)];
  data.class_names = names;
}

// The training source against what a model takes, before anything is split, normalized or
// aligned to it: other columns (or their order) or classes would mean other things to the
// model, and the stored normalization would scale the wrong columns.
void check_model_inputs(const Config& config, const Dataset& train, const ModelInputs& expected) {
  if (train.feature_names != expected.feature_names)
    throw config.error_at(
        "data.train", train.source + " has the columns " + join_names(train.feature_names) +
                          "; the checkpoint's model takes " + join_names(expected.feature_names) +
                          " (in that order)");
  if (train.task != Task::classification || expected.class_names.empty()) return;
  const bool named = !config.data.class_names.empty();
  const std::vector<std::string>& classes = named ? config.data.class_names : train.class_names;
  if (classes != expected.class_names)
    throw config.error_at(named ? "data.class_names" : "data.train",
                          "the classes are " + join_names(classes) +
                              "; the checkpoint's model has " + join_names(expected.class_names));
}

}  // namespace

PreparedData prepare_data(const Config& config, const std::optional<Normalizer>& stored,
                          const ModelInputs* expected) {
  const DataConfig& data = config.data;
  Dataset train = load_source(config, data.train, "data.train", 0);
  if (expected) check_model_inputs(config, train, *expected);
  if (data.train.limit > 0) train = take_subset(config, train, data.train.limit);
  // Only the training set needs two classes: evaluating on a file of one class is fine.
  if (train.task == Task::classification && train.num_classes() < 2)
    throw config.error_at("data.train", train.source + " has only one class ('" +
                                            train.class_names.at(0) +
                                            "'); classification needs at least two");
  name_classes_by_value(config, "data.train", train);

  PreparedData out;
  const ValidationSpec& v = data.validation;
  if (v.source) {
    out.validation =
        load_source(config, *v.source, "data.validation", train.num_classes(), train.label_name);
    name_classes_by_value(config, "data.validation", out.validation);
    align_with_training_set(config, "data.validation", *v.source, train, out.validation);
    out.train = std::move(train);
  } else {
    TrainValidation parts = split_train_validation(train, v.split, v.stratify, config.seed);
    out.train = std::move(parts.train);
    out.validation = std::move(parts.validation);
  }
  if (data.test) {
    out.test =
        load_source(config, *data.test, "data.test", out.train.num_classes(), out.train.label_name);
    name_classes_by_value(config, "data.test", *out.test);
    align_with_training_set(config, "data.test", *data.test, out.train, *out.test);
  }
  out.fingerprint = data_fingerprint(out.train, out.validation);
  // Fitted on the training part only: validation and test statistics must not leak in.
  out.normalizer =
      stored ? *stored : Normalizer::fit(data.normalize, out.train.features, data.scale);
  out.normalizer.apply(out.train);
  out.normalizer.apply(out.validation);
  if (out.test) out.normalizer.apply(*out.test);
  return out;
}

Dataset prepare_evaluation_source(const Config& config, const std::string& key,
                                  const DataSource& source, const Normalizer& stored,
                                  const ModelInputs& model, std::string* fingerprint) {
  Dataset reference;  // the training set as far as the model knows it
  reference.task = task_of(config.loss);
  reference.feature_names = model.feature_names;
  reference.features.cols = static_cast<std::int64_t>(model.feature_names.size());
  reference.class_names = model.class_names;
  reference.targets.cols = reference.task == Task::regression ? model.outputs : 0;
  reference.label_name = model.label_column;

  Dataset data = load_source(config, source, key, reference.num_classes(), reference.label_name);
  name_classes_by_value(config, key, data);
  align_with_training_set(config, key, source, reference, data);
  if (fingerprint) *fingerprint = dataset_fingerprint(data);
  stored.apply(data);
  return data;
}

namespace {

// `v = {}` would keep the capacity: only swapping with an empty vector frees it.
template <typename T>
void free_vector(std::vector<T>& v) {
  std::vector<T>().swap(v);
}

void release_samples(Dataset& data) {
  free_vector(data.features.values);
  free_vector(data.targets.values);
  free_vector(data.labels);
}

}  // namespace

void release_samples(PreparedData& data) {
  release_samples(data.train);
  release_samples(data.validation);
  if (data.test) release_samples(*data.test);
}

std::string describe_data(const PreparedData& data) {
  std::string s = std::to_string(data.train.size()) + " training, " +
                  std::to_string(data.validation.size()) + " validation";
  if (data.test) s += ", " + std::to_string(data.test->size()) + " test";
  const std::int64_t features = data.train.features.cols;
  s += " samples, " + std::to_string(features) + (features == 1 ? " feature" : " features");
  if (data.train.task == Task::classification)
    s += ", " + std::to_string(data.train.num_classes()) + " classes";
  return s;
}

}  // namespace nnrun
