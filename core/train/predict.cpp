// predict_checkpoint and its CSV output. The input goes through the same stored normalizer
// and forward pass (evaluation mode) as `eval`.
#include "core/train/predict.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/data/csv_reader.hpp"
#include "core/errors.hpp"
#include "core/model/loss.hpp"
#include "core/tensor_io.hpp"
#include "core/train/checkpoint_eval.hpp"
#include "core/train/model_outputs.hpp"
#include "core/train/snapshot.hpp"
#include "core/train/source_loader.hpp"

namespace nnrun {
namespace {

// The features of the input, in the checkpoint's feature order. A CSV file (or a csv source
// mapping) is matched by column name; other formats by position.
HostMatrix read_input(const Checkpoint& ckpt, const std::string& path, const std::string& input) {
  if (input.empty() || input.front() != '{') return load_csv_columns(input, ckpt.feature_names);
  const Config config = stored_config(ckpt, path, input);
  const DataSource& source = *config.data.test;
  if (source.format == "csv") return load_csv_columns(source.path, ckpt.feature_names);
  const auto classes = static_cast<std::int64_t>(ckpt.class_names.size());
  return load_source(config, source, "data.test", classes).features;
}

// The first input row whose outputs hold a NaN or an infinity, or -1.
std::int64_t first_non_finite_row(const HostMatrix& outputs) {
  for (std::int64_t i = 0; i < outputs.rows; ++i)
    for (std::int64_t j = 0; j < outputs.cols; ++j)
      if (!std::isfinite(outputs.at(i, j))) return i;
  return -1;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (const char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string number(const char* format, double value) {
  char buf[40];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

}  // namespace

Predictions predict_checkpoint(const std::string& path, const PredictRequest& request) {
  const Checkpoint ckpt = load_checkpoint(path);
  const Config config = stored_config(ckpt, path);
  check_checkpoint_model(ckpt, config, path);  // before the model is built from the config
  if (static_cast<std::int64_t>(ckpt.feature_names.size()) != ckpt.input_width)
    throw InputError(path + ": the checkpoint names " + std::to_string(ckpt.feature_names.size()) +
                     " features but its model takes " + std::to_string(ckpt.input_width));
  HostMatrix features = read_input(ckpt, path, request.input);
  if (features.cols != ckpt.input_width)
    throw InputError(request.input + ": the data has " + std::to_string(features.cols) +
                     " features but the checkpoint's model takes " +
                     std::to_string(ckpt.input_width));
  stored_normalizer(ckpt, config.data.normalize, path).apply(features);

  const std::int64_t batch = config.training.batch_size;
  CheckpointModel loaded =
      load_checkpoint_model(ckpt, config, path, request.backend, std::min(batch, features.rows));
  DeviceBuffer src(*loaded.backend, features.rows, features.cols, DType::f32);
  upload_values(*loaded.backend, src, std::span<const float>(features.values));

  Predictions out;
  out.task = task_of(config.loss);
  out.loss = config.loss;
  out.class_names = ckpt.class_names;
  out.outputs = forward_outputs(*loaded.backend, *loaded.model, src, batch);
  // NaN probabilities would be written as if they were predictions.
  if (const std::int64_t row = first_non_finite_row(out.outputs); row >= 0)
    refuse_non_finite_outputs(
        ckpt, path,
        "the model's outputs for input row " + std::to_string(row + 1) + " are not finite");
  out.backend = loaded.backend->name();
  return out;
}

std::string predictions_csv(const Predictions& p) {
  std::string out;
  if (p.task == Task::regression) {
    for (std::int64_t j = 0; j < p.outputs.cols; ++j)
      out += (j ? "," : "") +
             (p.outputs.cols == 1 ? std::string("prediction") : "prediction_" + std::to_string(j));
    out += "\n";
    for (std::int64_t i = 0; i < p.outputs.rows; ++i) {
      for (std::int64_t j = 0; j < p.outputs.cols; ++j)
        out += (j ? "," : "") + number("%.9g", p.outputs.at(i, j));  // round-trips a float
      out += "\n";
    }
    return out;
  }
  const auto probabilities = class_probabilities(p.outputs, p.loss);
  const std::vector<std::int32_t> predicted = predicted_classes(p.outputs, p.loss);
  const std::size_t classes =
      probabilities.empty() ? p.class_names.size() : probabilities[0].size();
  std::vector<std::string> names = p.class_names;
  while (names.size() < classes) names.push_back(std::to_string(names.size()));
  out += "predicted";
  for (std::size_t c = 0; c < classes; ++c) out += "," + csv_field("p_" + names[c]);
  out += "\n";
  for (std::size_t i = 0; i < probabilities.size(); ++i) {
    out += csv_field(names[static_cast<std::size_t>(predicted[i])]);
    // 9 digits: the f32 probabilities exactly, so a row sums to 1 as closely as the model's.
    for (const double value : probabilities[i]) out += "," + number("%.9g", value);
    out += "\n";
  }
  return out;
}

}  // namespace nnrun
