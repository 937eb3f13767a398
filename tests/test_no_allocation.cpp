// The steady-state training step allocates nothing: every heap allocation made while a
// counter is armed (operator new and the malloc family, from any thread) is counted.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "backends/onednn/onednn_backend.hpp"
#include "backends/reference/reference_backend.hpp"
#include "core/model/loss.hpp"
#include "core/model/model.hpp"
#include "core/tensor_io.hpp"
#include "core/train/device_dataset.hpp"
#include "core/train/optimizer.hpp"
#include "tests/gradient_check.hpp"

namespace {
std::atomic<bool> g_counting{false};
std::atomic<long> g_allocations{0};
void note_allocation() {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1);
}
}  // namespace

// glibc's real allocator entry points; defining malloc here interposes it for every library.
extern "C" void* __libc_malloc(std::size_t);
extern "C" void* __libc_calloc(std::size_t, std::size_t);
extern "C" void* __libc_realloc(void*, std::size_t);
extern "C" void* __libc_memalign(std::size_t, std::size_t);

extern "C" void* malloc(std::size_t n) {
  note_allocation();
  return __libc_malloc(n);
}
extern "C" void* calloc(std::size_t n, std::size_t size) {
  note_allocation();
  return __libc_calloc(n, size);
}
extern "C" void* realloc(void* p, std::size_t n) {
  note_allocation();
  return __libc_realloc(p, n);
}
extern "C" int posix_memalign(void** out, std::size_t alignment, std::size_t n) {
  note_allocation();
  *out = __libc_memalign(alignment, n);
  return *out ? 0 : ENOMEM;
}
extern "C" void* aligned_alloc(std::size_t alignment, std::size_t n) {
  note_allocation();
  return __libc_memalign(alignment, n);
}

using namespace nnrun;

namespace {

// Counts the heap allocations made while fn runs.
template <typename Fn>
long allocations_during(Fn&& fn) {
  g_allocations = 0;
  g_counting = true;
  fn();
  g_counting = false;
  return g_allocations.load();
}

// A small classifier trained for whole epochs; batches of 16 over 50 samples, so every epoch
// has a ragged last batch too.
class EpochRunner {
 public:
  explicit EpochRunner(Backend& backend)
      : backend_(backend),
        model_(backend, config(), 6, DType::f32),
        optimizer_(backend, OptimizerConfig{}, model_.parameter_count(), DType::f32),
        data_(backend, dataset(), Task::classification, DType::f32, kBatch),
        metrics_(backend, 1, kMetricSlots, DType::f64),
        dlogits_(backend, kBatch, 3, DType::f32) {
    model_.initialize(1);
    model_.prepare(kBatch);
    std::vector<std::int32_t> order(kSamples);
    for (std::int64_t i = 0; i < kSamples; ++i)
      order[i] = static_cast<std::int32_t>(kSamples - 1 - i);
    data_.set_order(order);
  }

  void epoch() {
    for (std::int64_t begin = 0; begin < kSamples; begin += kBatch) {
      const std::int64_t n = std::min(kBatch, kSamples - begin);
      const Batch b = data_.batch(begin, n);
      const Tensor out = model_.forward(b.src, ForwardPass{Mode::train});
      const Tensor d = dlogits_.tensor().row_range(0, n);
      compute_loss(backend_, LossKind::cross_entropy, out, b.target, d, metrics_);
      model_.backward(d);
      optimizer_.step(model_.parameters(), model_.gradients(), 0.01, metrics_);
    }
  }

 private:
  static constexpr std::int64_t kSamples = 50, kBatch = 16;
  static ModelConfig config() {
    ModelConfig c;
    c.layers = {{"dense", 32, {Activation::relu, 0}, {}},
                {"dense", 16, {Activation::gelu, 0}, {}},
                {"dense", 3, {}, {}}};
    return c;
  }
  static Dataset dataset() {
    Dataset d;
    const std::vector<double> x = nnrun::testing::random_values(kSamples * 6, -1, 1, 1);
    d.features = {kSamples, 6, std::vector<float>(x.begin(), x.end())};
    for (std::int64_t i = 0; i < kSamples; ++i) d.labels.push_back(static_cast<int>(i % 3));
    d.class_names = {"a", "b", "c"};
    return d;
  }

  Backend& backend_;
  Model model_;
  Optimizer optimizer_;
  DeviceDataset data_;
  DeviceBuffer metrics_, dlogits_;
};

}  // namespace

TEST_CASE("allocation counter sees allocations from malloc and new") {
  CHECK(allocations_during([] { std::free(std::malloc(10)); }) == 1);
  CHECK(allocations_during([] {
          int* p = new int(3);
          asm volatile("" : : "r"(p) : "memory");  // keeps the compiler from eliding new
          delete p;
        }) == 1);
}

TEST_CASE("core: the training step itself makes no heap allocation (reference backend)") {
  ReferenceBackend backend;
  EpochRunner runner(backend);
  runner.epoch();
  CHECK(allocations_during([&] { runner.epoch(); }) == 0);
}

// oneDNN 2.6's dnnl_primitive_execute builds its argument map (a std::unordered_map) on
// every call, so a step on this backend does allocate inside the library. What nnrun
// controls is asserted: after warm-up nothing grows (no primitive or buffer is created),
// every epoch allocates exactly as much as the one before.
TEST_CASE("onednn: after warm-up every epoch makes the same allocations (oneDNN's own only)") {
  OneDnnBackend backend(0);
  EpochRunner runner(backend);
  runner.epoch();  // creates the primitives for both batch shapes
  const std::size_t primitives = backend.primitives_created();
  const long second = allocations_during([&] { runner.epoch(); });
  const long third = allocations_during([&] { runner.epoch(); });
  CHECK(second == third);
  CHECK(backend.primitives_created() == primitives);
}

// bf16 keeps more: the optimizer's weight copy and each layer input's bf16 copy (batch
// inputs made by gather_rows). Those grow once, in warm-up, then are reused.
TEST_CASE("onednn bf16: after warm-up every epoch makes the same allocations") {
  if (!OneDnnBackend::bf16_supported()) return;  // covered by the refusal test
  OneDnnBackend backend(0, MatmulPrecision::bf16);
  EpochRunner runner(backend);
  runner.epoch();
  const std::size_t primitives = backend.primitives_created();
  const long second = allocations_during([&] { runner.epoch(); });
  const long third = allocations_during([&] { runner.epoch(); });
  CHECK(second == third);
  CHECK(backend.primitives_created() == primitives);
}

// A data set goes to the backend without a host copy of it on the way (Fashion-MNIST's
// converted copy was 179 MiB at the peak); a converting upload still needs one.
TEST_CASE("upload_values of the backend's own type copies nothing on the host") {
  ReferenceBackend backend;
  DeviceBuffer floats(backend, 1000, 100, DType::f32);
  const std::vector<float> values(100000, 0.5f);
  CHECK(allocations_during(
            [&] { upload_values(backend, floats, std::span<const float>(values)); }) == 0);
  DeviceBuffer doubles(backend, 1000, 100, DType::f64);
  CHECK(allocations_during(
            [&] { upload_values(backend, doubles, std::span<const float>(values)); }) == 1);
}
