// The training loop. Per step: gather a batch on the device, forward, fused loss + gradient,
// backward, one optimizer call. Metrics stay on the device until the epoch ends.
#include "core/train/trainer.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <numeric>

#include "core/checkpoint/atomic_file.hpp"
#include "core/errors.hpp"
#include "core/model/loss.hpp"
#include "core/tensor_io.hpp"
#include "core/train/compatibility.hpp"
#include "core/train/epoch_printer.hpp"
#include "core/train/evaluate.hpp"
#include "core/train/metric_monitor.hpp"
#include "core/train/run_files.hpp"
#include "core/train/snapshot.hpp"
#include "core/util/philox.hpp"

namespace nnrun {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Fisher-Yates with the epoch's own counter-based stream: epoch e's order depends only on
// (seed, e), so a resumed run shuffles exactly as an uninterrupted one.
void shuffle_order(std::vector<std::int32_t>& order, std::uint64_t seed, std::int64_t epoch) {
  std::iota(order.begin(), order.end(), 0);
  Philox rng(seed, RngStream::shuffle, static_cast<std::uint32_t>(epoch));
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.next_below(i)]);
}

}  // namespace

Trainer::Trainer(const Config& config, std::string config_yaml, Backend& backend, PreparedData data,
                 RunLog& log)
    : config_(config),
      config_yaml_(std::move(config_yaml)),
      backend_(backend),
      data_(std::move(data)),
      log_(log) {}

TrainSummary Trainer::fit() {
  const auto started = Clock::now();
  namespace fs = std::filesystem;
  check_model_fits_data(config_, data_.train);

  const std::string run_dir = config_.checkpoint.dir;
  std::error_code ec;
  fs::create_directories(run_dir, ec);
  if (ec) throw RuntimeFailure(run_dir + ": cannot create run directory: " + ec.message());
  auto in_run = [&](const char* file) { return (fs::path(run_dir) / file).string(); };
  log_.attach_file(in_run("train.log"));
  write_file_atomically(in_run("config.yaml"), config_yaml_);
  MetricsCsv csv(in_run("metrics.csv"));

  const Task task = task_of(config_.loss);
  const DType dtype = DType::f32;
  const std::int64_t batch_size = config_.training.batch_size;
  Model model(backend_, config_.model, data_.train.features.cols, dtype);
  model.initialize(config_.seed);
  model.prepare(std::min(batch_size, std::max(data_.train.size(), data_.validation.size())));
  Optimizer optimizer(backend_, config_.optimizer, model.parameter_count(), dtype);
  DeviceDataset train_set(backend_, data_.train, task, dtype, batch_size);
  DeviceDataset val_set(backend_, data_.validation, task, dtype, batch_size);
  DeviceBuffer metrics(backend_, 1, kMetricSlots, DType::f64);
  DeviceBuffer doutput(backend_, std::min(batch_size, data_.train.size()), model.output_width(),
                       dtype);

  log_.line("nnrun: training '" + config_.name + "' on " + backend_.description());
  log_.line("data: " + std::to_string(data_.train.size()) + " training, " +
            std::to_string(data_.validation.size()) + " validation samples, " +
            std::to_string(data_.train.features.cols) + " features" +
            (task == Task::classification
                 ? ", " + std::to_string(data_.train.num_classes()) + " classes"
                 : std::string()));
  log_.line("model: " + std::to_string(model.parameter_count()) + " parameters; run directory " +
            run_dir);

  MetricMonitor best_tracker(
      config_.checkpoint.monitor,
      config_.early_stopping.enabled ? config_.early_stopping.mode : MonitorMode::auto_, 0.0);
  const EarlyStoppingConfig& es = config_.early_stopping;
  MetricMonitor stopper(es.monitor, es.mode, es.min_delta);
  std::vector<double> best_parameters;
  EpochPrinter printer(log_, task, config_.training.epochs);
  std::vector<std::int32_t> order(static_cast<std::size_t>(data_.train.size()));
  TrainSummary summary;
  summary.monitor = best_tracker.metric();
  summary.stop_reason = "completed all " + std::to_string(config_.training.epochs) + " epochs";
  const double lr = config_.optimizer.lr;

  for (std::int64_t epoch = 1; epoch <= config_.training.epochs; ++epoch) {
    const auto epoch_started = Clock::now();
    if (config_.training.shuffle) {
      shuffle_order(order, config_.seed, epoch);
      train_set.set_order(order);
    } else {
      train_set.set_order({});
    }
    backend_.fill_zero(metrics);
    for (std::int64_t begin = 0; begin < train_set.size(); begin += batch_size) {
      const std::int64_t count = std::min(batch_size, train_set.size() - begin);
      const Batch batch = train_set.batch(begin, count);
      const Tensor output = model.forward(batch.src, Mode::train);
      const Tensor dout = doutput.tensor().row_range(0, count);
      compute_loss(backend_, config_.loss, output, batch.target, dout, metrics);
      model.backward(dout);
      optimizer.step(model.parameters(), model.gradients(), lr, metrics);
    }
    EpochRecord record;
    record.epoch = epoch;
    record.lr = lr;
    record.train = metrics_from_totals(download_values(backend_, metrics), task);
    record.val = evaluate(backend_, model, val_set, config_.loss, batch_size, metrics);
    record.seconds = seconds_since(epoch_started);
    summary.epochs_run = epoch;
    summary.last = record;

    if (!std::isfinite(record.train.loss)) {
      printer.print(record, false);
      csv.append(record);
      summary.stop_reason = "diverged: training loss is " + format_metric(record.train.loss) +
                            " in epoch " + std::to_string(epoch);
      break;  // non-finite weights are never checkpointed
    }
    const bool is_best = best_tracker.update(metric_value(record, best_tracker.metric()), epoch);
    csv.append(record);
    printer.print(record, is_best && config_.checkpoint.save_best);
    const SnapshotSource source{config_yaml_,     backend_,    model, optimizer,
                                data_.normalizer, data_.train, record};
    if (is_best) {
      summary.best = record;
      if (config_.checkpoint.save_best)
        save_checkpoint(in_run("best.ckpt"), make_checkpoint(backend_, source));
    }
    if (config_.checkpoint.save_last)
      save_checkpoint(in_run("last.ckpt"), make_checkpoint(backend_, source));
    if (es.enabled) {
      if (stopper.update(metric_value(record, es.monitor), epoch) && es.restore_best)
        best_parameters = model.download_parameters();
      // Keras semantics: stop once `patience` epochs in a row brought no improvement.
      if (stopper.epochs_without_improvement() >= es.patience) {
        summary.stop_reason = "early stopping: " + es.monitor + " did not improve for " +
                              std::to_string(es.patience) + " epochs (best: epoch " +
                              std::to_string(stopper.best_epoch()) + ")";
        break;
      }
    }
  }
  // restore_best: the model this trainer leaves behind holds the best epoch's weights.
  if (!best_parameters.empty()) model.upload_parameters(best_parameters);

  summary.best_epoch = best_tracker.best_epoch();
  summary.best_value = best_tracker.best();
  summary.wall_seconds = seconds_since(started);
  log_.line("stopped: " + summary.stop_reason);
  if (summary.best_epoch > 0)
    log_.line("best " + summary.monitor + " " + format_metric(summary.best_value) + " at epoch " +
              std::to_string(summary.best_epoch) +
              (config_.checkpoint.save_best ? "; saved " + in_run("best.ckpt") : std::string()));
  write_summary_json(in_run("summary.json"),
                     {config_.name, run_dir, backend_.name(), backend_.description()}, summary);
  return summary;
}

}  // namespace nnrun
