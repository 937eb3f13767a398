// The oneDNN CPU backend: dense layers and activations run as oneDNN primitives built once
// per shape; losses, optimizers, dropout, clipping and row gathers are deterministic loops.
// Dense products run in f32, or in bf16 (MatmulPrecision::bf16) with f32 everywhere else.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "backends/backend.hpp"

namespace nnrun {

namespace onednn {
class PrimitiveCache;
struct EltwiseOp;
}  // namespace onednn

// How the dense layers' matrix products are computed. bf16: the operands (activations,
// weights, gradients, all f32 tensors) are rounded to bfloat16 just before each product,
// which accumulates in f32 and writes f32 (AMX or AVX512-BF16 instructions). Parameters,
// optimizer state, activations, losses and metrics stay f32: mixed precision with f32
// master weights.
enum class MatmulPrecision : std::uint8_t { f32, bf16 };

// Compute primitives accept f32 only; memory primitives accept every dtype. Metrics are the
// f64 accumulator that Backend describes. Not thread-safe: one training loop drives it.
class OneDnnBackend final : public Backend {
 public:
  // threads: 0 = the runtime's default (all cores); > 0 sets the OpenMP thread count.
  // precision bf16 throws std::invalid_argument on a CPU without bf16 instructions.
  explicit OneDnnBackend(int threads, MatmulPrecision precision = MatmulPrecision::f32);

  // Whether this CPU computes bf16 products natively (AVX512-BF16 or AMX), i.e. whether
  // MatmulPrecision::bf16 is available. Cheap; for config checks.
  static bool bf16_supported();
  MatmulPrecision precision() const { return precision_; }
  ~OneDnnBackend() override;
  OneDnnBackend(const OneDnnBackend&) = delete;
  OneDnnBackend& operator=(const OneDnnBackend&) = delete;

  std::string name() const override { return "cpu"; }
  std::string description() const override;
  std::vector<std::pair<std::string, std::string>> library_versions() const override;
  bool supports(DType dtype) const override { return dtype == DType::f32; }

  void* allocate(std::size_t bytes) override;
  void release(void* ptr) noexcept override;
  void upload(Tensor dst, const void* host_src) override;
  void download(Tensor src, void* host_dst) override;
  void fill_zero(Tensor dst) override;
  void gather_rows(Tensor src, Tensor index, Tensor dst) override;

  void dense_forward(Tensor src, Tensor weights, Tensor bias, Tensor dst) override;
  void dense_backward(Tensor src, Tensor weights, Tensor ddst, Tensor dsrc, Tensor dweights,
                      Tensor dbias) override;

  // relu, leaky_relu, elu, sigmoid and tanh run as one matmul with the activation as a
  // post-op, leaving linear unwritten (their backward reads dst); gelu and none do not fuse.
  void dense_activation_forward(ActivationParams act, Tensor src, Tensor weights, Tensor bias,
                                Tensor linear, Tensor dst) override;
  // relu and leaky_relu (slope >= 0): the activation's gradient and the bias gradient in
  // one pass over ddst; other activations take the default.
  void dense_activation_backward(ActivationParams act, Tensor src, Tensor weights, Tensor linear,
                                 Tensor dst, Tensor ddst, Tensor dlinear, Tensor dsrc,
                                 Tensor dweights, Tensor dbias) override;
  void activation_forward(ActivationParams act, Tensor src, Tensor dst) override;
  void activation_backward(ActivationParams act, Tensor src, Tensor dst, Tensor ddst,
                           Tensor dsrc) override;

  void softmax_cross_entropy(Tensor logits, Tensor labels, Tensor dlogits, Tensor metrics) override;
  void sigmoid_binary_cross_entropy(Tensor logits, Tensor labels, Tensor dlogits,
                                    Tensor metrics) override;
  void mean_squared_error(Tensor pred, Tensor targets, Tensor dpred, Tensor metrics) override;

