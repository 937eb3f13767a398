// The oneDNN backend's engine, stream and primitive cache, and the backend's construction:
// thread count, description line and the cache counter that the tests read.
#include "backends/onednn/primitive_cache.hpp"

#include <oneapi/dnnl/dnnl_debug.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

#include "backends/onednn/onednn_backend.hpp"

#ifdef _OPENMP
#include <omp.h>
#endif

namespace nnrun::onednn {

std::size_t PrimitiveKeyHash::operator()(const PrimitiveKey& key) const noexcept {
  std::size_t h = static_cast<std::size_t>(key.op) * 0x9E3779B97F4A7C15ull;
  const auto mix = [&h](std::size_t v) { h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2); };
  mix(static_cast<std::size_t>(key.algorithm));
  mix(std::hash<float>{}(key.alpha));
  for (const std::int64_t d : key.dims) mix(static_cast<std::size_t>(d));
  return h;
}

std::string describe(const PrimitiveKey& key) {
  const auto& d = key.dims;
  const std::string dense = " (N=" + std::to_string(d[0]) + ", I=" + std::to_string(d[1]) +
                            ", O=" + std::to_string(d[2]) + ")";
  const std::string eltwise =
      std::string(" (") + dnnl_alg_kind2str(static_cast<dnnl_alg_kind_t>(key.algorithm)) +
      ", alpha " + std::to_string(key.alpha) + ", " + std::to_string(d[0]) + " elements)";
  switch (key.op) {
    case OpKind::dense_forward:
      return key.algorithm == dnnl::algorithm::undef
                 ? "dense_forward" + dense
                 : "dense_activation_forward" + dense + " + " +
                       dnnl_alg_kind2str(static_cast<dnnl_alg_kind_t>(key.algorithm));
    case OpKind::dense_backward_data:
      return "dense_backward data" + dense;
    case OpKind::dense_backward_weights:
      return "dense_backward weights" + dense;
    case OpKind::dense_backward_data_side_by_side:
      return "dense_backward data, one thread" + dense;
    case OpKind::dense_backward_weights_side_by_side:
      return "dense_backward weights, one thread" + dense;
    case OpKind::eltwise_forward:
      return "activation_forward" + eltwise;
    case OpKind::eltwise_backward:
      return "activation_backward" + eltwise;
    case OpKind::softmax_forward:
      return "softmax_cross_entropy softmax (N=" + std::to_string(d[0]) +
             ", C=" + std::to_string(d[1]) + ")";
  }
  return "unknown op";
}

namespace {
[[noreturn]] void throw_status(const std::string& what, dnnl_status_t status) {
  throw std::runtime_error("oneDNN: " + what + ": " + dnnl_status2str(status));
}

// Sets the OpenMP thread count to one for its lifetime when asked to, so that oneDNN builds
// or runs a primitive single-threaded; the previous count comes back on exit. Setting the
// count is a write to the calling thread's control variables: no system call, no allocation.
class ThreadScope {
 public:
  explicit ThreadScope(Threads threads) {
#ifdef _OPENMP
    if (threads == Threads::one) {
      saved_ = omp_get_max_threads();
      if (saved_ > 1) omp_set_num_threads(1);
    }
#else
    (void)threads;
#endif
  }
  ~ThreadScope() {
#ifdef _OPENMP
    if (saved_ > 1) omp_set_num_threads(saved_);
#endif
  }
  ThreadScope(const ThreadScope&) = delete;
  ThreadScope& operator=(const ThreadScope&) = delete;

 private:
  int saved_ = 0;
};
}  // namespace

PrimitiveCache::PrimitiveCache() {
  try {
    engine_ = dnnl::engine(dnnl::engine::kind::cpu, 0);
    stream_ = dnnl::stream(engine_);
    second_stream_ = dnnl::stream(engine_);
  } catch (const dnnl::error& e) {
    throw_status("cannot create the CPU engine and stream", e.status);
  }
}

