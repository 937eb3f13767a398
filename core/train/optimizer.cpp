// Optimizer: maps config hyper-parameters onto the backend's arena-wide update steps.
#include "core/train/optimizer.hpp"

namespace nnrun {
namespace {

std::vector<std::string> state_names(const OptimizerConfig& c) {
  switch (c.type) {
    case OptimizerKind::sgd:
      return c.momentum != 0.0 ? std::vector<std::string>{"velocity"} : std::vector<std::string>{};
    case OptimizerKind::adam:
    case OptimizerKind::adamw:
      return {"adam_m", "adam_v"};
    case OptimizerKind::rmsprop: {
      std::vector<std::string> names = {"rmsprop_square_avg"};
      if (c.momentum != 0.0) names.push_back("rmsprop_momentum");
      if (c.centered) names.push_back("rmsprop_grad_avg");
      return names;
    }
  }
  return {};
}

}  // namespace

std::int64_t training_state_bytes(std::int64_t parameters, const OptimizerConfig& config) {
  const auto arrays = 2 + static_cast<std::int64_t>(state_names(config).size());
  return parameters * arrays * static_cast<std::int64_t>(sizeof(float));
}

Optimizer::Optimizer(Backend& backend, const OptimizerConfig& config, std::int64_t parameter_count,
                     DType dtype)
    : backend_(backend), config_(config) {
  for (const std::string& name : state_names(config)) {
    state_.push_back({name, DeviceBuffer(backend, 1, parameter_count, dtype)});
    backend.fill_zero(state_.back().buffer);
  }
}

void Optimizer::step(Tensor params, Tensor grads, double lr, Tensor guard) {
  ++steps_;
  const OptimizerConfig& c = config_;
  if (c.clip_grad_norm > 0) backend_.clip_grad_norm(grads, c.clip_grad_norm, guard);
  switch (c.type) {
    case OptimizerKind::sgd:
      backend_.sgd_step({lr, c.momentum, c.nesterov, c.weight_decay}, params, grads,
                        state_tensor(0), guard);
      return;
    case OptimizerKind::adam:
    case OptimizerKind::adamw:
      backend_.adam_step(
          {lr, c.beta1, c.beta2, c.eps, c.weight_decay, steps_, c.type == OptimizerKind::adamw},
          params, grads, state_tensor(0), state_tensor(1), guard);
      return;
    case OptimizerKind::rmsprop: {
      // Momentum and grad_avg buffers exist only when used; find them by name.
      Tensor momentum, grad_avg;
      for (const NamedBuffer& s : state_) {
        if (s.name == "rmsprop_momentum") momentum = s.buffer.tensor();
        if (s.name == "rmsprop_grad_avg") grad_avg = s.buffer.tensor();
      }
      backend_.rmsprop_step({lr, c.alpha, c.eps, c.weight_decay, c.momentum, c.centered}, params,
                            grads, state_tensor(0), momentum, grad_avg, guard);
      return;
    }
  }
}

std::vector<std::pair<std::string, Tensor>> Optimizer::state() const {
  std::vector<std::pair<std::string, Tensor>> out;
  for (const NamedBuffer& s : state_) out.emplace_back(s.name, s.buffer.tensor());
  return out;
}

}  // namespace nnrun
