// Layer: one step of a sequential network. Layers own their activation buffers and see
// their parameters and gradients as views into the model's flat arenas.
#pragma once

#include <string>
#include <vector>

#include "backends/backend.hpp"

namespace nnrun {

enum class Mode { train, eval };

// What a forward pass is for: training (dropout active, its masks drawn for this step) or
// evaluation (deterministic).
struct ForwardPass {
  Mode mode = Mode::eval;
  std::uint64_t seed = 0;  // the run's seed
  std::uint64_t step = 0;  // the training step: a new dropout mask every step
};

struct ParamSpec {
  std::string name;  // e.g. "weight", "bias"
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::int64_t size() const { return rows * cols; }
};

class Layer {
 public:
  virtual ~Layer() = default;

  virtual std::string kind() const = 0;      // "dense", "dropout"
  virtual std::string describe() const = 0;  // "dense 4 -> 16, relu"
  virtual std::int64_t input_width() const = 0;
  virtual std::int64_t output_width() const = 0;
  virtual std::vector<ParamSpec> parameter_specs() const = 0;

  // Values for freshly initialized parameters, one vector per spec, drawn from `seed`.
  virtual std::vector<std::vector<double>> initial_values(std::uint64_t seed,
                                                          std::uint32_t layer_index) const = 0;
  // Views into the model's arenas, one per spec, in spec order.
  virtual void bind(std::vector<Tensor> params, std::vector<Tensor> grads) = 0;
  // Allocates activation buffers for batches of up to max_batch rows.
  virtual void allocate(Backend& backend, std::int64_t max_batch, DType dtype) = 0;

  // src[n, in] -> dst[n, out]; the returned view stays valid until the next forward.
  virtual Tensor forward(Backend& backend, Tensor src, const ForwardPass& pass) = 0;
  // ddst[n, out] -> dsrc[n, in] (empty when need_dsrc is false); writes the gradients.
  virtual Tensor backward(Backend& backend, Tensor ddst, bool need_dsrc) = 0;
};

}  // namespace nnrun
