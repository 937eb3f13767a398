// Evaluation pass: forward in eval mode, losses accumulated on the device, read back once.
#include "core/train/evaluate.hpp"

#include "core/model/loss.hpp"
#include "core/tensor_io.hpp"

namespace nnrun {

PassMetrics evaluate(Backend& backend, Model& model, DeviceDataset& data, LossKind loss,
                     std::int64_t batch_size, Tensor metrics) {
  backend.fill_zero(metrics);
  data.set_order({});
  for (std::int64_t begin = 0; begin < data.size(); begin += batch_size) {
    const std::int64_t count = std::min(batch_size, data.size() - begin);
    const Batch batch = data.batch(begin, count);
    const Tensor output = model.forward(batch.src, ForwardPass{Mode::eval});
    compute_loss(backend, loss, output, batch.target, Tensor{}, metrics);
  }
  return metrics_from_totals(download_values(backend, metrics), task_of(loss));
}

}  // namespace nnrun
