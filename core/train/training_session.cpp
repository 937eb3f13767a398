// One epoch of training. Per step: gather a batch on the device, forward, fused loss +
// gradient, backward, one optimizer call. Metrics stay on the device until the epoch ends.
#include "core/train/training_session.hpp"

#include <numeric>

#include "core/model/loss.hpp"
#include "core/tensor_io.hpp"
#include "core/train/evaluate.hpp"
#include "core/util/philox.hpp"

namespace nnrun {
namespace {

// Fisher-Yates with the epoch's own counter-based stream: epoch e's order depends only on
// (seed, e), so a resumed run shuffles exactly as an uninterrupted one.
void shuffle_order(std::vector<std::int32_t>& order, std::uint64_t seed, std::int64_t epoch) {
  std::iota(order.begin(), order.end(), 0);
  Philox rng(seed, RngStream::shuffle, static_cast<std::uint32_t>(epoch));
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.next_below(i)]);
}

constexpr DType kDType = DType::f32;

}  // namespace

TrainingSession::TrainingSession(const Config& config, Backend& backend, const PreparedData& data)
    : config_(config),
      backend_(backend),
      task_(task_of(config.loss)),
      batch_size_(config.training.batch_size),
      model_(backend, config.model, data.train.features.cols, kDType),
      optimizer_(backend, config.optimizer, model_.parameter_count(), kDType),
      train_set_(backend, data.train, task_, kDType, batch_size_),
      val_set_(backend, data.validation, task_, kDType, batch_size_),
      metrics_(backend, 1, kMetricSlots, DType::f64),
      doutput_(backend, std::min(batch_size_, data.train.size()), model_.output_width(), kDType),
      order_(static_cast<std::size_t>(data.train.size())) {
  if (data.test) test_set_.emplace(backend, *data.test, task_, kDType, batch_size_);
  std::int64_t largest = std::max(data.train.size(), data.validation.size());
  if (data.test) largest = std::max(largest, data.test->size());
  model_.initialize(config.seed);
  model_.prepare(std::min(batch_size_, largest));
}

std::int64_t TrainingSession::batches_per_epoch() const {
  return (train_set_.size() + batch_size_ - 1) / batch_size_;
}

EpochOutcome TrainingSession::run_epoch(std::int64_t epoch, double lr, const Progress& progress,
                                        const EpochResumePoint& resume) {
  if (config_.training.shuffle) {
    shuffle_order(order_, config_.seed, epoch);
    train_set_.set_order(order_);
  } else {
    train_set_.set_order({});
  }
  if (resume.totals.empty())
    backend_.fill_zero(metrics_);
  else
    upload_values(backend_, metrics_, std::span<const double>(resume.totals));
  EpochOutcome out;
  const std::int64_t batches = batches_per_epoch();
  for (std::int64_t b = resume.batches_done; b < batches; ++b) {
    const std::int64_t begin = b * batch_size_;
    const std::int64_t count = std::min(batch_size_, train_set_.size() - begin);
    const Batch batch = train_set_.batch(begin, count);
    const ForwardPass pass{Mode::train, config_.seed,
                           static_cast<std::uint64_t>(optimizer_.steps_taken())};
    const Tensor output = model_.forward(batch.src, pass);
    const Tensor dout = doutput_.tensor().row_range(0, count);
    compute_loss(backend_, config_.loss, output, batch.target, dout, metrics_);
    model_.backward(dout);
    optimizer_.step(model_.parameters(), model_.gradients(), lr, metrics_);
    if (progress && !progress(b + 1, batches) && b + 1 < batches) {
      out.interrupted = true;
      out.batches_done = b + 1;
      break;
    }
  }

  out.record.epoch = epoch;
  out.record.lr = lr;
  const std::vector<double> totals = download_values(backend_, metrics_);
  out.record.train = metrics_from_totals(totals, task_);
  if (totals[kNonFinite] > 0) {
    out.diverged = true;
    out.first_bad_batch = static_cast<std::int64_t>(totals[kFirstNonFinite]) / batch_size_ + 1;
    out.record.train.loss = std::numeric_limits<double>::quiet_NaN();
    // For regression the error column is the MSE, the same non-finite sum as the loss.
    if (task_ == Task::regression) out.record.train.error = out.record.train.loss;
    return out;
  }
  if (out.interrupted) {
    out.totals = totals;
    return out;
  }
  out.record.val = evaluate_validation();
  return out;
}

PassMetrics TrainingSession::evaluate_validation() {
  return evaluate(backend_, model_, val_set_, config_.loss, batch_size_, metrics_);
}

PassMetrics TrainingSession::evaluate_test() {
  return evaluate(backend_, model_, *test_set_, config_.loss, batch_size_, metrics_);
}

}  // namespace nnrun
