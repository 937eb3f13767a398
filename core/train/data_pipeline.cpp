// Data preparation shared by `train`, `eval` and `check`.
#include "core/train/data_pipeline.hpp"

#include <filesystem>

#include "core/data/csv_reader.hpp"
#include "core/data/split.hpp"
#include "core/model/loss.hpp"

namespace nnrun {

namespace {

// A missing data file is reported at the config key that names it.
void require_file(const Config& config, const std::string& key, const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) throw config.error_at(key, "file not found: " + path);
  if (fs::is_directory(status)) throw config.error_at(key, "is a directory, not a file: " + path);
}

}  // namespace

PreparedData prepare_data(const Config& config, const std::optional<Normalizer>& stored) {
  const DataSource& source = config.data.train;
  require_file(config, "data.train.path", source.path);
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
