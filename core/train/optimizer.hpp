// Optimizer: hyper-parameters from the config plus state arenas shaped like the parameters;
// one backend call updates the whole parameter arena (after optional gradient clipping).
#pragma once

#include <string>
#include <vector>

#include "core/config/config.hpp"

namespace nnrun {

// Bytes the training state takes on the backend: f32 weights, gradients and the optimizer's
// state arrays (Adam: 2), the part of a run's memory that grows with the model.
std::int64_t training_state_bytes(std::int64_t parameters, const OptimizerConfig& config);

class Optimizer {
 public:
  Optimizer(Backend& backend, const OptimizerConfig& config, std::int64_t parameter_count,
            DType dtype);

  // One update with the gradients of the current batch, at learning rate lr. guard: the
  // metrics accumulator; the backend skips the update once it has counted a non-finite value.
  void step(Tensor params, Tensor grads, double lr, Tensor guard);

  long steps_taken() const { return steps_; }
  void set_steps_taken(long steps) { steps_ = steps; }
  // Named state arenas ("velocity"; "adam_m", "adam_v"; "rmsprop_square_avg", ...), for
  // checkpoints; restoring writes into these same tensors.
  std::vector<std::pair<std::string, Tensor>> state() const;

 private:
  struct NamedBuffer {
    std::string name;
    DeviceBuffer buffer;
  };
  Tensor state_tensor(std::size_t i) const {
    return i < state_.size() ? state_[i].buffer.tensor() : Tensor{};
  }

  Backend& backend_;
  OptimizerConfig config_;
  long steps_ = 0;
  std::vector<NamedBuffer> state_;  // zero-initialized, in the order the update reads them
};

}  // namespace nnrun
