// Checks that need both the config and the data: output width against the task, and the
// output activation against the loss. Used by `train` and `check`.
#pragma once

#include "core/config/config.hpp"
#include "core/data/dataset.hpp"

namespace nnrun {

// Throws ConfigError naming the config file and the offending key.
void check_model_fits_data(const Config& config, const Dataset& train);

}  // namespace nnrun
