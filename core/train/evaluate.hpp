// One evaluation pass (no gradients, evaluation mode) over a data set on the backend.
#pragma once

#include "core/model/model.hpp"
#include "core/train/device_dataset.hpp"
#include "core/train/metrics.hpp"

namespace nnrun {

// metrics: a 1 x kMetricSlots f64 scratch tensor. Batches of batch_size in stored order,
// so `train` (validation each epoch) and `eval` (from a checkpoint) sum identically.
PassMetrics evaluate(Backend& backend, Model& model, DeviceDataset& data, LossKind loss,
                     std::int64_t batch_size, Tensor metrics);

}  // namespace nnrun
