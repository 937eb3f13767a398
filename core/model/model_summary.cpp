// Layer table from the config alone: no backend, no memory.
#include "core/model/model_summary.hpp"

#include <cstdio>

#include "core/names.hpp"

namespace nnrun {

std::vector<LayerRow> summarize_layers(const ModelConfig& model, std::int64_t input_width) {
  std::vector<LayerRow> rows;
  std::int64_t width = input_width;
  for (const LayerConfig& layer : model.layers) {
    if (layer.type == "dropout") {
      char rate[32];
      std::snprintf(rate, sizeof rate, "rate %g", layer.rate);
      rows.push_back({layer.type, width, width, rate, 0});
      continue;
    }
    rows.push_back({layer.type, width, layer.units, activation_name(layer.activation.kind),
                    layer.units * width + layer.units});
    width = layer.units;
  }
  return rows;
}

std::string format_layer_table(const std::vector<LayerRow>& rows) {
  std::string out;
  char line[160];
  std::snprintf(line, sizeof line, "%3s  %-8s %-16s %-11s %12s\n", "#", "layer", "shape",
                "activation", "parameters");
  out += line;
  std::int64_t total = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const LayerRow& r = rows[i];
    const std::string shape = std::to_string(r.inputs) + " -> " + std::to_string(r.outputs);
    std::snprintf(line, sizeof line, "%3zu  %-8s %-16s %-11s %12lld\n", i, r.kind.c_str(),
                  shape.c_str(), r.activation.c_str(), static_cast<long long>(r.parameters));
    out += line;
    total += r.parameters;
  }
  std::snprintf(line, sizeof line, "%3s  %-8s %-16s %-11s %12lld\n", "", "total", "", "",
                static_cast<long long>(total));
  return out + line;
}

}  // namespace nnrun