  void dropout_forward(DropoutParams p, Tensor src, Tensor mask, Tensor dst) override;
  void dropout_backward(Tensor ddst, Tensor mask, Tensor dsrc) override;
  void clip_grad_norm(Tensor grads, double max_norm, Tensor metrics) override;

  void sgd_step(const SgdParams& p, Tensor params, Tensor grads, Tensor velocity,
                Tensor guard) override;
  void adam_step(const AdamParams& p, Tensor params, Tensor grads, Tensor m, Tensor v,
                 Tensor guard) override;
  void rmsprop_step(const RmspropParams& p, Tensor params, Tensor grads, Tensor square_avg,
                    Tensor momentum_buffer, Tensor grad_avg, Tensor guard) override;

  // How many oneDNN primitives have been built: one per (op, shape, activation), so tests
  // can check that repeated calls reuse them and a ragged last batch adds one entry.
  std::size_t primitives_created() const;
  // How many bf16 copies of layer inputs are kept (for tests).
  std::size_t bf16_input_copies() const { return bf16_inputs_.kept(); }

 private:
  // What softmax_cross_entropy keeps per row between its passes. Rows are processed in
  // parallel, then summed serially in row order, so the metrics do not depend on threads.
  struct SoftmaxRow {
    std::int64_t argmax = 0;  // first maximal logit
    float margin = 0;         // logits[argmax] - logits[label]
    double loss = 0;
  };

  // A 64-byte aligned bf16 buffer that grows to the largest operand, then is reused: no
  // allocation in a steady-state step.
  class Bf16Scratch {
   public:
    std::uint16_t* get(std::int64_t elements);
    const std::uint16_t* peek() const { return data_.get(); }

   private:
    struct Free {
      void operator()(std::uint16_t* p) const noexcept;
    };
    std::unique_ptr<std::uint16_t, Free> data_;
    std::int64_t capacity_ = 0;
  };

  // dst = post_op(src * weights^T + bias), post_op null for none (arguments checked).
  void dense_forward_with(Tensor src, Tensor weights, Tensor bias, Tensor dst,
                          const onednn::EltwiseOp* post_op);
  // The bf16 versions of dense_forward / dense_backward (arguments already checked).
  void dense_forward_bf16(Tensor src, Tensor weights, Tensor bias, Tensor dst,
                          const onednn::EltwiseOp* post_op);
  void dense_backward_bf16(Tensor src, Tensor weights, Tensor ddst, Tensor dsrc, Tensor dweights);
  // dsrc (unless empty) and dweights from ddst, in the configured precision (checked).
  void dense_backward_products(Tensor src, Tensor weights, Tensor ddst, Tensor dsrc,
                               Tensor dweights);
  // The two products from operands already in f32, or rounded to bf16: dsrc (unless null)
  // = ddst * weights, dweights = ddst^T * src, both written in f32.
  // dst = post_op(src * weights^T + bias) with f32 or bf16 operands (already in that type;
  // bias and dst f32): the one cached forward product of both precisions.
  struct ForwardOperands {
    void *src, *weights, *bias, *dst;
  };
  void run_forward_product(bool bf16, std::int64_t n, std::int64_t in, std::int64_t out,
                           const onednn::EltwiseOp* post_op, const ForwardOperands& operands);
  struct BackwardOperands {
    void *ddst, *weights, *src, *dsrc, *dweights;
  };
  void run_backward_products(bool bf16, std::int64_t n, std::int64_t in, std::int64_t out,
                             const BackwardOperands& operands);

