// Internal to the oneDNN backend: the matmul building blocks that the dense layer uses in
// f32 and bf16 (plain row-major descriptors, transposes as strides), its thread policy and
// the bias-gradient column sum.
#pragma once

#include <initializer_list>

#include <oneapi/dnnl/dnnl.hpp>

#include <cstdint>
#include <vector>

#include "backends/onednn/onednn_eltwise.hpp"
#include "backends/onednn/primitive_cache.hpp"

namespace nnrun::onednn {

// [rows, cols] in row-major order (`ab`), or the transposed view (`ba`) of a row-major
// [cols, rows] buffer: a transpose is only strides, so nothing is reordered or copied.
inline dnnl::memory::desc matrix(std::int64_t rows, std::int64_t cols,
                                 dnnl::memory::data_type type = dnnl::memory::data_type::f32,
                                 bool transposed = false) {
  using tag = dnnl::memory::format_tag;
  return {{rows, cols}, type, transposed ? tag::ba : tag::ab};
}

// Threads for a dense product, f32 or bf16. bf16 once had a higher bar (16M multiply-adds):
// alone, with hot operands, one thread won below it. In the step, where the weight gradient
// is written to memory no longer in cache, two threads won: bench/step_profile bf16 batch 32
// 322-389 -> 269-318 us a step (3 alternating runs each), batch 128 685 -> 620 us (mean of 4).
inline Threads dense_threads(std::int64_t n, std::int64_t in, std::int64_t out) {
  return n * in * out >= kParallelMacs ? Threads::all : Threads::one;
}

// dst = post_op(a * b (+ bias)), as a cached-primitive recipe: arguments in the order
// src, weights, [bias,] dst.
inline BuiltPrimitive matmul(const dnnl::engine& eng, const dnnl::memory::desc& a,
                             const dnnl::memory::desc& b, const dnnl::memory::desc& dst,
                             const dnnl::memory::desc* bias = nullptr,
                             const EltwiseOp* post_op = nullptr) {
  const dnnl::matmul::desc desc =
      bias ? dnnl::matmul::desc(a, b, *bias, dst) : dnnl::matmul::desc(a, b, dst);
  dnnl::primitive_attr attr;
  if (post_op) {
    dnnl::post_ops ops;
    ops.append_eltwise(1.0f, post_op->post_op_alg, post_op->alpha, 0.0f);
    attr.set_post_ops(ops);
  }
  const dnnl::matmul::primitive_desc pd(desc, attr, eng);
  std::vector<ArgSpec> args{{DNNL_ARG_SRC, pd.src_desc()}, {DNNL_ARG_WEIGHTS, pd.weights_desc()}};
  if (bias) args.push_back({DNNL_ARG_BIAS, pd.bias_desc()});
  args.push_back({DNNL_ARG_DST, pd.dst_desc()});
  return {dnnl::matmul(pd), std::move(args)};
}

// dbias[o] = sum over rows of ddst[:, o], rows added in order as the reference does.
void column_sums(const float* ddst, float* dbias, std::int64_t n, std::int64_t out);

// One array to round to bfloat16: dst[i] = src[i], i < n (nearest, ties to even; NaN stays NaN).
struct Bf16Conversion {
  const float* src;
  std::uint16_t* dst;
  std::int64_t n;
};

// dst[i] = bf16(src[i]) for i < n on the calling thread (AVX512-BF16 only, as below).
void round_to_bf16(const float* src, std::uint16_t* dst, std::int64_t n);

// Every conversion given, in one parallel region when they are large together (each region
// wakes the sleeping OpenMP threads: one per product, not one per operand). Needs
// AVX512-BF16: call it only in MatmulPrecision::bf16.
void to_bf16(std::initializer_list<Bf16Conversion> conversions);
void to_bf16(const Bf16Conversion* conversions, std::size_t count);

}  // namespace nnrun::onednn