CachedPrimitive& PrimitiveCache::insert(const PrimitiveKey& key, Threads threads,
                                        const std::function<BuiltPrimitive()>& build) {
  auto entry = std::make_unique<CachedPrimitive>();
  entry->name = describe(key);
  entry->threads = threads;
  try {
    const ThreadScope scope(threads);  // oneDNN sizes a primitive for the threads it sees
    BuiltPrimitive built = build();
    entry->primitive = std::move(built.primitive);
    for (const ArgSpec& arg : built.args) {
      // No buffer yet: execute() points the memory at the caller's tensor each call.
      entry->memories.emplace_back(arg.desc, engine_, static_cast<void*>(DNNL_MEMORY_NONE));
      entry->args.push_back({arg.id, entry->memories.back().get()});
    }
  } catch (const dnnl::error& e) {
    throw_status("cannot create " + entry->name + " (" + e.what() + ")", e.status);
  }
  CachedPrimitive& result = *entry;
  entries_.emplace(key, std::move(entry));
  return result;
}

void PrimitiveCache::bind(CachedPrimitive& entry, std::initializer_list<void*> data) {
  if (data.size() != entry.args.size())
    throw std::logic_error(entry.name + ": wrong number of execute arguments");
  std::size_t i = 0;
  for (void* ptr : data) {
    if (ptr == nullptr) throw std::invalid_argument(entry.name + ": null tensor data");
    const dnnl_status_t status =
        dnnl_memory_set_data_handle_v2(entry.args[i++].memory, ptr, nullptr);
    if (status != dnnl_success) throw_status(entry.name + ": set_data_handle", status);
  }
}

namespace {
dnnl_status_t run_to_completion(CachedPrimitive& entry, dnnl_stream_t stream) {
  const dnnl_status_t status = dnnl_primitive_execute(
      entry.primitive.get(), stream, static_cast<int>(entry.args.size()), entry.args.data());
  return status != dnnl_success ? status : dnnl_stream_wait(stream);
}
}  // namespace

void PrimitiveCache::execute(CachedPrimitive& entry, std::initializer_list<void*> data) {
  bind(entry, data);
  const ThreadScope scope(entry.threads);
  const dnnl_status_t status = run_to_completion(entry, stream_.get());
  if (status != dnnl_success) throw_status(entry.name + ": execute", status);
}

// Why: with OMP_WAIT_POLICY=PASSIVE every parallel region wakes a sleeping thread, 7-12 us
// on this 2-core VM (an empty region, measured), and two single-threaded products side by
// side also skip the partitioning and synchronization of one product on two threads.
void PrimitiveCache::execute_side_by_side(CachedPrimitive& a, std::initializer_list<void*> data_a,
                                          CachedPrimitive& b, std::initializer_list<void*> data_b) {
  if (a.threads != Threads::one || b.threads != Threads::one)
    throw std::logic_error(a.name + ", " + b.name + ": side by side needs one-thread primitives");
  bind(a, data_a);
  bind(b, data_b);
  dnnl_status_t status_a = dnnl_success, status_b = dnnl_success;
  const auto in_order = [&] {
    status_a = run_to_completion(a, stream_.get());
    if (status_a == dnnl_success) status_b = run_to_completion(b, stream_.get());
  };
  const ThreadScope scope(Threads::one);  // oneDNN inside each thread: one thread each
#ifdef _OPENMP
#pragma omp parallel num_threads(2)
  {
    const int thread = omp_get_thread_num();
    if (omp_get_num_threads() == 1)
      in_order();
    else if (thread == 0)
      status_a = run_to_completion(a, stream_.get());
    else if (thread == 1)
      status_b = run_to_completion(b, second_stream_.get());
  }
#else
  in_order();
#endif
  if (status_a != dnnl_success) throw_status(a.name + ": execute", status_a);
  if (status_b != dnnl_success) throw_status(b.name + ": execute", status_b);
}

}  // namespace nnrun::onednn

