// Where a training step's time goes, per backend op: the measurement that guides speed work
// in backends/. Trains an MLP on random data with the real Model, Optimizer and DeviceDataset,
// through a decorator that times every backend call.
//   nnrun_bench_step_profile [--threads T] [--batch N] [--widths 784,256,128,10]
//                            [--steps S] [--samples K] [--backend cpu|cpu-bf16|reference]
// Prints the median and best step time and, per op, the mean time per step (wall clock;
// on a busy machine compare the best and median of runs made one after the other).
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "backends/onednn/onednn_backend.hpp"
#include "backends/reference/reference_backend.hpp"
#include "core/model/loss.hpp"
#include "core/model/model.hpp"
#include "core/train/device_dataset.hpp"
#include "core/train/optimizer.hpp"

namespace {

using namespace nnrun;
using Clock = std::chrono::steady_clock;

// Forwards every call to `inner`, adding its wall time to a per-op total.
class TimingBackend final : public Backend {
 public:
  explicit TimingBackend(Backend& inner) : inner_(inner) {}
  std::map<std::string, double> seconds;  // op -> total

  std::string name() const override { return inner_.name(); }
  std::string description() const override { return inner_.description(); }
  bool supports(DType d) const override { return inner_.supports(d); }
  void* allocate(std::size_t bytes) override { return inner_.allocate(bytes); }
  void release(void* p) noexcept override { inner_.release(p); }
  void upload(Tensor d, const void* s) override { inner_.upload(d, s); }
  void download(Tensor s, void* d) override { inner_.download(s, d); }
  void fill_zero(Tensor d) override {
    timed("fill_zero", [&] { inner_.fill_zero(d); });
  }
  void gather_rows(Tensor s, Tensor i, Tensor d) override {
    timed("gather_rows", [&] { inner_.gather_rows(s, i, d); });
  }
  void dense_forward(Tensor s, Tensor w, Tensor b, Tensor d) override {
    timed("dense_forward " + shape(w), [&] { inner_.dense_forward(s, w, b, d); });
  }
  void dense_backward(Tensor s, Tensor w, Tensor dd, Tensor ds, Tensor dw, Tensor db) override {
    timed("dense_backward " + shape(w), [&] { inner_.dense_backward(s, w, dd, ds, dw, db); });
  }
  void dense_activation_backward(ActivationParams a, Tensor s, Tensor w, Tensor l, Tensor d,
                                 Tensor dd, Tensor dl, Tensor ds, Tensor dw, Tensor db) override {
    timed("dense_activation_backward " + shape(w),
          [&] { inner_.dense_activation_backward(a, s, w, l, d, dd, dl, ds, dw, db); });
  }
  void dense_activation_forward(ActivationParams a, Tensor s, Tensor w, Tensor b, Tensor l,
                                Tensor d) override {
    timed("dense_activation_forward " + shape(w),
          [&] { inner_.dense_activation_forward(a, s, w, b, l, d); });
  }
  void activation_forward(ActivationParams a, Tensor s, Tensor d) override {
    timed("activation_forward", [&] { inner_.activation_forward(a, s, d); });
  }
  void activation_backward(ActivationParams a, Tensor s, Tensor d, Tensor dd, Tensor ds) override {
    timed("activation_backward", [&] { inner_.activation_backward(a, s, d, dd, ds); });
  }
  void softmax_cross_entropy(Tensor z, Tensor y, Tensor dz, Tensor m) override {
    timed("softmax_cross_entropy", [&] { inner_.softmax_cross_entropy(z, y, dz, m); });
  }
  void sigmoid_binary_cross_entropy(Tensor z, Tensor y, Tensor dz, Tensor m) override {
    inner_.sigmoid_binary_cross_entropy(z, y, dz, m);
  }
  void mean_squared_error(Tensor p, Tensor t, Tensor dp, Tensor m) override {
    inner_.mean_squared_error(p, t, dp, m);
  }
  void dropout_forward(DropoutParams p, Tensor s, Tensor m, Tensor d) override {
    inner_.dropout_forward(p, s, m, d);
  }
  void dropout_backward(Tensor dd, Tensor m, Tensor ds) override {
    inner_.dropout_backward(dd, m, ds);
  }
  void clip_grad_norm(Tensor g, double n, Tensor m) override { inner_.clip_grad_norm(g, n, m); }
  void sgd_step(const SgdParams& p, Tensor w, Tensor g, Tensor v, Tensor guard) override {
    timed("sgd_step", [&] { inner_.sgd_step(p, w, g, v, guard); });
  }
  void adam_step(const AdamParams& p, Tensor w, Tensor g, Tensor m, Tensor v,
                 Tensor guard) override {
    timed("adam_step", [&] { inner_.adam_step(p, w, g, m, v, guard); });
  }
  void rmsprop_step(const RmspropParams& p, Tensor w, Tensor g, Tensor s, Tensor b, Tensor a,
                    Tensor guard) override {
    timed("rmsprop_step", [&] { inner_.rmsprop_step(p, w, g, s, b, a, guard); });
  }

