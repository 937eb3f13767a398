// oneDNN backend dense layer: three matmul primitives per (N, I, O) on plain row-major
// buffers (forward with the bias and optionally the activation fused, the data gradient, the
// weight gradient), plus the bias gradient as a column sum of ddst. The bf16 products are in
// onednn_dense_bf16.cpp.
//
// Why matmul and not inner_product: on the Fashion-MNIST MLP's products (batch 128,
// 784-256-128-10) oneDNN 2.6 picks its gemm-based inner product (`gemm:jit`, with a separate
// pass for the bias) but a brgemm matmul (`brg:avx512_core`); bench/matmul_peak timed one
// step's products at 560-870 us with matmul and 640-1120 us with inner_product (2 threads,
// and 1 thread, on a shared 2-core Xeon with AMX). Transposes are only strides in the memory
// descriptors, so nothing is reordered or copied.
#include <cstring>

#include "backends/onednn/onednn_backend.hpp"
#include "backends/onednn/onednn_matmul.hpp"
#include "backends/onednn/onednn_util.hpp"

namespace nnrun {
using onednn::dense_threads;
using onednn::fail;
using onednn::matmul;
using onednn::matrix;
using onednn::OpKind;
using onednn::PrimitiveKey;
using onednn::require_f32;
using onednn::Threads;

namespace onednn {

// Each row's add is vectorized across the columns; O(N * O), small next to the products.
NNRUN_VECTOR_CLONES
void column_sums(const float* __restrict ddst, float* __restrict dbias, std::int64_t n,
                 std::int64_t out) {
  std::memcpy(dbias, ddst, static_cast<std::size_t>(out) * sizeof(float));
  for (std::int64_t i = 1; i < n; ++i) {
    const float* row = ddst + i * out;
    NNRUN_OMP("omp simd")
    for (std::int64_t o = 0; o < out; ++o) dbias[o] += row[o];
  }
}

}  // namespace onednn

namespace {
void check_dense_forward(const char* op, Tensor src, Tensor weights, Tensor bias, Tensor dst) {
  const std::int64_t n = src.rows, in = src.cols, out = weights.rows;
  require_f32(op, {src, weights, bias, dst});
  if (in <= 0 || out <= 0 || weights.cols != in || bias.size() != out || dst.rows != n ||
      dst.cols != out)
    fail(op, "shape mismatch (src, weights, bias, dst)", {src, weights, bias, dst});
}
}  // namespace

// dst[N,O] = src[N,I] * weights[O,I]^T + bias[1,O]
void OneDnnBackend::dense_forward(Tensor src, Tensor weights, Tensor bias, Tensor dst) {
  note_written({dst});
  check_dense_forward("dense_forward", src, weights, bias, dst);
  if (src.rows > 0) dense_forward_with(src, weights, bias, dst, nullptr);
}

// dst = act(src * weights^T + bias) in one matmul with the activation as a post-op: it
// replaces a pass of activation_forward over the layer's output, which costs more than the
// element count suggests because the product was written by both threads.
void OneDnnBackend::dense_activation_forward(ActivationParams act, Tensor src, Tensor weights,
                                             Tensor bias, Tensor linear, Tensor dst) {
  note_written({linear, dst});
  if (act.kind == Activation::none || !onednn::eltwise_op(act).backward_uses_dst)
    return Backend::dense_activation_forward(act, src, weights, bias, linear, dst);
  check_dense_forward("dense_activation_forward", src, weights, bias, dst);
  const onednn::EltwiseOp op = onednn::eltwise_op(act);
  if (src.rows > 0) dense_forward_with(src, weights, bias, dst, &op);
}

void OneDnnBackend::dense_forward_with(Tensor src, Tensor weights, Tensor bias, Tensor dst,
                                       const onednn::EltwiseOp* post_op) {
  if (precision_ == MatmulPrecision::bf16)
    return dense_forward_bf16(src, weights, bias, dst, post_op);
  run_forward_product(false, src.rows, src.cols, weights.rows, post_op,
                      {src.data, weights.data, bias.data, dst.data});
}

void OneDnnBackend::run_forward_product(bool bf16, std::int64_t n, std::int64_t in,
                                        std::int64_t out, const onednn::EltwiseOp* post_op,
                                        const ForwardOperands& o) {
  const PrimitiveKey key{.op = OpKind::dense_forward,
                         .algorithm = post_op ? post_op->post_op_alg : dnnl::algorithm::undef,
                         .alpha = post_op ? post_op->alpha : 0.0f,
                         .dims = {n, in, out}};
  auto& entry = cache_->get(key, dense_threads(n, in, out), [&] {
    using type = dnnl::memory::data_type;
    const type operand = bf16 ? type::bf16 : type::f32;
    const dnnl::memory::desc bias_desc = matrix(1, out);
    return matmul(cache_->engine(), matrix(n, in, operand), matrix(in, out, operand, true),
                  matrix(n, out), &bias_desc, post_op);
  });
  cache_->execute(entry, {o.src, o.weights, o.bias, o.dst});
}

namespace {

void check_dense_backward(const char* op, Tensor src, Tensor weights, Tensor ddst, Tensor dsrc,
                          Tensor dweights, Tensor dbias) {
  const std::int64_t n = src.rows, in = src.cols, out = weights.rows;
  require_f32(op, {src, weights, ddst, dweights, dbias});
  if (in <= 0 || out <= 0 || weights.cols != in || ddst.rows != n || ddst.cols != out ||
      dweights.size() != out * in || dbias.size() != out)
    fail(op, "shape mismatch (src, weights, ddst, dweights, dbias)",
         {src, weights, ddst, dweights, dbias});
  if (!dsrc.empty()) {
    require_f32(op, {dsrc});
    if (dsrc.rows != n || dsrc.cols != in) fail(op, "dsrc must be shaped like src", {src, dsrc});
  }
}

// No samples: the gradients are zero, as the sums over rows are empty.
void zero_parameter_gradients(Tensor dweights, Tensor dbias) {
  std::memset(dweights.data, 0, dweights.bytes());
  std::memset(dbias.data, 0, dbias.bytes());
}

// dlinear = ddst * (dst > 0 ? 1 : slope) and dbias = its column sums, in one pass over ddst
// (relu is slope 0). With slope >= 0, dst > 0 exactly where the pre-activation is, so this is
// the reference's derivative. The sums add rows in order, as column_sums does.
NNRUN_VECTOR_CLONES
void relu_backward_with_bias(const float* __restrict dst, const float* __restrict ddst,
                             float* __restrict dlinear, float* __restrict dbias, float slope,
                             std::int64_t n, std::int64_t out) {
  for (std::int64_t i = 0; i < n; ++i) {
    const float* y = dst + i * out;
    const float* dy = ddst + i * out;
    float* dx = dlinear + i * out;
    if (i == 0) {
      NNRUN_OMP("omp simd")
      for (std::int64_t o = 0; o < out; ++o) {
        dx[o] = dy[o] * (y[o] > 0 ? 1.0f : slope);
        dbias[o] = dx[o];
      }
    } else {
      NNRUN_OMP("omp simd")
      for (std::int64_t o = 0; o < out; ++o) {
        dx[o] = dy[o] * (y[o] > 0 ? 1.0f : slope);
        dbias[o] += dx[o];
      }
    }
  }
}

}  // namespace

// dsrc[N,I] = ddst[N,O] * weights[O,I] (skipped when dsrc is empty);
// dweights[O,I] = ddst^T * src; dbias[1,O] = column sums of ddst.
void OneDnnBackend::dense_backward(Tensor src, Tensor weights, Tensor ddst, Tensor dsrc,
                                   Tensor dweights, Tensor dbias) {
  note_written({dsrc, dweights, dbias});
  check_dense_backward("dense_backward", src, weights, ddst, dsrc, dweights, dbias);
  const std::int64_t n = src.rows, out = weights.rows;
  if (n == 0) return zero_parameter_gradients(dweights, dbias);
  onednn::column_sums(static_cast<const float*>(ddst.data), static_cast<float*>(dbias.data), n,
                      out);
  dense_backward_products(src, weights, ddst, dsrc, dweights);
}

// Measured with bench/step_profile (Fashion-MNIST MLP, batch 128): activation_backward as an
// eltwise primitive took 30-37 us a step and column_sums another pass over ddst; this pass
// does both.
void OneDnnBackend::dense_activation_backward(ActivationParams act, Tensor src, Tensor weights,
                                              Tensor linear, Tensor dst, Tensor ddst,
                                              Tensor dlinear, Tensor dsrc, Tensor dweights,
                                              Tensor dbias) {
  note_written({dlinear, dsrc, dweights, dbias});
  const bool relu_like =
      act.kind == Activation::relu || (act.kind == Activation::leaky_relu && act.alpha >= 0);
  if (!relu_like)
    return Backend::dense_activation_backward(act, src, weights, linear, dst, ddst, dlinear, dsrc,
                                              dweights, dbias);
  constexpr const char* kOp = "dense_activation_backward";
  check_dense_backward(kOp, src, weights, ddst, dsrc, dweights, dbias);
  require_f32(kOp, {dst, dlinear});
  if (dst.size() != ddst.size() || dlinear.size() != ddst.size())
    fail(kOp, "dst and dlinear must be shaped like ddst", {ddst, dst, dlinear});
  const std::int64_t n = src.rows, out = weights.rows;
  if (n == 0) return zero_parameter_gradients(dweights, dbias);
  const float slope = act.kind == Activation::relu ? 0.0f : static_cast<float>(act.alpha);
  relu_backward_with_bias(static_cast<const float*>(dst.data), static_cast<const float*>(ddst.data),
                          static_cast<float*>(dlinear.data), static_cast<float*>(dbias.data), slope,
                          n, out);
  dense_backward_products(src, weights, dlinear, dsrc, dweights);
}

void OneDnnBackend::dense_backward_products(Tensor src, Tensor weights, Tensor ddst, Tensor dsrc,
                                            Tensor dweights) {
  if (precision_ == MatmulPrecision::bf16)
    return dense_backward_bf16(src, weights, ddst, dsrc, dweights);
  run_backward_products(
      false, src.rows, src.cols, weights.rows,
      {ddst.data, weights.data, src.data, dsrc.empty() ? nullptr : dsrc.data, dweights.data});
}

// Both products, large enough for two threads, with exactly two: one thread each, side by
// side. bench/step_profile (784-256-128-10, batch 128): one parallel region fewer a step.
void OneDnnBackend::run_backward_products(bool bf16, std::int64_t n, std::int64_t in,
                                          std::int64_t out, const BackwardOperands& operands) {
  using type = dnnl::memory::data_type;
  const type operand = bf16 ? type::bf16 : type::f32;
  const Threads threads = dense_threads(n, in, out);
  const auto build_data = [&] {
    return matmul(cache_->engine(), matrix(n, out, operand), matrix(out, in, operand),
                  matrix(n, in));
  };
  const auto build_weights = [&] {  // ddst^T: the [N, O] buffer read as [O, N]
    return matmul(cache_->engine(), matrix(out, n, operand, true), matrix(n, in, operand),
                  matrix(out, in));
  };
  const BackwardOperands& o = operands;
  if (o.dsrc != nullptr && n * in * out >= onednn::kParallelMacs && onednn::max_threads() == 2) {
    auto& data_entry =
        cache_->get({.op = OpKind::dense_backward_data_side_by_side, .dims = {n, in, out}},
                    Threads::one, build_data);
    auto& weights_entry =
        cache_->get({.op = OpKind::dense_backward_weights_side_by_side, .dims = {n, in, out}},
                    Threads::one, build_weights);
    cache_->execute_side_by_side(data_entry, {o.ddst, o.weights, o.dsrc}, weights_entry,
                                 {o.ddst, o.src, o.dweights});
    return;
  }
  if (o.dsrc != nullptr) {
    auto& entry =
        cache_->get({.op = OpKind::dense_backward_data, .dims = {n, in, out}}, threads, build_data);
    cache_->execute(entry, {o.ddst, o.weights, o.dsrc});
  }
  auto& entry = cache_->get({.op = OpKind::dense_backward_weights, .dims = {n, in, out}}, threads,
                            build_weights);
  cache_->execute(entry, {o.ddst, o.src, o.dweights});
}

}  // namespace nnrun
