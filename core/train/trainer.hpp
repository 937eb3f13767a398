// Trainer: the `fit` loop. Shuffles, steps, evaluates, logs every epoch to the console and
// metrics.csv, keeps best.ckpt / last.ckpt, stops early by rule, writes summary.json.
#pragma once

#include <string>

#include "core/config/config.hpp"
#include "core/train/data_pipeline.hpp"
#include "core/train/metrics.hpp"
#include "core/train/run_log.hpp"

namespace nnrun {

struct TrainSummary {
  std::int64_t epochs_run = 0;
  std::int64_t best_epoch = 0;  // 0 when no epoch had a finite monitored value
  std::string monitor;
  double best_value = 0;
  std::string stop_reason;
  double wall_seconds = 0;
  EpochRecord best;
  EpochRecord last;
};

class Trainer {
 public:
  // config_yaml: the resolved config, stored in config.yaml and in every checkpoint.
  Trainer(const Config& config, std::string config_yaml, Backend& backend, PreparedData data,
          RunLog& log);
  TrainSummary fit();

 private:
  const Config& config_;
  std::string config_yaml_;
  Backend& backend_;
  PreparedData data_;
  RunLog& log_;
};

}  // namespace nnrun
