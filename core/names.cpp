// Enum -> user-facing name.
#include "core/names.hpp"

namespace nnrun {

std::string activation_name(Activation a) {
  switch (a) {
    case Activation::none:
      return "none";
    case Activation::relu:
      return "relu";
    case Activation::leaky_relu:
      return "leaky_relu";
    case Activation::elu:
      return "elu";
    case Activation::gelu:
      return "gelu";
    case Activation::sigmoid:
      return "sigmoid";
    case Activation::tanh:
      return "tanh";
  }
  return "?";
}

std::string loss_name(LossKind k) {
  switch (k) {
    case LossKind::cross_entropy:
      return "cross_entropy";
    case LossKind::binary_cross_entropy:
      return "binary_cross_entropy";
    case LossKind::mse:
      return "mse";
  }
  return "?";
}

std::string optimizer_name(OptimizerKind k) {
  switch (k) {
    case OptimizerKind::sgd:
      return "sgd";
    case OptimizerKind::adam:
      return "adam";
    case OptimizerKind::adamw:
      return "adamw";
    case OptimizerKind::rmsprop:
      return "rmsprop";
  }
  return "?";
}

std::string schedule_name(ScheduleKind k) {
  switch (k) {
    case ScheduleKind::constant:
      return "constant";
    case ScheduleKind::step:
      return "step";
    case ScheduleKind::exponential:
      return "exponential";
    case ScheduleKind::cosine:
      return "cosine";
    case ScheduleKind::plateau:
      return "plateau";
  }
  return "?";
}

std::string on_nan_name(OnNan n) {
  switch (n) {
    case OnNan::stop:
      return "stop";
    case OnNan::fail:
      return "fail";
  }
  return "?";
}

std::string normalization_name(Normalization n) {
  switch (n) {
    case Normalization::none:
      return "none";
    case Normalization::standard:
      return "standard";
    case Normalization::minmax:
      return "minmax";
    case Normalization::scale:
      return "scale";
  }
  return "?";
}

}  // namespace nnrun
