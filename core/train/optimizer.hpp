// Optimizer: hyper-parameters from the config plus state arenas shaped like the parameters;
// one backend call updates the whole parameter arena.
#pragma once

#include <string>
#include <vector>

#include "core/config/config.hpp"

namespace nnrun {

class Optimizer {
 public:
  Optimizer(Backend& backend, const OptimizerConfig& config, std::int64_t parameter_count,
            DType dtype);

  // One update with the gradients of the current batch, at learning rate lr. guard: the
  // metrics accumulator; the backend skips the update once it has counted a non-finite loss.
  void step(Tensor params, Tensor grads, double lr, Tensor guard);

  long steps_taken() const { return steps_; }
  void set_steps_taken(long steps) { steps_ = steps; }
  // Named state arenas ("velocity"; "adam_m", "adam_v"), for checkpoints.
  std::vector<std::pair<std::string, Tensor>> state() const;

 private:
  Backend& backend_;
  OptimizerConfig config_;
  long steps_ = 0;
  DeviceBuffer first_;   // sgd: velocity; adam: first moment
  DeviceBuffer second_;  // adam: second moment
};

}  // namespace nnrun
