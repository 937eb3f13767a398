// A data set uploaded once to the backend, served as batches gathered on the device
// in an order that is uploaded once per epoch.
#pragma once

#include <vector>

#include "core/config/config.hpp"
#include "core/data/dataset.hpp"

namespace nnrun {

struct Batch {
  Tensor src;     // [n, features]
  Tensor target;  // [n, 1] i32 labels, or [n, k] values
};

class DeviceDataset {
 public:
  DeviceDataset(Backend& backend, const Dataset& data, Task task, DType dtype,
                std::int64_t max_batch);

  std::int64_t size() const { return features_.tensor().rows; }
  // Sample order for the next pass; an empty order means the stored order.
  void set_order(const std::vector<std::int32_t>& order);
  // Samples [begin, begin + count) of the current order.
  Batch batch(std::int64_t begin, std::int64_t count);

 private:
  Backend& backend_;
  DeviceBuffer features_, targets_, order_;
  DeviceBuffer batch_src_, batch_target_;
  bool shuffled_ = false;
};

}  // namespace nnrun
