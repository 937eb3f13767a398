// DeviceDataset: upload once, gather batches on the device.
#include "core/train/device_dataset.hpp"

#include <stdexcept>

#include "core/tensor_io.hpp"

namespace nnrun {

DeviceDataset::DeviceDataset(Backend& backend, const Dataset& data, Task task, DType dtype,
                             std::int64_t max_batch)
    : backend_(backend) {
  const std::int64_t n = data.size();
  features_ = DeviceBuffer(backend, n, data.features.cols, dtype);
  upload_values(backend, features_, std::span<const float>(data.features.values));
  if (task == Task::classification) {
    targets_ = DeviceBuffer(backend, n, 1, DType::i32);
    upload_values(backend, targets_, std::span<const std::int32_t>(data.labels));
  } else {
    targets_ = DeviceBuffer(backend, n, data.targets.cols, dtype);
    upload_values(backend, targets_, std::span<const float>(data.targets.values));
  }
  const std::int64_t batch_rows = std::min(max_batch, n);
  order_ = DeviceBuffer(backend, n, 1, DType::i32);
  batch_src_ = DeviceBuffer(backend, batch_rows, features_.tensor().cols, dtype);
  batch_target_ =
      DeviceBuffer(backend, batch_rows, targets_.tensor().cols, targets_.tensor().dtype);
}

void DeviceDataset::set_order(const std::vector<std::int32_t>& order) {
  shuffled_ = !order.empty();
  if (!shuffled_) return;
  if (static_cast<std::int64_t>(order.size()) != size())
    throw std::invalid_argument("DeviceDataset: order has the wrong length");
  backend_.upload(order_, order.data());
}

Batch DeviceDataset::batch(std::int64_t begin, std::int64_t count) {
  if (!shuffled_)  // stored order: the batch is a view, no copy needed
    return {features_.tensor().row_range(begin, count), targets_.tensor().row_range(begin, count)};
  const Tensor index = order_.tensor().row_range(begin, count);
  const Tensor src = batch_src_.tensor().row_range(0, count);
  const Tensor target = batch_target_.tensor().row_range(0, count);
  backend_.gather_rows(features_, index, src);
  backend_.gather_rows(targets_, index, target);
  return {src, target};
}

}  // namespace nnrun