  // bf16 only: the bf16 rounding of the parameter arena the last optimizer step wrote, made
  // in the same pass as the update, while each chunk is in cache. The products read their
  // weights from it instead of rounding them again: a separate pass over the weights cost
  // 10 % of a bf16 step's CPU time (perf, Fashion-MNIST MLP), mostly waiting on memory.
  // Only optimizer steps, upload, fill_zero and gather_rows write memory that may hold
  // parameters (the compute ops write activations and gradients); the memory ops and
  // release() drop the copy when they touch the arena.
  class Bf16WeightCopy {
   public:
    // Where the optimizer step over params writes the copy (null in f32 mode: no copy).
    std::uint16_t* begin_update(Tensor params, bool enabled);
    void end_update() { valid_ = base_ != nullptr; }
    // The copy of weights (read-only), or null when weights are not (all) in a valid copy.
    std::uint16_t* find(Tensor weights) const;
    void forget_if_overlaps(const void* ptr, std::size_t bytes);

   private:
    const char* base_ = nullptr;
    std::int64_t size_ = 0;
    bool valid_ = false;
    std::uint16_t* copy_ = nullptr;  // in data_
    Bf16Scratch data_;
  };

  // bf16 only: the bf16 rounding of dense layers' inputs, each made once a step and read by
  // every product that needs it: the layer's forward and, in the backward, its weight
  // gradient, which otherwise rounded the same input again (7 % of a bf16 step,
  // bench/step_profile); gather_rows makes the batch's while its rows are in cache. A copy is
  // keyed by its f32 source's address and length, and every op that writes memory drops the
  // copies its outputs overlap (note_written), so a copy is read only while its source holds
  // what it was made from.
  class Bf16InputCopies {
   public:
    const std::uint16_t* find(const void* src, std::int64_t elements) const;
    // A buffer for the copy of src[0, elements), valid once the caller has filled it.
    std::uint16_t* make(const void* src, std::int64_t elements);
    void forget_if_overlaps(const void* ptr, std::size_t bytes);
    void forget_all();
    bool any() const { return valid_count_ > 0; }
    // Whether src[0, elements) had a copy before, valid or not.
    bool has_slot(const void* src, std::int64_t elements) const;
    // Whether src[0, elements) was met before (and notes it): a source met once, such as
    // one of the batches an evaluation slices from a data set, is not worth a kept copy.
    bool seen_before(const void* src, std::int64_t elements);
    std::size_t kept() const { return entries_.size(); }

   private:
    struct Entry {
      const char* src = nullptr;
      std::int64_t elements = 0;
      bool valid = false;
      Bf16Scratch data;
    };
    static constexpr std::size_t kMaxEntries = 16;  // a layer's input each: few
    std::vector<Entry> entries_;
    std::size_t next_evicted_ = 0;
    std::size_t valid_count_ = 0;
    std::array<std::pair<const void*, std::int64_t>, kMaxEntries> seen_{};
    std::size_t next_seen_ = 0;
  };
  // Drops the bf16 input copies that the outputs of an op overlap (call before writing).
  void note_written(std::initializer_list<Tensor> outputs) {
    if (!bf16_inputs_.any()) return;
    for (const Tensor& t : outputs)
      if (t.data != nullptr) bf16_inputs_.forget_if_overlaps(t.data, t.bytes());
  }
  // The bf16 copy of a dense layer's input src, made now unless a valid one exists.
  const std::uint16_t* bf16_input(Tensor src);

  MatmulPrecision precision_ = MatmulPrecision::f32;
  Bf16WeightCopy bf16_weight_copy_;
  Bf16InputCopies bf16_inputs_;
  std::unique_ptr<onednn::PrimitiveCache> cache_;
  Bf16Scratch bf16_src_, bf16_weights_, bf16_ddst_;  // one product's, when not kept above
  // Grown to the largest batch seen, then reused: no allocation in a steady-state step.
  std::vector<SoftmaxRow> softmax_rows_;
  std::vector<float> softmax_scratch_;  // probabilities when the caller wants no gradient
  // clip_grad_norm's per-chunk sums of squares: fixed-size chunks, added in chunk order, so
  // the norm does not depend on the thread count.
  std::vector<double> norm_partials_;
};

}  // namespace nnrun
