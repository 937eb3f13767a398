// metrics.csv and summary.json writers.
#include "core/train/run_files.hpp"

#include <cerrno>
#include <cmath>
#include <cstring>

#include "core/checkpoint/atomic_file.hpp"
#include "core/checkpoint/checkpoint.hpp"
#include "core/errors.hpp"
#include "core/train/snapshot.hpp"
#include "core/train/trainer.hpp"
#include "core/util/json_writer.hpp"
#include "core/version.hpp"

namespace nnrun {

std::string format_metric(double value) {
  if (std::isnan(value)) return "nan";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.8g", value);
  return buf;
}

// The header and earlier rows are written atomically: a resume that fails while writing
// them (a full disk) leaves the earlier metrics.csv whole, not cut off mid-row.
MetricsCsv::MetricsCsv(const std::string& path, const std::vector<EpochRecord>& rows)
    : path_(path) {
  std::string text = std::string(kHeader) + "\n";
  for (const EpochRecord& r : rows) text += row_text(r);
  write_file_atomically(path, text);
  file_ = std::fopen(path.c_str(), "a");
  if (!file_) throw RuntimeFailure(path + ": cannot open: " + std::strerror(errno));
}

MetricsCsv::~MetricsCsv() {
  if (file_) std::fclose(file_);
}

std::string MetricsCsv::row_text(const EpochRecord& r) {
  char lr[32], seconds[32], line[256];
  std::snprintf(lr, sizeof lr, "%.8g", r.lr);  // as many digits as the losses
  std::snprintf(seconds, sizeof seconds, "%.4f", r.seconds);
  std::snprintf(line, sizeof line, "%lld,%s,%s,%s,%s,%s,%s\n", static_cast<long long>(r.epoch),
                format_metric(r.train.loss).c_str(), format_metric(r.train.error).c_str(),
                format_metric(r.val.loss).c_str(), format_metric(r.val.error).c_str(), lr, seconds);
  return line;
}

void MetricsCsv::append(const EpochRecord& r) {
  const int n = std::fputs(row_text(r).c_str(), file_);
  if (n < 0 || std::fflush(file_) != 0)
    throw RuntimeFailure(path_ + ": write failed: " + std::strerror(errno));
}

namespace {

void write_epoch(JsonWriter& j, const EpochRecord& r) {
  j.begin_object();
  j.field("epoch", static_cast<long long>(r.epoch));
  for (const std::string& name : monitorable_metrics()) j.field(name, metric_value(r, name));
  j.field("lr", r.lr);
  j.end_object();
}

}  // namespace

void write_summary_json(const std::string& path, const RunFacts& f, const TrainSummary& s) {
  JsonWriter j;
  j.begin_object();
  j.field("name", f.name);
  j.field("run_dir", f.run_dir);
  j.field("status", !s.failure.empty()      ? "failed"
                    : s.interrupted_by != 0 ? "interrupted"
                    : s.diverged            ? "diverged"
                                            : "finished");
  j.field("stop_reason", s.stop_reason);
  j.field("epochs_run", static_cast<long long>(s.epochs_run));
  j.field("monitor", s.monitor);
  j.field("best_epoch", static_cast<long long>(s.best_epoch));
  j.field("best_value", s.best_value);
  j.key("best");
  write_epoch(j, s.best);
  j.key("last");
  write_epoch(j, s.last);
  j.key("final").begin_object();
  j.field("weights", s.final_weights);
  j.field("val_loss", s.final_val.loss).field("val_error", s.final_val.error);
  if (s.final_test)
    j.field("test_loss", s.final_test->loss).field("test_error", s.final_test->error);
  j.end_object();
  j.field("diverged", s.diverged);
  j.field("wall_seconds", s.wall_seconds);
  j.field("epoch_seconds", s.epoch_seconds);
  j.field("backend", f.backend);
  j.field("backend_description", f.backend_description);
  j.field("precision", f.precision);
  j.key("versions").begin_object().field("nnrun", kVersion);
  for (const auto& [library, version] : f.library_versions) j.field(library, version);
  j.end_object();
  j.end_object();
  write_file_atomically(path, j.str() + "\n");
}

// What the checkpoint says of the run so far: a resumed process that fails before its first
// epoch leaves a summary of it (its epochs, best and last), not an empty one.
void summarize_checkpoint(const Checkpoint& checkpoint, Task task, TrainSummary& summary) {
  summary.epochs_run = checkpoint.epoch;
  std::vector<EpochRecord> history;
  for (const auto& row : checkpoint.history) {
    history.push_back(record_from_history(row, task));
    summary.epoch_seconds += history.back().seconds;
  }
  if (!history.empty()) summary.last = history.back();
  const auto best_epoch = checkpoint.state.find("checkpoint_monitor.best_epoch");
  const auto best_value = checkpoint.state.find("checkpoint_monitor.best");
  if (best_epoch == checkpoint.state.end() || best_value == checkpoint.state.end()) return;
  const double epoch = best_epoch->second;
  if (epoch >= 1 && epoch <= static_cast<double>(history.size())) {
    summary.best_epoch = static_cast<std::int64_t>(epoch);
    summary.best_value = best_value->second;
    summary.best = history[static_cast<std::size_t>(summary.best_epoch - 1)];
  }
}

}  // namespace nnrun
