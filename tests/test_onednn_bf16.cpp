// OneDnnBackend with MatmulPrecision::bf16: operands rounded exactly as bfloat16 prescribes
// (nearest, ties to even), dense products within bf16 tolerance of the f32 reference, and a
// clear refusal on CPUs without bf16 instructions.
#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "backends/onednn/onednn_backend.hpp"
#include "backends/reference/reference_backend.hpp"
#include "tests/backend_twins.hpp"

namespace {
using namespace nnrun;
using namespace nnrun::testing;

// The value a float becomes in bfloat16, computed the slow, obvious way.
float bf16_round(float x) {
  if (std::isnan(x)) return x;
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(x);
  const std::uint32_t lower = bits & 0xffffu, upper = bits & 0xffff0000u;
  std::uint32_t result = upper;
  if (lower > 0x8000u || (lower == 0x8000u && (upper & 0x10000u))) result += 0x10000u;
  return std::bit_cast<float>(result);
}

// Holds the host data of one tensor on both backends.
struct Pair {
  DeviceBuffer ref, bf16;
};

Pair pair(ReferenceBackend& ref, OneDnnBackend& bf16, std::int64_t rows, std::int64_t cols,
          const std::vector<float>& host) {
  Pair p{DeviceBuffer(ref, rows, cols, DType::f32), DeviceBuffer(bf16, rows, cols, DType::f32)};
  ref.upload(p.ref, host.data());
  bf16.upload(p.bf16, host.data());
  return p;
}

// bf16 keeps 8 significant bits: each operand is off by up to 2^-9 relative, and the products'
// errors add like a random walk over the reduction length k.
void check_bf16_close(const std::vector<float>& got, const std::vector<float>& want, std::int64_t k,
                      const std::string& what) {
  check_close(got, want, what, 0.0, 8e-3 * std::sqrt(static_cast<double>(k)) + 1e-6);
}

}  // namespace

TEST_CASE("onednn bf16: refused with a clear error where the CPU has no bf16 instructions") {
  if (OneDnnBackend::bf16_supported()) {
    OneDnnBackend cpu(0, MatmulPrecision::bf16);
    CHECK(cpu.precision() == MatmulPrecision::bf16);
    CHECK(cpu.description().find("bf16 matmul") != std::string::npos);
    CHECK(OneDnnBackend(0).description().find("bf16") == std::string::npos);
    return;
  }
  try {
    OneDnnBackend cpu(0, MatmulPrecision::bf16);
    FAIL("bf16 must be refused on this CPU");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()).find("AVX512-BF16 or AMX") != std::string::npos);
  }
}

TEST_CASE("onednn bf16: operands are rounded to nearest bf16 with ties to even and NaN kept") {
  if (!OneDnnBackend::bf16_supported()) return;  // covered by the refusal test
  OneDnnBackend cpu(0, MatmulPrecision::bf16);
  // x * 1 + 0 with a 1x1 weight: the product is exact, so dst is bf16(x) itself. 37 rows:
  // one full block of 32 and a masked tail.
  std::vector<float> x = {1.0f + 0x1p-8f,      // tie, even below: 1
                          1.0f + 0x3p-8f,      // tie, odd below: up to 1 + 2^-6
                          1.0f + 0x1.02p-8f,   // just above the tie: up
                          -1.0f - 0x1.fep-9f,  // just below the tie: down (magnitude)
                          3.0e38f,
                          std::numeric_limits<float>::max(),         // rounds up to infinity
                          std::numeric_limits<float>::denorm_min(),  // to zero
                          0.0f};
  for (std::uint32_t i = static_cast<std::uint32_t>(x.size()); i < 37; ++i)
    x.push_back(static_cast<float>(i) * 1.001953125f - 17.0f);
  const std::int64_t n = static_cast<std::int64_t>(x.size());
  DeviceBuffer src(cpu, n, 1, DType::f32), w(cpu, 1, 1, DType::f32), bias(cpu, 1, 1, DType::f32),
      dst(cpu, n, 1, DType::f32);
  const float one = 1.0f, zero = 0.0f;
  cpu.upload(src, x.data());
  cpu.upload(w, &one);
  cpu.upload(bias, &zero);
  cpu.dense_forward(src, w, bias, dst);
  const std::vector<float> got = read<float>(cpu, dst);
  for (std::int64_t i = 0; i < n; ++i) {
    CAPTURE(i);
    CAPTURE(x[i]);
    CHECK(std::bit_cast<std::uint32_t>(got[i]) == std::bit_cast<std::uint32_t>(bf16_round(x[i])));
  }

  const float nan = std::numeric_limits<float>::quiet_NaN();
  cpu.upload(src, std::vector<float>(n, nan).data());
  cpu.dense_forward(src, w, bias, dst);
  for (const float v : read<float>(cpu, dst)) CHECK(std::isnan(v));
}

TEST_CASE("onednn bf16: dense forward and backward match the f32 reference within bf16 error") {
  if (!OneDnnBackend::bf16_supported()) return;
  ReferenceBackend ref;
  OneDnnBackend bf16(0, MatmulPrecision::bf16);
  struct Shape {
    std::int64_t n, in, out;
  };
  for (const Shape s : {Shape{1, 1, 1}, Shape{7, 5, 17}, Shape{33, 17, 64}, Shape{128, 784, 256},
                        Shape{33, 64, 3}}) {
    CAPTURE(s.n);
    CAPTURE(s.in);
    CAPTURE(s.out);
    Pair src = pair(ref, bf16, s.n, s.in, random_floats(s.n * s.in, 40));
    Pair w = pair(ref, bf16, s.out, s.in, random_floats(s.out * s.in, 41));
    Pair bias = pair(ref, bf16, 1, s.out, random_floats(s.out, 42));
    Pair dst = pair(ref, bf16, s.n, s.out, std::vector<float>(s.n * s.out));
    ref.dense_forward(src.ref, w.ref, bias.ref, dst.ref);
    bf16.dense_forward(src.bf16, w.bf16, bias.bf16, dst.bf16);
    check_bf16_close(read<float>(bf16, dst.bf16), read<float>(ref, dst.ref), s.in, "dst");

    Pair ddst = pair(ref, bf16, s.n, s.out, random_floats(s.n * s.out, 43));
    Pair dsrc = pair(ref, bf16, s.n, s.in, std::vector<float>(s.n * s.in));
    Pair dw = pair(ref, bf16, s.out, s.in, std::vector<float>(s.out * s.in));
    Pair db = pair(ref, bf16, 1, s.out, std::vector<float>(s.out));
    ref.dense_backward(src.ref, w.ref, ddst.ref, dsrc.ref, dw.ref, db.ref);
    bf16.dense_backward(src.bf16, w.bf16, ddst.bf16, dsrc.bf16, dw.bf16, db.bf16);
    check_bf16_close(read<float>(bf16, dsrc.bf16), read<float>(ref, dsrc.ref), s.out, "dsrc");
    check_bf16_close(read<float>(bf16, dw.bf16), read<float>(ref, dw.ref), s.n, "dweights");
    // The bias gradient is an f32 column sum: as exact as in f32 mode.
    check_close(read<float>(bf16, db.bf16), read<float>(ref, db.ref), "dbias", kRtol,
                kAtol * static_cast<double>(s.n));
  }
}
