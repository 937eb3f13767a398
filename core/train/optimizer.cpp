// Optimizer: maps config hyper-parameters onto the backend's arena-wide update steps.
#include "core/train/optimizer.hpp"

namespace nnrun {

Optimizer::Optimizer(Backend& backend, const OptimizerConfig& config, std::int64_t parameter_count,
                     DType dtype)
    : backend_(backend), config_(config) {
  const bool needs_first = config.type == OptimizerKind::adam || config.momentum != 0.0;
  if (needs_first) {
    first_ = DeviceBuffer(backend, 1, parameter_count, dtype);
    backend.fill_zero(first_);
  }
  if (config.type == OptimizerKind::adam) {
    second_ = DeviceBuffer(backend, 1, parameter_count, dtype);
    backend.fill_zero(second_);
  }
}

void Optimizer::step(Tensor params, Tensor grads, double lr, Tensor guard) {
  ++steps_;
  switch (config_.type) {
    case OptimizerKind::sgd:
      backend_.sgd_step({lr, config_.momentum, config_.nesterov, config_.weight_decay}, params,
                        grads, first_, guard);
      return;
    case OptimizerKind::adam:
      backend_.adam_step(
          {lr, config_.beta1, config_.beta2, config_.eps, config_.weight_decay, steps_}, params,
          grads, first_, second_, guard);
      return;
  }
}

std::vector<std::pair<std::string, Tensor>> Optimizer::state() const {
  std::vector<std::pair<std::string, Tensor>> out;
  if (config_.type == OptimizerKind::adam) {
    out.emplace_back("adam_m", first_.tensor());
    out.emplace_back("adam_v", second_.tensor());
  } else if (!first_.tensor().empty()) {
    out.emplace_back("velocity", first_.tensor());
  }
  return out;
}

}  // namespace nnrun
