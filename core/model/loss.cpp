// Loss dispatch onto the backend's fused loss primitives.
#include "core/model/loss.hpp"

namespace nnrun {

void compute_loss(Backend& backend, LossKind loss, Tensor output, Tensor target, Tensor doutput,
                  Tensor metrics) {
  switch (loss) {
    case LossKind::cross_entropy:
      backend.softmax_cross_entropy(output, target, doutput, metrics);
      return;
    case LossKind::binary_cross_entropy:
      backend.sigmoid_binary_cross_entropy(output, target, doutput, metrics);
      return;
    case LossKind::mse:
      backend.mean_squared_error(output, target, doutput, metrics);
      return;
  }
}

std::int64_t expected_output_width(LossKind loss, const Dataset& data) {
  switch (loss) {
    case LossKind::cross_entropy:
      return data.num_classes();
    case LossKind::binary_cross_entropy:
      return 1;
    case LossKind::mse:
      return data.targets.cols;
  }
  return 0;
}

}  // namespace nnrun
