// The files of a run directory other than checkpoints: metrics.csv and summary.json.
#pragma once

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "core/train/metrics.hpp"

namespace nnrun {

struct TrainSummary;
struct Checkpoint;

// metrics.csv: one row per epoch, flushed as it is written so a killed run keeps its rows.
class MetricsCsv {
 public:
  // Starts metrics.csv with its header, then `rows` (a resumed run's earlier epochs, as the
  // checkpoint recorded them: rows after the checkpoint's epoch are dropped this way).
  MetricsCsv(const std::string& path, const std::vector<EpochRecord>& rows = {});
  ~MetricsCsv();
  MetricsCsv(const MetricsCsv&) = delete;
  MetricsCsv& operator=(const MetricsCsv&) = delete;
  void append(const EpochRecord& record);
  static std::string row_text(const EpochRecord& record);  // one line, with its '\n'

  static constexpr const char* kHeader =
      "epoch,train_loss,train_error,val_loss,val_error,lr,seconds";

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
};

// A metric as metrics.csv and `eval` print it: the same text for the same double.
std::string format_metric(double value);

struct RunFacts {
  std::string name;
  std::string run_dir;
  std::string backend;
  std::string backend_description;
  std::string precision;  // f32 | bf16: the dense products' operand type
  std::vector<std::pair<std::string, std::string>> library_versions;  // the backend's
};

void write_summary_json(const std::string& path, const RunFacts& facts, const TrainSummary& s);

// The run so far as a checkpoint records it (epochs, epoch seconds, best and last epochs):
// what a resumed process's summary starts from, should it fail before its first epoch.
void summarize_checkpoint(const Checkpoint& checkpoint, Task task, TrainSummary& summary);

}  // namespace nnrun