 private:
  static std::string shape(const Tensor& w) {
    return std::to_string(w.cols) + "->" + std::to_string(w.rows);
  }
  template <typename Fn>
  void timed(const std::string& op, Fn&& fn) {
    const auto start = Clock::now();
    fn();
    seconds[op] += std::chrono::duration<double>(Clock::now() - start).count();
  }
  Backend& inner_;
};

struct Options {
  int threads = 2;
  std::int64_t batch = 128, steps = 600, samples = 12800;
  std::vector<std::int64_t> widths{784, 256, 128, 10};
  std::string backend = "cpu";
};

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i], value = argv[i + 1];
    if (arg == "--threads") {
      o.threads = std::atoi(value.c_str());
    } else if (arg == "--batch") {
      o.batch = std::atoll(value.c_str());
    } else if (arg == "--steps") {
      o.steps = std::atoll(value.c_str());
    } else if (arg == "--samples") {
      o.samples = std::atoll(value.c_str());
    } else if (arg == "--backend") {
      o.backend = value;
    } else if (arg == "--widths") {
      o.widths.clear();
      std::stringstream list(value);
      for (std::string item; std::getline(list, item, ',');) o.widths.push_back(std::stoll(item));
    } else {
      return false;
    }
  }
  return argc % 2 == 1 && o.threads > 0 && o.batch > 0 && o.steps > 0 && o.samples >= o.batch &&
         o.widths.size() >= 2;
}

Dataset random_dataset(const Options& o) {
  Dataset d;
  const std::int64_t width = o.widths.front(), classes = o.widths.back();
  std::vector<float> x(static_cast<std::size_t>(o.samples * width));
  std::uint32_t state = 12345;
  for (float& v : x) {
    state = state * 1664525u + 1013904223u;
    v = static_cast<float>(state >> 8) / 16777216.0f;
  }
  d.features = {o.samples, width, std::move(x)};
  for (std::int64_t i = 0; i < o.samples; ++i) d.labels.push_back(static_cast<int>(i % classes));
  for (std::int64_t c = 0; c < classes; ++c) d.class_names.push_back(std::to_string(c));
  return d;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) {
    std::fprintf(stderr,
                 "usage: %s [--threads T] [--batch N] [--widths 784,256,128,10] [--steps S] "
                 "[--samples K] [--backend cpu|cpu-bf16|reference]\n",
                 argv[0]);
    return 2;
  }
  std::unique_ptr<Backend> inner;
  if (o.backend == "reference")
    inner = std::make_unique<ReferenceBackend>();
  else
    inner = std::make_unique<OneDnnBackend>(
        o.threads, o.backend == "cpu-bf16" ? MatmulPrecision::bf16 : MatmulPrecision::f32);
  TimingBackend backend(*inner);

  ModelConfig config;
  for (std::size_t i = 1; i < o.widths.size(); ++i) {
    const bool last = i + 1 == o.widths.size();
    config.layers.push_back(
        {"dense", o.widths[i], {last ? Activation::none : Activation::relu, 0}, {}, 0});
  }
  Model model(backend, config, o.widths.front(), DType::f32);
  Optimizer optimizer(backend, OptimizerConfig{}, model.parameter_count(), DType::f32);
  DeviceDataset data(backend, random_dataset(o), Task::classification, DType::f32, o.batch);
  DeviceBuffer metrics(backend, 1, kMetricSlots, DType::f64);
  DeviceBuffer dlogits(backend, o.batch, o.widths.back(), DType::f32);
  model.initialize(1);
  model.prepare(o.batch);
  std::vector<std::int32_t> order(static_cast<std::size_t>(o.samples));
  for (std::int64_t i = 0; i < o.samples; ++i)
    order[static_cast<std::size_t>(i)] = static_cast<std::int32_t>((i * 7919) % o.samples);
  data.set_order(order);
  backend.fill_zero(metrics);

  const std::int64_t per_pass = o.samples / o.batch;
  auto step = [&](std::int64_t s) {
    const Batch b = data.batch((s % per_pass) * o.batch, o.batch);
    const Tensor out =
        model.forward(b.src, ForwardPass{Mode::train, 1, static_cast<std::uint64_t>(s)});
    compute_loss(backend, LossKind::cross_entropy, out, b.target, dlogits, metrics);
    model.backward(dlogits);
    optimizer.step(model.parameters(), model.gradients(), 1e-3, metrics);
  };
  for (std::int64_t s = 0; s < 20; ++s) step(s);  // warm-up: primitives, caches
  backend.seconds.clear();

  std::vector<double> step_seconds;
  for (std::int64_t s = 0; s < o.steps; ++s) {
    const auto start = Clock::now();
    step(s);
    step_seconds.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  std::vector<double> sorted = step_seconds;
  std::sort(sorted.begin(), sorted.end());
  double total = 0;
  for (const double s : step_seconds) total += s;

  std::printf("%s; batch %lld, %lld steps\n", inner->description().c_str(),
              static_cast<long long>(o.batch), static_cast<long long>(o.steps));
  std::printf("step: median %.1f us, best %.1f us, mean %.1f us\n", sorted[sorted.size() / 2] * 1e6,
              sorted.front() * 1e6, total / static_cast<double>(o.steps) * 1e6);
  std::vector<std::pair<double, std::string>> ops;
  double in_ops = 0;
  for (const auto& [op, seconds] : backend.seconds) {
    ops.emplace_back(seconds, op);
    in_ops += seconds;
  }
  std::sort(ops.rbegin(), ops.rend());
  for (const auto& [seconds, op] : ops)
    std::printf("  %-30s %9.1f us/step %5.1f%%\n", op.c_str(),
                seconds / static_cast<double>(o.steps) * 1e6, 100 * seconds / total);
  std::printf("  %-30s %9.1f us/step %5.1f%%\n", "(outside backend ops)",
              (total - in_ops) / static_cast<double>(o.steps) * 1e6,
              100 * (total - in_ops) / total);
  return 0;
}
