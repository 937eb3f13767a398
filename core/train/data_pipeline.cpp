// Data preparation shared by `train`, `eval` and `check`.
#include "core/train/data_pipeline.hpp"

#include "core/data/csv_reader.hpp"
#include "core/data/split.hpp"
#include "core/model/loss.hpp"

namespace nnrun {

PreparedData prepare_data(const Config& config, const std::optional<Normalizer>& stored) {
  const DataSource& source = config.data.train;
  Dataset all = load_csv(source.path, source.label, task_of(config.loss));
  const ValidationSpec& v = config.data.validation;
  TrainValidation parts = split_train_validation(all, v.split, v.stratify, config.seed);
  // Fitted on the training split only: validation statistics must not leak into training.
  Normalizer normalizer =
      stored ? *stored
             : Normalizer::fit(config.data.normalize, parts.train.features, config.data.scale);
  PreparedData out{std::move(parts.train), std::move(parts.validation), std::move(normalizer)};
  out.normalizer.apply(out.train.features);
  out.normalizer.apply(out.validation.features);
  return out;
}

}  // namespace nnrun
