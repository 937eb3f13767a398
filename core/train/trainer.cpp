// The fit loop: schedule, epoch, checkpoints, log, early stopping, divergence, interrupts,
// resume, summary.
#include "core/train/trainer.hpp"

#include <chrono>
#include <filesystem>
#include <iostream>
#include <limits>
#include <new>
#include <stdexcept>

#include "core/checkpoint/atomic_file.hpp"
#include "core/errors.hpp"
#include "core/train/compatibility.hpp"
#include "core/train/early_stopping.hpp"
#include "core/train/epoch_printer.hpp"
#include "core/train/interrupt.hpp"
#include "core/train/progress_bar.hpp"
#include "core/train/resume.hpp"
#include "core/train/run_directory.hpp"
#include "core/train/run_end_lines.hpp"
#include "core/train/run_files.hpp"
#include "core/train/run_lock.hpp"
#include "core/train/settings_notes.hpp"
#include "core/train/snapshot.hpp"
#include "core/train/trainer_state.hpp"

namespace nnrun {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

Trainer::Trainer(const Config& config, std::string config_yaml, Backend& backend, PreparedData data,
                 RunLog& log, bool progress_bar, const Checkpoint* resume, std::string resume_path)
    : config_(config),
      config_yaml_(std::move(config_yaml)),
      backend_(backend),
      data_(std::move(data)),
      log_(log),
      progress_bar_(progress_bar),
      resume_(resume),
      resume_path_(std::move(resume_path)) {}

TrainSummary Trainer::fit() {
  if (fitted_) throw std::logic_error("Trainer::fit runs once: its data went to the backend");
  fitted_ = true;
  try {
    TrainSummary summary = run();
    lock_.reset();
    return summary;
  } catch (const std::exception& e) {
    write_failure_summary(dynamic_cast<const std::bad_alloc*>(&e) ? "out of memory" : e.what());
    lock_.reset();
    throw;
  }
}

RunFacts Trainer::run_facts() const {
  return {config_.name,           run_dir_,          backend_.name(),
          backend_.description(), config_.precision, backend_.library_versions()};
}

void Trainer::write_failure_summary(const std::string& error) noexcept {
  if (!summary_started_) return;  // nothing in the folder yet that a summary would describe
  try {
    summary_.failure = error;
    summary_.stop_reason = "failed: " + error;
    summary_.wall_seconds = seconds_since(started_);
    write_summary_json((std::filesystem::path(run_dir_) / "summary.json").string(), run_facts(),
                       summary_);
  } catch (const std::exception& e) {
    // The folder may be what failed (a full disk); the original error is the one to report,
    // but say that the run's summary is missing, or stale from an earlier process (unless
    // writing it was that error).
    if (error != e.what())
      std::cerr << "note: " << run_dir_ << "/summary.json could not be written either: " << e.what()
                << "\n";
  } catch (...) {
  }
}

TrainSummary Trainer::run() {
  started_ = Clock::now();
  namespace fs = std::filesystem;
  check_model_fits_data(config_, data_.train);

  EarlyStopResume stopped_early;
  if (resume_) {
    stopped_early = early_stop_resume(config_, *resume_, resume_path_);
    if (const std::string done = already_finished(config_, *resume_, stopped_early);
        !done.empty()) {
      log_.line(done);
      TrainSummary finished;
      finished.stop_reason = "already finished";
      finished.epochs_run = resume_->epoch;
      return finished;
    }
  }

  // A resumed run continues in its checkpoint's folder; a new one may move an old run aside.
  const std::string run_dir = resume_ ? resume_run_directory(resume_path_) : config_.checkpoint.dir;
  std::error_code ec;
  fs::create_directories(run_dir.empty() ? "." : run_dir, ec);
  if (ec) throw RuntimeFailure(run_dir + ": cannot create the run directory: " + ec.message());
  lock_.emplace(run_dir.empty() ? "." : run_dir);
  run_dir_ = run_dir.empty() ? "." : run_dir;
  const std::string moved_aside = resume_ ? "" : prepare_run_directory(run_dir);
  if (resume_) remove_stale_temporaries(run_dir);
  // A resume from an earlier checkpoint than the run's latest: the later checkpoints would
  // disagree with this run (best.ckpt of a discarded epoch); they go to previous-N, with a
  // copy of the summary that described them.
  const DiscardedFiles discarded =
      resume_ ? set_aside_discarded_continuation(run_dir, resume_->epoch, resume_path_)
              : DiscardedFiles{};
  // From here on a failure leaves a summary that says so (write_failure_summary).
  TrainSummary& summary = summary_;
  summary = TrainSummary{};
  summary.best_value = std::numeric_limits<double>::quiet_NaN();  // none yet: null in JSON
  summary.monitor = config_.checkpoint.monitor;
  if (resume_) {
    summarize_checkpoint(*resume_, data_.train.task, summary);
    // The run goes on: the earlier process's summary no longer describes it, and a resumed
    // run that then fails must not leave one that says "finished". Rewritten at the end.
    std::error_code ignored;
    fs::remove(fs::path(run_dir) / "summary.json", ignored);
  }
  summary_started_ = true;
  auto in_run = [&](const std::string& file) { return (fs::path(run_dir) / file).string(); };
  log_.attach_file(in_run("train.log"), /*append=*/resume_ != nullptr);
  // Also on resume: the run goes on under this config (training.epochs, threads and backend
  // may have changed), and config.yaml is the run's resolved config.
  write_file_atomically(in_run("config.yaml"), config_yaml_);

  TrainingSession session(config_, backend_, data_);
  // The session holds the samples in backend memory now; the host copies would add a second
  // copy of the data set to the peak (Fashion-MNIST: 581 -> 450 MiB).
  release_samples(data_);
  Model& model = session.model();
  const CheckpointConfig& ck = config_.checkpoint;
  const EarlyStoppingConfig& es = config_.early_stopping;
  // early_stopping.mode belongs to its monitor: best.ckpt follows it only when both watch the
  // same metric (a `mode: min` meant for val_loss would pick the worst val_accuracy).
  MetricMonitor best_tracker(
      ck.monitor, es.enabled && es.monitor == ck.monitor ? es.mode : MonitorMode::auto_, 0.0);
  EarlyStopping stopper(es);
  LrSchedule schedule(config_.optimizer.schedule, config_.optimizer.lr, config_.training.epochs);
  std::vector<EpochRecord> history;
  EpochResumePoint partial;
  std::int64_t first_epoch = 1;
  if (resume_) {
    // The reader checked that history holds epochs 1..epoch; these check the counters.
    const StateLimits limits{resume_->epoch, session.batches_per_epoch(), resume_path_};
    best_tracker.restore(load_monitor(resume_->state, "checkpoint_monitor", limits));
    MetricMonitor::State stopper_state = load_monitor(resume_->state, "early_stopping", limits);
    if (stopped_early.stopped_early) stopper_state.epochs_without_improvement = 0;
    stopper.restore(stopper_state);
    if (resume_->state.count("plateau.lr"))
      schedule.restore_plateau_state(load_plateau(resume_->state, limits));
    partial = load_partial_epoch(resume_->state, limits);
    load_parameters(*resume_, model, resume_path_);
    load_optimizer_state(*resume_, session.optimizer(), backend_, resume_path_);
    for (const auto& row : resume_->history)
      history.push_back(record_from_history(row, data_.train.task));
    first_epoch = resume_->epoch + 1;
  }
  MetricsCsv csv(in_run("metrics.csv"), history);

  log_.line("nnrun: " + std::string(resume_ ? "resuming" : "training") + " '" + config_.name +
            "' on " + backend_.description());
  if (resume_)
    log_.line("resumed from " + resume_path_ + " after epoch " + std::to_string(resume_->epoch) +
              (partial.batches_done > 0
                   ? " and " + std::to_string(partial.batches_done) + " batches of the next"
                   : std::string()));
  log_.line("data: " + describe_data(data_));
  for (const std::string& note : settings_notes(config_, data_.train.size(), backend_.name()))
    log_.line(note);
  log_.line("model: " + std::to_string(model.parameter_count()) + " parameters; run directory " +
            run_dir);
  if (!moved_aside.empty())
    log_.line("note: " + run_dir + " held an earlier run; its files were moved to " + moved_aside);
  if (stopped_early.stopped_early)
    log_.line("note: the run had stopped early at epoch " + std::to_string(resume_->epoch) +
              "; training.epochs was raised from " + std::to_string(stopped_early.stored_epochs) +
              " to " + std::to_string(config_.training.epochs) +
              ", so it trains on with early stopping's patience counted afresh");
  // best.ckpt must hold the best epoch the resumed run reports. A discarded continuation may
  // have overwritten it: take the best epoch's checkpoint back if one is at hand.
  bool best_on_disk = true;
  if (!discarded.folder.empty()) {
    std::string files;
    for (const std::string& f : discarded.files) files += (files.empty() ? "" : ", ") + f;
    log_.line("note: resuming from epoch " + std::to_string(resume_->epoch) +
              " discards this run's later epochs; their files were moved to " + discarded.folder +
              ": " + files);
    const std::int64_t best_epoch = best_tracker.best_epoch();
    if (ck.save_best && best_epoch > 0) {
      best_on_disk = put_best_checkpoint_back(run_dir, best_epoch, *resume_);
      if (!best_on_disk)
        log_.line("note: the checkpoint of the best epoch so far (" + std::to_string(best_epoch) +
                  ") was overwritten by the discarded epochs; best.ckpt is saved again when an "
                  "epoch improves on it");
    }
  }

  EpochPrinter printer(log_, data_.train.task, config_.training.epochs);
  ProgressBar bar(progress_bar_);
  InterruptGuard interrupts;
  std::vector<double> best_parameters;  // restore_best: the stopper's best epoch
  std::int64_t best_parameters_epoch = 0;
  bool restored_from_file = false;
  bool interrupted_mid_epoch = false;
  summary.monitor = best_tracker.metric();
  summary.stop_reason =
      config_.training.epochs == 1
          ? std::string("completed its 1 epoch")
          : "completed all " + std::to_string(config_.training.epochs) + " epochs";
  if (best_tracker.best_epoch() > 0) {
    summary.best = history.at(static_cast<std::size_t>(best_tracker.best_epoch() - 1));
    summary.best_epoch = best_tracker.best_epoch();
    summary.best_value = best_tracker.best();
  }
  if (!history.empty()) summary.last = history.back();

  // Everything a checkpoint of the current moment needs.
  auto snapshot = [&](const EpochRecord& record, const std::string& status) {
    StateMap state;
    save_monitor(state, "checkpoint_monitor", best_tracker.state());
    save_monitor(state, "early_stopping", stopper.state());
    save_plateau(state, schedule.plateau_state());
    save_partial_epoch(state, partial);
    const SnapshotSource source{config_yaml_,
                                backend_,
                                model,
                                session.optimizer(),
                                data_.normalizer,
                                data_.train,
                                record,
                                history,
                                state,
                                status,
                                status == "running" ? std::string() : summary.stop_reason,
                                data_.fingerprint};
    return make_checkpoint(backend_, source);
  };

  auto last_saved = Clock::now() - std::chrono::hours(1);  // the first epoch is always saved
  for (std::int64_t epoch = first_epoch; epoch <= config_.training.epochs; ++epoch) {
    const auto epoch_started = Clock::now();
    const double lr = schedule.lr_for_epoch(epoch);
    EpochOutcome outcome = session.run_epoch(
        epoch, lr,
        [&](std::int64_t done, std::int64_t all) {
          bar.update(epoch, done, all);
          return InterruptGuard::requested() == 0;
        },
        partial);
    bar.clear();
    EpochRecord& record = outcome.record;
    record.seconds = seconds_since(epoch_started);

    if (outcome.interrupted) {  // mid-epoch: save where it stands, for an exact resume
      partial = {outcome.batches_done, outcome.totals};
      summary.interrupted_by = InterruptGuard::requested();
      summary.stop_reason = "interrupted in epoch " + std::to_string(epoch) + " after batch " +
                            std::to_string(outcome.batches_done);
      interrupted_mid_epoch = true;
      EpochRecord at = history.empty() ? EpochRecord{} : history.back();
      if (ck.save_last) save_checkpoint(in_run("last.ckpt"), snapshot(at, "interrupted"));
      break;
    }
    partial = {};
    summary.epochs_run = epoch;
    summary.last = record;
    if (outcome.diverged) {
      csv.append(record);
      summary.epoch_seconds += record.seconds;
      printer.print(record, false);
      summary.diverged = true;
      summary.stop_reason = "diverged: non-finite loss in epoch " + std::to_string(epoch) +
                            ", batch " + std::to_string(outcome.first_bad_batch) +
                            " (no update was applied from that batch on)";
      // last.ckpt keeps the finite weights as they are (updated up to the bad batch) and says
      // the run diverged, instead of an older epoch marked running. Nothing else of this epoch
      // is checkpointed, and such a checkpoint is not resumed (it would diverge again).
      if (ck.save_last)
        save_checkpoint(in_run("last.ckpt"),
                        snapshot(history.empty() ? EpochRecord{} : history.back(), "diverged"));
      break;
    }
    history.push_back(record);
    summary.epoch_seconds += record.seconds;
    csv.append(record);
    const bool is_best = best_tracker.update(metric_value(record, best_tracker.metric()), epoch);
    schedule.end_of_epoch(record);
    EarlyStopping::Decision decision;
    if (es.enabled) decision = stopper.update(record);
    if (decision.stop) summary.stop_reason = stopper.reason();
    // Checkpoints first, then the console line: a line marked "best" is always on disk.
    // The last epoch's checkpoints (epoch-N.ckpt too) say the run finished, as last.ckpt does.
    const bool finishes = decision.stop || epoch == config_.training.epochs;
    const std::string status = finishes ? "finished" : "running";
    if (is_best) {
      // The summary's best follows best.ckpt: a save that fails leaves both at the earlier one.
      if (ck.save_best) save_checkpoint(in_run("best.ckpt"), snapshot(record, status));
      summary.best = record;
      summary.best_epoch = best_tracker.best_epoch();
      summary.best_value = best_tracker.best();
      best_on_disk = true;
    }
    if (ck.save_last && (decision.stop || epoch == config_.training.epochs ||
                         seconds_since(last_saved) >= ck.last_every_seconds)) {
      save_checkpoint(in_run("last.ckpt"), snapshot(record, status));
      last_saved = Clock::now();
    }
    if (ck.every_n_epochs > 0 && epoch % ck.every_n_epochs == 0)
      save_checkpoint(in_run("epoch-" + std::to_string(epoch) + ".ckpt"), snapshot(record, status));
    printer.print(record, is_best && ck.save_best);
    if (decision.improved && es.restore_best) {
      best_parameters = model.download_parameters();
      best_parameters_epoch = epoch;
    }
    if (decision.stop) break;
    // A signal during validation or saving stops here, unless this was the last epoch anyway.
    if (InterruptGuard::requested() != 0 && epoch < config_.training.epochs) {
      summary.interrupted_by = InterruptGuard::requested();
      summary.stop_reason = "interrupted after epoch " + std::to_string(epoch);
      if (ck.save_last) save_checkpoint(in_run("last.ckpt"), snapshot(record, "interrupted"));
      break;
    }
  }

  // The last checkpoint learns how the run ended (inspect shows it).
  if (ck.save_last && summary.interrupted_by == 0 && !summary.diverged && !history.empty())
    save_checkpoint(in_run("last.ckpt"), snapshot(history.back(), "finished"));

  // restore_best holds whether the rule fired or training reached `epochs`. After a resume
  // the best weights may predate this process: best.ckpt holds them when the monitors agree.
  if (es.enabled && es.restore_best && best_parameters.empty() &&
      stopper.monitor().best_epoch() > 0 && es.monitor == ck.monitor && ck.save_best &&
      fs::exists(in_run("best.ckpt"))) {
    const Checkpoint best = load_checkpoint(in_run("best.ckpt"));
    if (best.epoch == stopper.monitor().best_epoch()) {
      load_parameters(best, model, in_run("best.ckpt"));
      best_parameters_epoch = best.epoch;
      restored_from_file = true;
    }
  }
  // Otherwise no file holds them (best.ckpt keeps checkpoint.monitor's best): say so rather
  // than end, silently, with other weights than the uninterrupted run would.
  if (es.enabled && es.restore_best && best_parameters.empty() && !restored_from_file &&
      stopper.monitor().best_epoch() > 0)
    log_.line("note: restore_best: the best weights by " + es.monitor + " (epoch " +
              std::to_string(stopper.monitor().best_epoch()) +
              ") predate this resumed process and no checkpoint holds them (best.ckpt keeps "
              "the best by " +
              ck.monitor + "); the final model is the last epoch's");
  if (!best_parameters.empty()) {
    model.upload_parameters(best_parameters);
    // Early stopping and checkpointing may watch different metrics: then the weights the run
    // ends with (and reports below) may be in no file. Say so, and how to keep them.
    const bool in_best = ck.save_best && best_tracker.best_epoch() == best_parameters_epoch;
    const bool in_last = ck.save_last && summary.last.epoch == best_parameters_epoch;
    if (!in_best && !in_last)
      log_.line("note: the final model (restore_best: epoch " +
                std::to_string(best_parameters_epoch) + ", best by " + es.monitor +
                ") is in no checkpoint: best.ckpt holds the best by " + ck.monitor + " (epoch " +
                std::to_string(best_tracker.best_epoch()) +
                "); set checkpoint.monitor: " + es.monitor + " to save it");
  }
  if (!best_parameters.empty() || restored_from_file)
    summary.final_weights = "best epoch " + std::to_string(best_parameters_epoch);
  else if (summary.diverged)
    summary.final_weights = "as they were when training diverged";
  else if (interrupted_mid_epoch)  // updated by part of an epoch: the last epoch's are gone
    summary.final_weights = "as they were when " + summary.stop_reason;
  else
    summary.final_weights = "last epoch " + std::to_string(summary.last.epoch);
  summary.final_val = session.evaluate_validation();
  if (data_.test) summary.final_test = session.evaluate_test();

  summary.best_epoch = best_tracker.best_epoch();
  summary.best_value = best_tracker.best();
  summary.wall_seconds = seconds_since(started_);
  const std::string best_saved_note = !ck.save_best  ? std::string()
                                      : best_on_disk ? "; saved " + in_run("best.ckpt")
                                                     : "; its checkpoint is no longer on disk";
  for (const std::string& line : run_end_lines(summary, best_saved_note)) log_.line(line);
  write_summary_json(in_run("summary.json"), run_facts(), summary);
  return summary;
}

}  // namespace nnrun
