// Data preparation shared by `train`, `eval` and `check`.
#include "core/train/data_pipeline.hpp"

#include "core/data/split.hpp"
#include "core/train/source_loader.hpp"

namespace nnrun {
namespace {

// data.class_names, when given, name integer classes (e.g. Fashion-MNIST's garments).
void apply_class_names(const Config& config, Dataset& train) {
  const auto& names = config.data.class_names;
  if (names.empty() || train.task != Task::classification) return;
  if (static_cast<std::int64_t>(names.size()) < train.num_classes())
    throw config.error_at("data.class_names", std::to_string(names.size()) + " names for " +
                                                  std::to_string(train.num_classes()) +
                                                  " classes in the data");
  train.class_names = names;
}

}  // namespace

PreparedData prepare_data(const Config& config, const std::optional<Normalizer>& stored) {
  const DataConfig& data = config.data;
  Dataset train = load_source(config, data.train, "data.train", 0);
  if (data.train.limit > 0) train = take_subset(config, train, data.train.limit);
  // Only the training set needs two classes: evaluating on a file of one class is fine.
  if (train.task == Task::classification && train.num_classes() < 2)
    throw config.error_at("data.train", train.source + " has only one class ('" +
                                            train.class_names.at(0) +
                                            "'); classification needs at least two");

  PreparedData out;
  const ValidationSpec& v = data.validation;
  if (v.source) {
    out.validation = load_source(config, *v.source, "data.validation", train.num_classes());
    align_with_training_set(config, "data.validation", *v.source, train, out.validation);
    out.train = std::move(train);
  } else {
    TrainValidation parts = split_train_validation(train, v.split, v.stratify, config.seed);
    out.train = std::move(parts.train);
    out.validation = std::move(parts.validation);
  }
  if (data.test) {
    out.test = load_source(config, *data.test, "data.test", out.train.num_classes());
    align_with_training_set(config, "data.test", *data.test, out.train, *out.test);
  }
  // After alignment, which matches classes by the names the files themselves give.
  apply_class_names(config, out.train);
  out.validation.class_names = out.train.class_names;
  if (out.test) out.test->class_names = out.train.class_names;

  // Fitted on the training part only: validation and test statistics must not leak in.
  out.normalizer =
      stored ? *stored : Normalizer::fit(data.normalize, out.train.features, data.scale);
  out.normalizer.apply(out.train.features);
  out.normalizer.apply(out.validation.features);
  if (out.test) out.normalizer.apply(out.test->features);
  return out;
}

}  // namespace nnrun
