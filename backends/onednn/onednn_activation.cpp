// oneDNN backend activations: eltwise forward/backward primitives cached per (algorithm,
// alpha, size); `none` is a copy, or nothing at all when the op is in place.
#include <cstring>
#include <stdexcept>

#include "backends/onednn/onednn_backend.hpp"
#include "backends/onednn/onednn_eltwise.hpp"
#include "backends/onednn/onednn_util.hpp"
#include "backends/onednn/primitive_cache.hpp"

namespace nnrun {
using onednn::BuiltPrimitive;
using onednn::fail;
using onednn::OpKind;
using onednn::plain_f32;
using onednn::PrimitiveKey;
using onednn::require_f32;
using onednn::threads_for_elements;

namespace onednn {

EltwiseOp eltwise_op(const ActivationParams& act) {
  using dnnl::algorithm;
  const auto alpha = static_cast<float>(act.alpha);
  switch (act.kind) {
    case Activation::relu:
      return {algorithm::eltwise_relu_use_dst_for_bwd, 0.0f, true, algorithm::eltwise_relu};
    case Activation::leaky_relu:  // relu with a negative slope
      return {algorithm::eltwise_relu_use_dst_for_bwd, alpha, true, algorithm::eltwise_relu};
    case Activation::elu:
      return {algorithm::eltwise_elu_use_dst_for_bwd, alpha, true, algorithm::eltwise_elu};
    // The exact erf form, as the reference computes it (not the tanh approximation).
    case Activation::gelu:
      return {algorithm::eltwise_gelu_erf, 0.0f, false, algorithm::eltwise_gelu_erf};
    case Activation::sigmoid:
      return {algorithm::eltwise_logistic_use_dst_for_bwd, 0.0f, true, algorithm::eltwise_logistic};
    case Activation::tanh:
      return {algorithm::eltwise_tanh_use_dst_for_bwd, 0.0f, true, algorithm::eltwise_tanh};
    case Activation::none:
      break;
  }
  throw std::logic_error("eltwise_op: activation none has no eltwise primitive");
}

}  // namespace onednn

namespace {

using onednn::eltwise_op;
using onednn::EltwiseOp;

// The whole tensor as one flat vector: eltwise ignores shape, and a flat key lets layers of
// equal size share a primitive.
dnnl::eltwise_forward::primitive_desc forward_pd(const EltwiseOp& op, std::int64_t size,
                                                 const dnnl::engine& eng) {
  return {{dnnl::prop_kind::forward_training, op.alg, plain_f32(size), op.alpha, 0.0f}, eng};
}

void copy_unless_same(Tensor src, Tensor dst) {
  if (src.data != dst.data && src.bytes() > 0) std::memmove(dst.data, src.data, src.bytes());
}

}  // namespace

void OneDnnBackend::activation_forward(ActivationParams act, Tensor src, Tensor dst) {
  note_written({dst});
  require_f32("activation_forward", {src, dst});
  if (src.size() != dst.size()) fail("activation_forward", "size mismatch", {src, dst});
  if (src.size() == 0) return;
  if (act.kind == Activation::none) return copy_unless_same(src, dst);

  const EltwiseOp op = eltwise_op(act);
  const std::int64_t size = src.size();
  const PrimitiveKey key{
      .op = OpKind::eltwise_forward, .algorithm = op.alg, .alpha = op.alpha, .dims = {size, 0, 0}};
  auto& entry = cache_->get(key, threads_for_elements(size), [&] {
    const auto pd = forward_pd(op, size, cache_->engine());
    return BuiltPrimitive{dnnl::eltwise_forward(pd),
                          {{DNNL_ARG_SRC, pd.src_desc()}, {DNNL_ARG_DST, pd.dst_desc()}}};
  });
  cache_->execute(entry, {src.data, dst.data});  // src == dst is fine: eltwise runs in place
}

// dsrc = ddst * act'(src); dst is the forward result, read instead of src by every activation
// but gelu (so a fused dense_activation_forward may leave src, the pre-activation, unwritten).
void OneDnnBackend::activation_backward(ActivationParams act, Tensor src, Tensor dst, Tensor ddst,
                                        Tensor dsrc) {
  note_written({dsrc});
  require_f32("activation_backward", {src, dst, ddst, dsrc});
  if (src.size() != dst.size() || ddst.size() != src.size() || dsrc.size() != src.size())
    fail("activation_backward", "size mismatch (src, dst, ddst, dsrc)", {src, dst, ddst, dsrc});
  if (src.size() == 0) return;
  if (act.kind == Activation::none) return copy_unless_same(ddst, dsrc);

  const EltwiseOp op = eltwise_op(act);
  const std::int64_t size = src.size();
  const PrimitiveKey key{
      .op = OpKind::eltwise_backward, .algorithm = op.alg, .alpha = op.alpha, .dims = {size, 0, 0}};
  auto& entry = cache_->get(key, threads_for_elements(size), [&] {
    const auto hint = forward_pd(op, size, cache_->engine());
    const dnnl::eltwise_backward::primitive_desc pd(
        {op.alg, plain_f32(size), plain_f32(size), op.alpha, 0.0f}, cache_->engine(), hint);
    const int data_arg = op.backward_uses_dst ? DNNL_ARG_DST : DNNL_ARG_SRC;
    return BuiltPrimitive{dnnl::eltwise_backward(pd),
                          {{data_arg, plain_f32(size)},
                           {DNNL_ARG_DIFF_DST, pd.diff_dst_desc()},
                           {DNNL_ARG_DIFF_SRC, pd.diff_src_desc()}}};
  });
  void* data = op.backward_uses_dst ? dst.data : src.data;
  cache_->execute(entry, {data, ddst.data, dsrc.data});
}

}  // namespace nnrun
