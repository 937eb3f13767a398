// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11):
// a counter-based generator. A value depends only on (key, counter), so the CPU and CUDA
// backends can draw identical streams, and resuming needs counters, not generator state.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>

namespace nnrun {

// Stream identifiers keep independent uses of one seed apart.
enum class RngStream : std::uint32_t {
  init = 1,
  shuffle = 2,
  split = 3,
  dropout = 4,
  data = 5,
  subset = 6,  // data.train.limit
};

class Philox {
 public:
  using Block = std::array<std::uint32_t, 4>;

  // key = seed; the stream and a sub-stream (layer, epoch...) occupy the high counter words.
  Philox(std::uint64_t seed, RngStream stream, std::uint32_t substream = 0)
      : key_{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)},
        stream_(static_cast<std::uint32_t>(stream)),
        substream_(substream) {}

  // constexpr (no library calls) so that device code and compile-time checks can use it.
  static constexpr Block block(std::array<std::uint32_t, 2> key, Block ctr) {
    for (int round = 0; round < 10; ++round) {
      const std::uint64_t p0 = std::uint64_t{0xD2511F53u} * ctr[0];
      const std::uint64_t p1 = std::uint64_t{0xCD9E8D57u} * ctr[2];
      ctr = {static_cast<std::uint32_t>(p1 >> 32) ^ ctr[1] ^ key[0], static_cast<std::uint32_t>(p1),
             static_cast<std::uint32_t>(p0 >> 32) ^ ctr[3] ^ key[1],
             static_cast<std::uint32_t>(p0)};
      key[0] += 0x9E3779B9u;
      key[1] += 0xBB67AE85u;
    }
    return ctr;
  }

  // The i-th 32-bit value of this stream.
  std::uint32_t at(std::uint64_t index) const {
    const Block out = block(key_, {static_cast<std::uint32_t>(index >> 2),
                                   static_cast<std::uint32_t>(index >> 34), substream_, stream_});
    return out[index & 3];
  }

  // Sequential use.
  std::uint32_t next_u32() { return at(position_++); }
  std::uint64_t next_u64() {
    const std::uint64_t hi = next_u32();
    return (hi << 32) | next_u32();
  }
  // Uniform in [0, 1) with 53 random bits.
  double next_uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, bound) without modulo bias (Lemire's method with rejection).
  std::uint64_t next_below(std::uint64_t bound) {
    const std::uint64_t threshold = (0 - bound) % bound;
    for (;;) {
      const std::uint64_t r = next_u64();
      if (r >= threshold) return r % bound;
    }
  }
  // Standard normal (Box-Muller; the second value is discarded to keep draws positional).
  double next_normal() {
    double u1 = next_uniform();
    const double u2 = next_uniform();
    if (u1 < 1e-300) u1 = 1e-300;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  std::uint64_t position() const { return position_; }

 private:
  std::array<std::uint32_t, 2> key_;
  std::uint32_t stream_;
  std::uint32_t substream_;
  std::uint64_t position_ = 0;
};

}  // namespace nnrun
