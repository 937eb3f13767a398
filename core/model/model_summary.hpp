// The layer table `nnrun check` (and later `inspect`) prints: shapes and parameter counts.
#pragma once

#include <string>

#include "core/config/config.hpp"

namespace nnrun {

struct LayerRow {
  std::string kind;
  std::int64_t inputs = 0;
  std::int64_t outputs = 0;
  std::string activation;
  std::int64_t parameters = 0;
};

std::vector<LayerRow> summarize_layers(const ModelConfig& model, std::int64_t input_width);
std::string format_layer_table(const std::vector<LayerRow>& rows);

}  // namespace nnrun