namespace nnrun {
namespace {

const char* runtime_name(unsigned runtime) {
  switch (runtime) {
    case DNNL_RUNTIME_SEQ:
      return "sequential";
    case DNNL_RUNTIME_OMP:
      return "OMP";
    case DNNL_RUNTIME_TBB:
      return "TBB";
    case DNNL_RUNTIME_THREADPOOL:
      return "threadpool";
    default:
      return "unknown";
  }
}

const char* isa_name(dnnl::cpu_isa isa) {
  using dnnl::cpu_isa;
  switch (isa) {
    case cpu_isa::sse41:
      return "sse41";
    case cpu_isa::avx:
      return "avx";
    case cpu_isa::avx2:
      return "avx2";
    case cpu_isa::avx2_vnni:
      return "avx2_vnni";
    case cpu_isa::avx512_mic:
      return "avx512_mic";
    case cpu_isa::avx512_mic_4ops:
      return "avx512_mic_4ops";
    case cpu_isa::avx512_core:
      return "avx512_core";
    case cpu_isa::avx512_core_vnni:
      return "avx512_core_vnni";
    case cpu_isa::avx512_core_bf16:
      return "avx512_core_bf16";
    case cpu_isa::avx512_core_amx:
      return "avx512_core_amx";
    default:
      return "unknown";
  }
}

}  // namespace

bool OneDnnBackend::bf16_supported() {
  // ISA values are nested bit sets: AMX includes AVX512-BF16.
  const auto isa = static_cast<unsigned>(dnnl_get_effective_cpu_isa());
  const auto bf16 = static_cast<unsigned>(dnnl_cpu_isa_avx512_core_bf16);
  return (isa & bf16) == bf16;
}

OneDnnBackend::OneDnnBackend(int threads, MatmulPrecision precision) : precision_(precision) {
  if (threads < 0) throw std::invalid_argument("cpu backend: threads must be >= 0");
  if (precision == MatmulPrecision::bf16 && !bf16_supported())
    throw std::invalid_argument(
        std::string("precision bf16 needs a CPU with AVX512-BF16 or AMX instructions; this one "
                    "offers ") +
        isa_name(dnnl::get_effective_cpu_isa()) + ": use precision f32");
  // Set before any primitive exists: oneDNN sizes its kernels by the thread count it sees.
  if (threads > 0 && dnnl_version()->cpu_runtime == DNNL_RUNTIME_OMP) {
#ifdef _OPENMP
    omp_set_num_threads(threads);
#else
    throw std::runtime_error("cpu backend: built without OpenMP, cannot set threads");
#endif
  }
  cache_ = std::make_unique<onednn::PrimitiveCache>();
}

OneDnnBackend::~OneDnnBackend() = default;

std::vector<std::pair<std::string, std::string>> OneDnnBackend::library_versions() const {
  const dnnl_version_t* v = dnnl_version();
  return {{"oneDNN", std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
                         std::to_string(v->patch)}};
}

std::string OneDnnBackend::description() const {
  const dnnl_version_t* v = dnnl_version();
  int count = v->cpu_runtime == DNNL_RUNTIME_SEQ ? 1 : 0;  // 0: the runtime decides
#ifdef _OPENMP
  if (v->cpu_runtime == DNNL_RUNTIME_OMP) count = omp_get_max_threads();
#endif
  std::string threads = count == 0   ? "default threads"
                        : count == 1 ? "1 thread"
                                     : std::to_string(count) + " threads";
  // How idle threads wait decides much of a step's overhead (app/openmp_env.hpp), and may
  // be chosen per run, so it is part of what a run says it ran on.
  if (count != 1)
    for (const char* name : {"OMP_WAIT_POLICY", "GOMP_SPINCOUNT"})
      if (const char* value = std::getenv(name)) threads += std::string(", ") + name + "=" + value;
  return "oneDNN " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
         std::to_string(v->patch) + " (cpu runtime " + runtime_name(v->cpu_runtime) + ", " +
         threads + ", ISA " + isa_name(dnnl::get_effective_cpu_isa()) +
         (precision_ == MatmulPrecision::bf16 ? ", bf16 matmul" : "") + ")";
}

std::size_t OneDnnBackend::primitives_created() const {
  return cache_->created();
}

}  // namespace nnrun
