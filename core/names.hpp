// Names of the config enums as users write them, shared by messages, logs and checkpoints.
#pragma once

#include <string>

#include "core/config/config.hpp"

namespace nnrun {

std::string activation_name(Activation a);
std::string loss_name(LossKind k);
std::string optimizer_name(OptimizerKind k);
std::string schedule_name(ScheduleKind k);
std::string on_nan_name(OnNan n);
std::string normalization_name(Normalization n);

}  // namespace nnrun
