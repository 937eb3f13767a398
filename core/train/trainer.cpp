// The fit loop: schedule, epoch, log, checkpoints, early stopping, divergence, summary.
#include "core/train/trainer.hpp"

#include <chrono>
#include <filesystem>

#include "core/checkpoint/atomic_file.hpp"
#include "core/errors.hpp"
#include "core/model/loss.hpp"
#include "core/train/compatibility.hpp"
#include "core/train/early_stopping.hpp"
#include "core/train/epoch_printer.hpp"
#include "core/train/lr_schedule.hpp"
#include "core/train/metric_monitor.hpp"
#include "core/train/progress_bar.hpp"
#include "core/train/run_directory.hpp"
#include "core/train/run_files.hpp"
#include "core/train/snapshot.hpp"
#include "core/train/training_session.hpp"

namespace nnrun {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string describe_data(const PreparedData& data) {
  std::string s = std::to_string(data.train.size()) + " training, " +
                  std::to_string(data.validation.size()) + " validation";
  if (data.test) s += ", " + std::to_string(data.test->size()) + " test";
  s += " samples, " + std::to_string(data.train.features.cols) + " features";
  if (data.train.task == Task::classification)
    s += ", " + std::to_string(data.train.num_classes()) + " classes";
  return s;
}

}  // namespace

Trainer::Trainer(const Config& config, std::string config_yaml, Backend& backend, PreparedData data,
                 RunLog& log, bool progress_bar)
    : config_(config),
      config_yaml_(std::move(config_yaml)),
      backend_(backend),
      data_(std::move(data)),
      log_(log),
      progress_bar_(progress_bar) {}

TrainSummary Trainer::fit() {
  const auto started = Clock::now();
  namespace fs = std::filesystem;
  check_model_fits_data(config_, data_.train);

  const std::string run_dir = config_.checkpoint.dir;
  const std::string moved_aside = prepare_run_directory(run_dir);
  auto in_run = [&](const std::string& file) { return (fs::path(run_dir) / file).string(); };
  log_.attach_file(in_run("train.log"));
  write_file_atomically(in_run("config.yaml"), config_yaml_);
  MetricsCsv csv(in_run("metrics.csv"));

  TrainingSession session(config_, backend_, data_);
  Model& model = session.model();
  log_.line("nnrun: training '" + config_.name + "' on " + backend_.description());
  log_.line("data: " + describe_data(data_));
  log_.line("model: " + std::to_string(model.parameter_count()) + " parameters; run directory " +
            run_dir);
  if (!moved_aside.empty())
    log_.line("note: " + run_dir + " held an earlier run; its files were moved to " + moved_aside);

  const CheckpointConfig& ck = config_.checkpoint;
  const EarlyStoppingConfig& es = config_.early_stopping;
  MetricMonitor best_tracker(ck.monitor, es.enabled ? es.mode : MonitorMode::auto_, 0.0);
  EarlyStopping stopper(es);
  LrSchedule schedule(config_.optimizer.schedule, config_.optimizer.lr, config_.training.epochs);
  EpochPrinter printer(log_, data_.train.task, config_.training.epochs);
  ProgressBar bar(progress_bar_);
  std::vector<double> best_parameters;  // restore_best: the stopper's best epoch
  std::int64_t best_parameters_epoch = 0;
  TrainSummary summary;
  summary.monitor = best_tracker.metric();
  summary.stop_reason = "completed all " + std::to_string(config_.training.epochs) + " epochs";

  for (std::int64_t epoch = 1; epoch <= config_.training.epochs; ++epoch) {
    const auto epoch_started = Clock::now();
    const double lr = schedule.lr_for_epoch(epoch);
    EpochOutcome outcome = session.run_epoch(
        epoch, lr, [&](std::int64_t done, std::int64_t all) { bar.update(epoch, done, all); });
    bar.clear();
    EpochRecord& record = outcome.record;
    record.seconds = seconds_since(epoch_started);
    summary.epochs_run = epoch;
    summary.last = record;
    csv.append(record);

    if (outcome.diverged) {
      printer.print(record, false);
      summary.diverged = true;
      summary.stop_reason = "diverged: non-finite loss in epoch " + std::to_string(epoch) +
                            ", batch " + std::to_string(outcome.first_bad_batch) +
                            " (no update was applied from that batch on)";
      break;  // the weights stay finite; nothing from this epoch is checkpointed
    }
    const bool is_best = best_tracker.update(metric_value(record, best_tracker.metric()), epoch);
    printer.print(record, is_best && ck.save_best);
    const SnapshotSource source{config_yaml_,     backend_,    model, session.optimizer(),
                                data_.normalizer, data_.train, record};
    if (is_best) {
      summary.best = record;
      if (ck.save_best) save_checkpoint(in_run("best.ckpt"), make_checkpoint(backend_, source));
    }
    if (ck.save_last) save_checkpoint(in_run("last.ckpt"), make_checkpoint(backend_, source));
    if (ck.every_n_epochs > 0 && epoch % ck.every_n_epochs == 0)
      save_checkpoint(in_run("epoch-" + std::to_string(epoch) + ".ckpt"),
                      make_checkpoint(backend_, source));
    schedule.end_of_epoch(record);
    if (es.enabled) {
      const EarlyStopping::Decision d = stopper.update(record);
      if (d.improved && es.restore_best) {
        best_parameters = model.download_parameters();
        best_parameters_epoch = epoch;
      }
      if (d.stop) {
        summary.stop_reason = stopper.reason();
        break;
      }
    }
  }

  // restore_best holds whether the rule fired or training reached `epochs`.
  if (!best_parameters.empty()) {
    model.upload_parameters(best_parameters);
    summary.final_weights = "best epoch " + std::to_string(best_parameters_epoch);
  } else if (summary.diverged) {
    summary.final_weights = "as they were when training diverged";
  } else {
    summary.final_weights = "last epoch " + std::to_string(summary.last.epoch);
  }
  summary.final_val = session.evaluate_validation();
  if (data_.test) summary.final_test = session.evaluate_test();

  summary.best_epoch = best_tracker.best_epoch();
  summary.best_value = best_tracker.best();
  summary.wall_seconds = seconds_since(started);
  log_.line("stopped: " + summary.stop_reason);
  if (summary.best_epoch > 0)
    log_.line("best " + summary.monitor + " " + format_metric(summary.best_value) + " at epoch " +
              std::to_string(summary.best_epoch) +
              (ck.save_best ? "; saved " + in_run("best.ckpt") : std::string()));
  else
    log_.line("no epoch finished with a finite " + summary.monitor + ": no best.ckpt was saved");
  std::string final_line = "final model (" + summary.final_weights + "): val loss " +
                           format_metric(summary.final_val.loss) + ", val error " +
                           format_metric(summary.final_val.error);
  if (summary.final_test)
    final_line += "; test loss " + format_metric(summary.final_test->loss) + ", test error " +
                  format_metric(summary.final_test->error);
  log_.line(final_line);
  write_summary_json(in_run("summary.json"),
                     {config_.name, run_dir, backend_.name(), backend_.description()}, summary);
  return summary;
}

}  // namespace nnrun
