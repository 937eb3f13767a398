// The one backend interface: memory the backend owns, and coarse paired forward/backward
// primitives. Core layers, losses and optimizers call these; only these have several
// implementations (reference loops, oneDNN, and later CUDA).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/tensor.hpp"

namespace nnrun {

enum class Activation : std::uint8_t { none, relu, leaky_relu, elu, gelu, sigmoid, tanh };

struct ActivationParams {
  Activation kind = Activation::none;
  double alpha = 0.0;  // leaky_relu: negative slope; elu: scale of the negative branch
};

// Slots of the per-backend metrics accumulator, a 1 x kMetricSlots f64 tensor that the
// loss primitives add into. It stays on the device and is read back once per epoch; the
// optimizer steps read kNonFinite from it on the device, so a bad batch stops all updates
// without the host reading anything per batch.
enum MetricSlot : int {
  kLossSum = 0,  // summed per-sample losses (a non-finite sample makes it non-finite too)
  kCorrect = 1,
  kSamples = 2,
  kNonFinite = 3,  // samples whose loss was not finite, plus non-finite gradient norms
  // Where the first non-finite event appeared, written only while kNonFinite is still 0: for
  // a loss, kSamples just before its batch (the batch's first sample offset); for a
  // gradient norm (losses finite), kSamples at the clip, i.e. just after that batch.
  kFirstNonFinite = 4,
  kGradNorm = 5,  // the global L2 norm from the last clip_grad_norm
  kMetricSlots = 6,
};

// torch.optim.SGD (dampening 0): d = g + weight_decay p; with momentum: buf = momentum buf
// + d (buf starts at 0), then d = nesterov ? d + momentum buf : buf; p -= lr d.
struct SgdParams {
  double lr = 0.01;
  double momentum = 0.0;
  bool nesterov = false;
  double weight_decay = 0.0;  // L2, added to the gradient (PyTorch semantics)
};

// torch.optim.Adam, or torch.optim.AdamW when decoupled_weight_decay is set.
// Adam: d = g + weight_decay p.  AdamW: p -= lr weight_decay p first (computed as torch does,
// p *= 1 - lr weight_decay), then d = g.
// Then m = beta1 m + (1 - beta1) d; v = beta2 v + (1 - beta2) d^2;
// p -= lr (m / (1 - beta1^step)) / (sqrt(v / (1 - beta2^step)) + eps).
struct AdamParams {
  double lr = 0.001;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.0;
  long step = 1;                        // 1-based step number, for bias correction
  bool decoupled_weight_decay = false;  // false: L2 added to the gradient; true: AdamW
};

// torch.optim.RMSprop: d = g + weight_decay p; v = alpha v + (1 - alpha) d^2;
// centered: ga = alpha ga + (1 - alpha) d, avg = sqrt(v - ga^2) + eps; else avg = sqrt(v) + eps;
// momentum > 0: buf = momentum buf + d / avg, p -= lr buf; else p -= lr d / avg.
// (v - ga^2 >= 0 in exact arithmetic; it is clamped at 0 so rounding cannot make a NaN.)
struct RmspropParams {
  double lr = 0.01;
  double alpha = 0.99;
  double eps = 1e-8;
  double weight_decay = 0.0;
  double momentum = 0.0;
  bool centered = false;
};

// Inverted dropout: each element is kept with probability 1 - rate and scaled by
// 1 / (1 - rate). Which elements are kept is a pure function of (seed, layer, step, element
// index, rate): core/util/dropout_mask.hpp, shared by every backend.
struct DropoutParams {
  double rate = 0.0;        // in [0, 1)
  std::uint64_t seed = 0;   // the run's seed
  std::uint64_t step = 0;   // the training step (a new mask every step)
  std::uint32_t layer = 0;  // the layer's index (a different mask per layer)
};

class Backend {
 public:
  virtual ~Backend() = default;

  // "reference", "cpu" (oneDNN) or "cuda".
  virtual std::string name() const = 0;
  // One line for logs: library versions, threads, ISA.
  virtual std::string description() const = 0;
  // The libraries doing the math and their versions, for summary.json: {"oneDNN", "2.6.3"}.
  virtual std::vector<std::pair<std::string, std::string>> library_versions() const { return {}; }
  // Which dtypes the compute primitives accept (memory primitives accept every dtype).
  virtual bool supports(DType dtype) const = 0;

  // --- memory ------------------------------------------------------------------------
  virtual void* allocate(std::size_t bytes) = 0;
  virtual void release(void* ptr) noexcept = 0;
  virtual void upload(Tensor dst, const void* host_src) = 0;  // dst.bytes() bytes
  virtual void download(Tensor src, void* host_dst) = 0;      // src.bytes() bytes
  virtual void fill_zero(Tensor dst) = 0;
  // dst[i, :] = src[index[i], :]; index is an i32 column of dst.rows entries.
  virtual void gather_rows(Tensor src, Tensor index, Tensor dst) = 0;

  // --- dense layer -------------------------------------------------------------------
  // dst[N,O] = src[N,I] * weights[O,I]^T + bias[1,O]
  virtual void dense_forward(Tensor src, Tensor weights, Tensor bias, Tensor dst) = 0;
  // dsrc[N,I] = ddst * weights (skipped when dsrc is empty: the first layer);
  // dweights[O,I] = ddst^T * src; dbias[1,O] = column sums of ddst. Gradients overwrite.
  virtual void dense_backward(Tensor src, Tensor weights, Tensor ddst, Tensor dsrc, Tensor dweights,
                              Tensor dbias) = 0;

