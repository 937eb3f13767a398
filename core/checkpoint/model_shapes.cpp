// check_model_tensors: the stored config's layer widths against the file's tensor shapes.
#include "core/checkpoint/model_shapes.hpp"

#include "core/errors.hpp"

namespace nnrun {
namespace {

// `needed_by` says whose claim the shape comes from, for the message.
void check_shape(const Checkpoint& c, const std::string& name, std::int64_t rows, std::int64_t cols,
                 const std::string& path,
                 const std::string& needed_by = "the stored config's model") {
  const CheckpointTensor& t = c.require(name, path);
  if (t.rows != rows || t.cols != cols)
    throw InputError(path + ": tensor '" + name + "' is " + std::to_string(t.rows) + "x" +
                     std::to_string(t.cols) + " but " + needed_by + " needs " +
                     std::to_string(rows) + "x" + std::to_string(cols));
}

}  // namespace

void check_model_tensors(const Checkpoint& c, const ModelConfig& model, const std::string& path) {
  // One statistic per input feature: `x' = (x - shift) * multiplier`.
  for (const char* name : {"normalizer.shift", "normalizer.multiplier"})
    check_shape(c, name, 1, c.input_width, path, "input_width " + std::to_string(c.input_width));
  std::int64_t width = c.input_width;
  for (std::size_t i = 0; i < model.layers.size(); ++i) {
    const LayerConfig& layer = model.layers[i];
    if (layer.type == "dropout") continue;  // no parameters; the width passes through
    const std::string prefix = "layers." + std::to_string(i) + "." + layer.type + ".";
    check_shape(c, prefix + "weight", layer.units, width, path);
    check_shape(c, prefix + "bias", 1, layer.units, path);
    width = layer.units;
  }
  // The outputs are the classes: one logit each, or one for two (binary cross-entropy).
  const auto classes = static_cast<std::int64_t>(c.class_names.size());
  if (c.task == Task::classification && classes > 0 && width != classes &&
      !(width == 1 && classes == 2))
    throw InputError(path + ": the model has " + std::to_string(width) + " outputs but the " +
                     "checkpoint names " + std::to_string(classes) + " classes");
}

}  // namespace nnrun
