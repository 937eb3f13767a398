// Internal to the oneDNN backend: how an activation maps onto a oneDNN eltwise algorithm,
// for the eltwise primitives and for the post-op a fused dense forward applies.
#pragma once

#include <oneapi/dnnl/dnnl.hpp>

#include "backends/backend.hpp"

namespace nnrun::onednn {

struct EltwiseOp {
  dnnl::algorithm alg;  // the eltwise primitives' algorithm (forward and backward)
  float alpha;
  // The backward reads the forward result instead of its input. True for every activation
  // but gelu: relu and leaky_relu (alpha >= 0: dst > 0 exactly where src > 0), elu (for
  // src <= 0 the derivative alpha e^src is dst + alpha), sigmoid and tanh (y (1 - y),
  // 1 - y^2, as the reference writes them). Then a fused forward need not keep src.
  bool backward_uses_dst;
  dnnl::algorithm post_op_alg;  // the same function as a forward-only post-op algorithm
};

// Throws std::logic_error for Activation::none (it has no eltwise primitive).
EltwiseOp eltwise_op(const ActivationParams& act);

}  // namespace nnrun::onednn
