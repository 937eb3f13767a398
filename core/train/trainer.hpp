// Trainer: the `fit` loop. Logs every epoch to the console and metrics.csv, keeps
// best.ckpt / last.ckpt, follows the learning-rate schedule, stops early by rule or on
// divergence, restores the best weights, and writes summary.json.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/config/config.hpp"
#include "core/train/data_pipeline.hpp"
#include "core/train/metrics.hpp"
#include "core/train/run_files.hpp"
#include "core/train/run_lock.hpp"
#include "core/train/run_log.hpp"

namespace nnrun {

struct Checkpoint;

struct TrainSummary {
  std::int64_t epochs_run = 0;
  std::int64_t best_epoch = 0;  // 0 when no epoch had a finite monitored value
  std::string monitor;
  double best_value = 0;
  std::string stop_reason;
  std::string failure;  // the error that ended the run (an I/O failure), if one did
  bool diverged = false;
  int interrupted_by = 0;    // the signal that stopped the run, 0 if none
  double wall_seconds = 0;   // this process, start to end
  double epoch_seconds = 0;  // metrics.csv's seconds summed: every epoch of every process
  EpochRecord best;
  EpochRecord last;
  // The model training ends with (the best epoch's weights under restore_best), evaluated.
  std::string final_weights;  // "best epoch N" or "last epoch N"
  PassMetrics final_val;
  std::optional<PassMetrics> final_test;
};

class Trainer {
 public:
  // config_yaml: the resolved config, stored in config.yaml and in every checkpoint.
  // resume: a checkpoint of this run to continue from (its folder is the run directory).
  Trainer(const Config& config, std::string config_yaml, Backend& backend, PreparedData data,
          RunLog& log, bool progress_bar, const Checkpoint* resume = nullptr,
          std::string resume_path = "");
  // On an error after the run directory was set up, summary.json still says how far the run
  // got (status "failed", the error as its stop reason) before the error propagates.
  TrainSummary fit();
  // The run directory fit() trains in ("" before it has started).
  const std::string& run_dir() const { return run_dir_; }

 private:
  TrainSummary run();
  RunFacts run_facts() const;
  void write_failure_summary(const std::string& error) noexcept;

  const Config& config_;
  std::string config_yaml_;
  Backend& backend_;
  PreparedData data_;
  RunLog& log_;
  bool progress_bar_;
  bool fitted_ = false;  // fit() releases the host samples once the backend holds them
  const Checkpoint* resume_;
  std::string resume_path_;
  // What run() has reached, for write_failure_summary: the lock outlives run() so the
  // failure summary is written while this process still holds the folder.
  std::chrono::steady_clock::time_point started_;
  std::optional<RunLock> lock_;
  std::string run_dir_;
  TrainSummary summary_;
  bool summary_started_ = false;
};

}  // namespace nnrun
