// Everything one training run holds on the backend (model, optimizer, device data, scratch
// buffers), and one epoch of it: shuffled batches, forward, fused loss, backward, update.
#pragma once

#include <functional>
#include <vector>

#include "core/config/config.hpp"
#include "core/model/model.hpp"
#include "core/train/data_pipeline.hpp"
#include "core/train/device_dataset.hpp"
#include "core/train/metrics.hpp"
#include "core/train/optimizer.hpp"

namespace nnrun {

struct EpochOutcome {
  EpochRecord record;
  bool diverged = false;             // a non-finite loss or gradient norm appeared
  std::int64_t first_bad_batch = 0;  // 1-based batch of the epoch where it appeared
  // Stopped early on request (Ctrl-C): batches_done of the epoch are trained, and totals
  // holds the metric sums so far; an exact resume continues from there.
  bool interrupted = false;
  std::int64_t batches_done = 0;
  std::vector<double> totals;
};

// Where an interrupted epoch stood, to continue it exactly.
struct EpochResumePoint {
  std::int64_t batches_done = 0;
  std::vector<double> totals;  // metric sums of those batches (kMetricSlots values)
};

class TrainingSession {
 public:
  // Called after each batch with (batches done, batches in the epoch); returning false stops
  // the epoch after that batch (an interrupt).
  using Progress = std::function<bool(std::int64_t, std::int64_t)>;

  TrainingSession(const Config& config, Backend& backend, const PreparedData& data);

  Model& model() { return model_; }
  Optimizer& optimizer() { return optimizer_; }
  std::int64_t batches_per_epoch() const;

  // Trains epoch `epoch` (1-based) at learning rate lr, then evaluates the validation set.
  // After a divergence no further update is applied (the backend's guard) and the
  // validation pass is skipped.
  EpochOutcome run_epoch(std::int64_t epoch, double lr, const Progress& progress,
                         const EpochResumePoint& resume = {});
  // A pass in evaluation mode over one of the prepared sets.
  PassMetrics evaluate_validation();
  PassMetrics evaluate_test();  // requires the data to have a test set

 private:
  const Config& config_;
  Backend& backend_;
  Task task_;
  std::int64_t batch_size_;
  Model model_;
  Optimizer optimizer_;
  DeviceDataset train_set_;
  DeviceDataset val_set_;
  std::optional<DeviceDataset> test_set_;
  DeviceBuffer metrics_;
  DeviceBuffer doutput_;
  std::vector<std::int32_t> order_;
};

}  // namespace nnrun
