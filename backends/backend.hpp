// The one backend interface: memory the backend owns, and coarse paired forward/backward
// primitives. Core layers, losses and optimizers call these; only these have several
// implementations (reference loops, oneDNN, and later CUDA).
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "core/tensor.hpp"

namespace nnrun {

enum class Activation : std::uint8_t { none, relu, leaky_relu, elu, gelu, sigmoid, tanh };

struct ActivationParams {
  Activation kind = Activation::none;
  double alpha = 0.0;  // leaky_relu: negative slope; elu: scale of the negative branch
};

// Slots of the per-backend metrics accumulator, a 1 x kMetricSlots f64 tensor that the
// loss primitives add into. It stays on the device and is read back once per epoch.
enum MetricSlot : int { kLossSum = 0, kCorrect = 1, kSamples = 2, kMetricSlots = 3 };

struct SgdParams {
  double lr = 0.01;
  double momentum = 0.0;
  bool nesterov = false;
  double weight_decay = 0.0;  // L2, added to the gradient (PyTorch semantics)
};

struct AdamParams {
  double lr = 0.001;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.0;  // L2, added to the gradient (PyTorch Adam semantics)
  long step = 1;              // 1-based step number, for bias correction
};

class Backend {
 public:
  virtual ~Backend() = default;

  // "reference", "cpu" (oneDNN) or "cuda".
  virtual std::string name() const = 0;
  // One line for logs: library versions, threads, ISA.
  virtual std::string description() const = 0;
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

  // --- fused losses ------------------------------------------------------------------
  // Each adds the batch's summed loss, correct predictions and sample count into
  // metrics[1, kMetricSlots] (f64), and, unless dlogits is empty, writes the gradient of
  // the batch-mean loss.
  // logits[N,C], labels i32 [N,1] in [0, C).
  virtual void softmax_cross_entropy(Tensor logits, Tensor labels, Tensor dlogits,
                                     Tensor metrics) = 0;
  // logits[N,1], labels i32 [N,1] in {0, 1}; the sigmoid is applied inside.
  virtual void sigmoid_binary_cross_entropy(Tensor logits, Tensor labels, Tensor dlogits,
                                            Tensor metrics) = 0;
  // pred[N,K], targets[N,K] (same dtype); per-sample loss is the mean over K of squared
  // errors. kCorrect is left untouched.
  virtual void mean_squared_error(Tensor pred, Tensor targets, Tensor dpred, Tensor metrics) = 0;

  // --- optimizers: one step over a whole flat parameter arena --------------------------
  virtual void sgd_step(const SgdParams& p, Tensor params, Tensor grads, Tensor velocity) = 0;
  virtual void adam_step(const AdamParams& p, Tensor params, Tensor grads, Tensor m, Tensor v) = 0;
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
