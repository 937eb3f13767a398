// Overflow-checked parameter counts: a config's sizes are each bounded by the schema, but a
// long list of wide layers can still add up past what int64 (or any machine) holds.
#include "core/config/model_size.hpp"

#include <cstdint>
#include <limits>
#include <string>

namespace nnrun {
namespace {

// in x units weights + units biases, or nullopt on overflow.
std::optional<std::int64_t> dense_parameters(std::int64_t in, std::int64_t units) {
  std::int64_t weights = 0, total = 0;
  if (__builtin_mul_overflow(in, units, &weights)) return std::nullopt;
  if (__builtin_add_overflow(weights, units, &total)) return std::nullopt;
  return total;
}

// The index of the first layer that takes the running total past `limit`, else the total.
struct Count {
  std::int64_t total = 0;
  std::optional<std::size_t> over_at;
};

Count count_up_to(const ModelConfig& model, std::int64_t input_width, std::int64_t limit) {
  Count count;
  std::int64_t width = input_width;
  for (std::size_t i = 0; i < model.layers.size(); ++i) {
    const LayerConfig& layer = model.layers[i];
    if (layer.type != "dense") continue;  // dropout keeps the width and has no parameters
    const auto here = dense_parameters(width, layer.units);
    if (!here || __builtin_add_overflow(count.total, *here, &count.total) || count.total > limit) {
      count.over_at = i;
      return count;
    }
    width = layer.units;
  }
  return count;
}

}  // namespace

std::optional<std::int64_t> parameter_count(const ModelConfig& model, std::int64_t input_width) {
  const Count count = count_up_to(model, input_width, std::numeric_limits<std::int64_t>::max());
  if (count.over_at) return std::nullopt;
  return count.total;
}

void check_model_size(const Config& config, std::int64_t input_width) {
  const Count count = count_up_to(config.model, input_width, kMaxParameters);
  if (!count.over_at) return;
  throw config.error_at("model.layers[" + std::to_string(*count.over_at) + "].dense.units",
                        "with this layer the model has more than " +
                            std::to_string(kMaxParameters) +
                            " (2^40) parameters, more than any machine holds; use fewer units");
}

}  // namespace nnrun