  // --- element-wise activations ------------------------------------------------------
  virtual void activation_forward(ActivationParams act, Tensor src, Tensor dst) = 0;
  // dsrc = ddst * act'(src); dst is the forward result (may be used instead of src).
  virtual void activation_backward(ActivationParams act, Tensor src, Tensor dst, Tensor ddst,
                                   Tensor dsrc) = 0;

  // --- dense layer and its activation, fused where the backend can -----------------------
  // dst[N,O] = act(src * weights^T + bias); linear[N,O] = src * weights^T + bias. The default
  // runs dense_forward into linear, then activation_forward. A backend may instead apply the
  // activation as the product is written (one pass instead of two) and leave linear
  // unwritten for activations whose activation_backward it computes from dst alone.
  virtual void dense_activation_forward(ActivationParams act, Tensor src, Tensor weights,
                                        Tensor bias, Tensor linear, Tensor dst) {
    dense_forward(src, weights, bias, linear);
    activation_forward(act, linear, dst);
  }
  // The backward of dense_activation_forward: dlinear = ddst * act'(linear) (dst, the
  // forward result, may be read instead of linear), then dense_backward from dlinear. The
  // default runs activation_backward, then dense_backward. A backend may instead compute the
  // bias gradient in the same pass that writes dlinear.
  virtual void dense_activation_backward(ActivationParams act, Tensor src, Tensor weights,
                                         Tensor linear, Tensor dst, Tensor ddst, Tensor dlinear,
                                         Tensor dsrc, Tensor dweights, Tensor dbias) {
    activation_backward(act, linear, dst, ddst, dlinear);
    dense_backward(src, weights, dlinear, dsrc, dweights, dbias);
  }

  // --- fused losses ------------------------------------------------------------------
  // Each adds the batch's summed loss, correct predictions and sample count into
  // metrics[1, kMetricSlots] (f64), and, unless dlogits is empty, writes the gradient of
  // the batch-mean loss. Samples whose loss is not finite are added to kNonFinite; the
  // first time (kNonFinite still 0) kSamples before the batch goes to kFirstNonFinite.
  // logits[N,C], labels i32 [N,1] in [0, C).
  virtual void softmax_cross_entropy(Tensor logits, Tensor labels, Tensor dlogits,
                                     Tensor metrics) = 0;
  // logits[N,1], labels i32 [N,1] in {0, 1}; the sigmoid is applied inside.
  virtual void sigmoid_binary_cross_entropy(Tensor logits, Tensor labels, Tensor dlogits,
                                            Tensor metrics) = 0;
  // pred[N,K], targets[N,K] (same dtype); per-sample loss is the mean over K of squared
  // errors. kCorrect is left untouched.
  virtual void mean_squared_error(Tensor pred, Tensor targets, Tensor dpred, Tensor metrics) = 0;

  // --- dropout -----------------------------------------------------------------------
  // mask = keep ? 1 / (1 - rate) : 0 (same shape and dtype as src); dst = src * mask.
  // dst may be src. Rate 0 keeps everything (mask all 1, dst = src).
  virtual void dropout_forward(DropoutParams p, Tensor src, Tensor mask, Tensor dst) = 0;
  // dsrc = ddst * mask; dsrc may be ddst.
  virtual void dropout_backward(Tensor ddst, Tensor mask, Tensor dsrc) = 0;

  // --- gradient clipping (torch.nn.utils.clip_grad_norm_) ------------------------------
  // norm = the L2 norm of the whole gradient arena, summed in double in a fixed order;
  // metrics[kGradNorm] = norm. A non-finite norm adds 1 to metrics[kNonFinite] and leaves
  // grads alone; otherwise grads *= min(1, max_norm / (norm + 1e-6)).
  virtual void clip_grad_norm(Tensor grads, double max_norm, Tensor metrics) = 0;

  // --- optimizers: one step over a whole flat parameter arena --------------------------
  // guard: the metrics accumulator, or empty for no guard. When guard[kNonFinite] > 0 the
  // step does nothing at all (parameters and state keep every bit), so after a non-finite
  // loss or gradient no update reaches the weights. The check runs on the device.
  virtual void sgd_step(const SgdParams& p, Tensor params, Tensor grads, Tensor velocity,
                        Tensor guard) = 0;
  virtual void adam_step(const AdamParams& p, Tensor params, Tensor grads, Tensor m, Tensor v,
                         Tensor guard) = 0;
  // momentum_buffer is used only when p.momentum > 0, grad_avg only when p.centered; either
  // may be empty otherwise.
  virtual void rmsprop_step(const RmspropParams& p, Tensor params, Tensor grads, Tensor square_avg,
                            Tensor momentum_buffer, Tensor grad_avg, Tensor guard) = 0;
};

// RAII owner of one backend allocation, viewed as a rows x cols tensor.
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  DeviceBuffer(Backend& backend, std::int64_t rows, std::int64_t cols, DType dtype)
      : backend_(&backend) {
    tensor_ = {nullptr, rows, cols, dtype};
    if (tensor_.bytes() > 0) tensor_.data = backend.allocate(tensor_.bytes());
  }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  DeviceBuffer(DeviceBuffer&& other) noexcept { *this = std::move(other); }
  DeviceBuffer& operator=(DeviceBuffer&& other) noexcept {
    if (this != &other) {
      reset();
      backend_ = other.backend_;
      tensor_ = other.tensor_;
      other.tensor_ = {};
    }
    return *this;
  }
  ~DeviceBuffer() { reset(); }

  const Tensor& tensor() const { return tensor_; }
  operator Tensor() const { return tensor_; }  // NOLINT: a buffer is usable as its view

 private:
  void reset() noexcept {
    if (backend_ && tensor_.data) backend_->release(tensor_.data);
    tensor_ = {};
  }
  Backend* backend_ = nullptr;
  Tensor tensor_;
};

}  // namespace nnrun
