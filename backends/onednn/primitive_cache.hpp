// Internal to the oneDNN backend: primitives built once per (op, shape, activation) together
// with their memory objects and C argument array, so a steady-state call only swaps pointers.
#pragma once

#include <oneapi/dnnl/dnnl.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace nnrun::onednn {

enum class OpKind : std::uint8_t {
  dense_forward,
  dense_backward_data,
  dense_backward_weights,
  // The two backward products built for one thread each, run side by side (one per thread).
  dense_backward_data_side_by_side,
  dense_backward_weights_side_by_side,
  eltwise_forward,
  eltwise_backward,
  softmax_forward,
};

struct PrimitiveKey {
  OpKind op = OpKind::dense_forward;
  dnnl::algorithm algorithm = dnnl::algorithm::undef;  // eltwise only
  float alpha = 0;                                     // eltwise only
  std::array<std::int64_t, 3> dims{};  // dense: N, I, O; eltwise: size; softmax: N, C
  bool operator==(const PrimitiveKey&) const = default;
};

struct PrimitiveKeyHash {
  std::size_t operator()(const PrimitiveKey& key) const noexcept;
};

// "dense_forward (N=7, I=5, O=3)": names an op and its shapes in error messages.
std::string describe(const PrimitiveKey& key);

// One execute argument: its DNNL_ARG_* id and memory descriptor (always a plain layout).
struct ArgSpec {
  int id;
  dnnl::memory::desc desc;
};

// What a builder returns: the primitive and its arguments, in the order execute() takes
// the data pointers.
struct BuiltPrimitive {
  dnnl::primitive primitive;
  std::vector<ArgSpec> args;
};

// How many threads a primitive is built and run with. A small op costs less on one thread
// than an OpenMP fork/join (with passive waiting, a futex wake-up of the other thread);
// oneDNN runs a primitive inline, with no parallel region, when it sees one thread.
enum class Threads : std::uint8_t { all, one };

// Below these sizes a primitive runs on one thread (measured with bench/step_profile and
// bench/matmul_peak on 2 cores: a 128x128x10 product took 3 us on one thread and 9-19 us
// on two; the Iris 4-16-3 step paid 15-23 us per op for fork/join).
constexpr std::int64_t kParallelMacs = std::int64_t{1} << 20;      // dense: N * I * O
constexpr std::int64_t kParallelElements = std::int64_t{1} << 17;  // eltwise, softmax

inline Threads threads_for_elements(std::int64_t elements) {
  return elements >= kParallelElements ? Threads::all : Threads::one;
}

struct CachedPrimitive {
  std::string name;  // describe(key), built once for error messages
  Threads threads = Threads::all;
  dnnl::primitive primitive;
  std::vector<dnnl::memory> memories;  // own the memory objects that args point at
  std::vector<dnnl_exec_arg_t> args;   // what dnnl_primitive_execute reads
};

// Owns the one CPU engine and stream, and the primitives built on them.
class PrimitiveCache {
 public:
  PrimitiveCache();

  const dnnl::engine& engine() const { return engine_; }
  std::size_t created() const { return entries_.size(); }

  // The entry for key; on first use build() (-> BuiltPrimitive) creates it. A failing
  // oneDNN call becomes a std::runtime_error naming the op and shapes.
  // threads: Threads::one builds and runs the primitive on one thread.
  template <typename Build>
  CachedPrimitive& get(const PrimitiveKey& key, Threads threads, Build&& build) {
    const auto it = entries_.find(key);
    if (it != entries_.end()) return *it->second;
    return insert(key, threads, std::function<BuiltPrimitive()>(std::forward<Build>(build)));
  }

  // Points argument i at data[i] and runs the primitive to completion. Allocates nothing
  // itself: the C API takes the cached argument array (the C++ execute() builds a vector).
  void execute(CachedPrimitive& entry, std::initializer_list<void*> data);
  // Runs two independent primitives at once, each on its own OpenMP thread and stream (one
  // parallel region instead of two); in order on one thread when only one is available.
  // Both must have been built for Threads::one.
  void execute_side_by_side(CachedPrimitive& a, std::initializer_list<void*> data_a,
                            CachedPrimitive& b, std::initializer_list<void*> data_b);

 private:
  CachedPrimitive& insert(const PrimitiveKey& key, Threads threads,
                          const std::function<BuiltPrimitive()>& build);
  // Points entry's arguments at data (checked).
  static void bind(CachedPrimitive& entry, std::initializer_list<void*> data);

  dnnl::engine engine_;
  dnnl::stream stream_;
  dnnl::stream second_stream_;  // for the other thread of execute_side_by_side
  std::unordered_map<PrimitiveKey, std::unique_ptr<CachedPrimitive>, PrimitiveKeyHash> entries_;
};

// A plain row-major f32 descriptor ([rows, cols] as nc, oi or ab: the same layout), or x
// for a vector. Plain layouts everywhere mean oneDNN never reorders our buffers.
inline dnnl::memory::desc plain_f32(std::int64_t rows, std::int64_t cols,
                                    dnnl::memory::format_tag tag = dnnl::memory::format_tag::ab) {
  return {{rows, cols}, dnnl::memory::data_type::f32, tag};
}
inline dnnl::memory::desc plain_f32(std::int64_t size) {
  return {{size}, dnnl::memory::data_type::f32, dnnl::memory::format_tag::x};
}

}  // namespace nnrun::onednn
