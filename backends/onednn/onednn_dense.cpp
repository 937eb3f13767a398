// oneDNN backend dense layer: inner_product forward (with bias), backward_data and
// backward_weights (which also gives diff_bias), built once per (N, I, O) and cached.
#include <cstring>

#include "backends/onednn/onednn_backend.hpp"
#include "backends/onednn/onednn_util.hpp"
#include "backends/onednn/primitive_cache.hpp"

namespace nnrun {
using onednn::BuiltPrimitive;
using onednn::fail;
using onednn::OpKind;
using onednn::plain_f32;
using onednn::PrimitiveKey;
using onednn::require_f32;

namespace {

using dnnl::inner_product_backward_data;
using dnnl::inner_product_backward_weights;
using dnnl::inner_product_forward;
using tag = dnnl::memory::format_tag;

// Descriptors of one dense layer. Weights are [O, I] row-major (PyTorch layout), which is
// oneDNN's plain `oi`; activations are `nc`; the bias is a vector `x`. With these fixed
// plain layouts oneDNN picks its gemm-based inner product, and nothing is reordered.
struct DenseDescs {
  dnnl::memory::desc src, weights, bias, dst;
  DenseDescs(std::int64_t n, std::int64_t in, std::int64_t out)
      : src(plain_f32(n, in, tag::nc)),
        weights(plain_f32(out, in, tag::oi)),
        bias(plain_f32(out)),
        dst(plain_f32(n, out, tag::nc)) {}
};

// The forward descriptor that the backward primitives take as a hint.
inner_product_forward::primitive_desc forward_pd(const DenseDescs& d, const dnnl::engine& eng) {
  return {{dnnl::prop_kind::forward_training, d.src, d.weights, d.bias, d.dst}, eng};
}

}  // namespace

// dst[N,O] = src[N,I] * weights[O,I]^T + bias[1,O]
void OneDnnBackend::dense_forward(Tensor src, Tensor weights, Tensor bias, Tensor dst) {
  const std::int64_t n = src.rows, in = src.cols, out = weights.rows;
  require_f32("dense_forward", {src, weights, bias, dst});
  if (in <= 0 || out <= 0 || weights.cols != in || bias.size() != out || dst.rows != n ||
      dst.cols != out)
    fail("dense_forward", "shape mismatch (src, weights, bias, dst)", {src, weights, bias, dst});
  if (n == 0) return;

  const PrimitiveKey key{.op = OpKind::dense_forward, .dims = {n, in, out}};
  auto& entry = cache_->get(key, [&] {
    const DenseDescs d(n, in, out);
    const auto pd = forward_pd(d, cache_->engine());
    return BuiltPrimitive{inner_product_forward(pd),
                          {{DNNL_ARG_SRC, pd.src_desc()},
                           {DNNL_ARG_WEIGHTS, pd.weights_desc()},
                           {DNNL_ARG_BIAS, pd.bias_desc()},
                           {DNNL_ARG_DST, pd.dst_desc()}}};
  });
  cache_->execute(entry, {src.data, weights.data, bias.data, dst.data});
}

// dsrc[N,I] = ddst[N,O] * weights[O,I] (skipped when dsrc is empty);
// dweights[O,I] = ddst^T * src; dbias[1,O] = column sums of ddst.
void OneDnnBackend::dense_backward(Tensor src, Tensor weights, Tensor ddst, Tensor dsrc,
                                   Tensor dweights, Tensor dbias) {
  const std::int64_t n = src.rows, in = src.cols, out = weights.rows;
  require_f32("dense_backward", {src, weights, ddst, dweights, dbias});
  if (in <= 0 || out <= 0 || weights.cols != in || ddst.rows != n || ddst.cols != out ||
      dweights.size() != out * in || dbias.size() != out)
    fail("dense_backward", "shape mismatch (src, weights, ddst, dweights, dbias)",
         {src, weights, ddst, dweights, dbias});
  const bool want_dsrc = !dsrc.empty();
  if (want_dsrc) {
    require_f32("dense_backward", {dsrc});
    if (dsrc.rows != n || dsrc.cols != in)
      fail("dense_backward", "dsrc must be shaped like src", {src, dsrc});
  }
  if (n == 0) {  // no samples: the gradients are zero, as the sums over rows are empty
    std::memset(dweights.data, 0, dweights.bytes());
    std::memset(dbias.data, 0, dbias.bytes());
    return;
  }

  if (want_dsrc) {
    const PrimitiveKey key{.op = OpKind::dense_backward_data, .dims = {n, in, out}};
    auto& entry = cache_->get(key, [&] {
      const DenseDescs d(n, in, out);
      const auto hint = forward_pd(d, cache_->engine());
      const inner_product_backward_data::primitive_desc pd({d.src, d.weights, d.dst},
                                                           cache_->engine(), hint);
      return BuiltPrimitive{inner_product_backward_data(pd),
                            {{DNNL_ARG_DIFF_DST, pd.diff_dst_desc()},
                             {DNNL_ARG_WEIGHTS, pd.weights_desc()},
                             {DNNL_ARG_DIFF_SRC, pd.diff_src_desc()}}};
    });
    cache_->execute(entry, {ddst.data, weights.data, dsrc.data});
  }

  const PrimitiveKey key{.op = OpKind::dense_backward_weights, .dims = {n, in, out}};
  auto& entry = cache_->get(key, [&] {
    const DenseDescs d(n, in, out);
    const auto hint = forward_pd(d, cache_->engine());
    const inner_product_backward_weights::primitive_desc pd({d.src, d.weights, d.bias, d.dst},
                                                            cache_->engine(), hint);
    return BuiltPrimitive{inner_product_backward_weights(pd),
                          {{DNNL_ARG_SRC, pd.src_desc()},
                           {DNNL_ARG_DIFF_DST, pd.diff_dst_desc()},
                           {DNNL_ARG_DIFF_WEIGHTS, pd.diff_weights_desc()},
                           {DNNL_ARG_DIFF_BIAS, pd.diff_bias_desc()}}};
  });
  cache_->execute(entry, {src.data, ddst.data, dweights.data, dbias.data});
}

}  // namespace nnrun
