// Test helpers shared by the oneDNN-vs-reference tests: the same host data on both
// backends ("twins"), reproducible random inputs, and element-wise closeness checks.
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "backends/onednn/onednn_backend.hpp"
#include "backends/reference/reference_backend.hpp"
#include "core/util/philox.hpp"

namespace nnrun::testing {

// f32 results: relative 1e-5 plus a small absolute slack (sums may cancel to near zero).
constexpr double kRtol = 1e-5;
constexpr double kAtol = 1e-6;

// Uniform values in [lo, hi), reproducible per (seed, substream).
inline std::vector<float> random_floats(std::size_t count, std::uint32_t substream, double lo = -1,
                                        double hi = 1) {
  Philox rng(1234, RngStream::data, substream);
  std::vector<float> values(count);
  for (float& v : values) v = static_cast<float>(lo + (hi - lo) * rng.next_uniform());
  return values;
}

inline std::vector<std::int32_t> random_labels(std::size_t count, std::int32_t classes,
                                               std::uint32_t substream) {
  Philox rng(99, RngStream::data, substream);
  std::vector<std::int32_t> labels(count);
  for (auto& y : labels) y = static_cast<std::int32_t>(rng.next_below(classes));
  return labels;
}

// The same host data on both backends, in separate allocations.
struct Twin {
  DeviceBuffer ref, cpu;
};

struct Backends {
  ReferenceBackend ref;
  OneDnnBackend cpu{0};

  template <typename T>
  Twin twin(std::int64_t rows, std::int64_t cols, DType dtype, const std::vector<T>& host) {
    REQUIRE(host.size() * sizeof(T) == static_cast<std::size_t>(rows * cols) * dtype_size(dtype));
    Twin t{DeviceBuffer(ref, rows, cols, dtype), DeviceBuffer(cpu, rows, cols, dtype)};
    if (!host.empty()) {
      ref.upload(t.ref, host.data());
      cpu.upload(t.cpu, host.data());
    }
    return t;
  }
  Twin twin_f32(std::int64_t rows, std::int64_t cols, std::uint32_t substream, double lo = -1,
                double hi = 1) {
    return twin(rows, cols, DType::f32, random_floats(rows * cols, substream, lo, hi));
  }
};

template <typename T>
std::vector<T> read(Backend& backend, Tensor t) {
  std::vector<T> host(static_cast<std::size_t>(t.size()));
  backend.download(t, host.data());
  return host;
}

// One CHECK per comparison, naming the first element out of tolerance.
template <typename T>
inline void check_close(const std::vector<T>& got, const std::vector<T>& want,
                        const std::string& what, double rtol = kRtol, double atol = kAtol) {
  REQUIRE(got.size() == want.size());
  std::size_t bad = 0, first = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const double diff = std::abs(static_cast<double>(got[i]) - static_cast<double>(want[i]));
    if (!(diff <= atol + rtol * std::abs(static_cast<double>(want[i])))) {
      if (bad++ == 0) first = i;
    }
  }
  std::ostringstream info;
  if (bad > 0)
    info << what << ": " << bad << " of " << got.size() << " differ; first at " << first << ": got "
         << got[first] << ", want " << want[first];
  INFO(info.str());
  CHECK(bad == 0);
}

// Compares one tensor of both sides of a twin.
inline void check_twin(Backends& b, const Twin& t, const std::string& what, double rtol = kRtol,
                       double atol = kAtol) {
  check_close(read<float>(b.cpu, t.cpu), read<float>(b.ref, t.ref), what, rtol, atol);
}

}  // namespace nnrun::testing
