// Dropout's keep decisions, defined once for every backend: a pure function of (seed, layer,
// step, element index, rate), constexpr and library-free so CUDA kernels can call it too.
#pragma once

#include <cstdint>

#include "core/util/philox.hpp"

namespace nnrun {

// The Philox counter of the block that holds elements 4 block .. 4 block + 3 of one layer's
// mask at one step. The fields are packed without overlap, so distinct (step, layer,
// block) get distinct counters (hence independent bits) while step < 2^48 and the tensor
// has fewer than 2^42 elements:
//   word 0: block bits 0..31       word 1: step bits 0..31
//   word 2: layer                  word 3: RngStream::dropout | step bits 32..47 << 8
//                                          | block bits 32..39 << 24
// Other streams put their small stream id alone in word 3, so the low byte keeps dropout's
// counters apart from theirs under the same seed (RngStream::dropout is used only here).
constexpr Philox::Block dropout_counter(std::uint32_t layer, std::uint64_t step,
                                        std::uint64_t block) {
  const std::uint32_t tag = static_cast<std::uint32_t>(RngStream::dropout);
  const std::uint32_t step_high = static_cast<std::uint32_t>(step >> 32) & 0xFFFFu;
  const std::uint32_t block_high = static_cast<std::uint32_t>(block >> 32) & 0xFFu;
  return {static_cast<std::uint32_t>(block), static_cast<std::uint32_t>(step), layer,
          tag | (step_high << 8) | (block_high << 24)};
}

// 32 random bits for each of the four elements 4 block .. 4 block + 3; one Philox block
// serves four elements, so kernels may draw a block per four elements.
constexpr Philox::Block dropout_bits(std::uint64_t seed, std::uint32_t layer, std::uint64_t step,
                                     std::uint64_t block) {
  return Philox::block({static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)},
                       dropout_counter(layer, step, block));
}

// ceil(rate * 2^32) for rate in [0, 1): with u = bits / 2^32 (32-bit uniform in [0, 1)),
// keep = u >= rate is exactly bits >= this threshold.
constexpr std::uint64_t dropout_threshold(double rate) {
  const double scaled = rate * 4294967296.0;  // exact: a power-of-two scale
  const auto truncated = static_cast<std::uint64_t>(scaled);
  return static_cast<double>(truncated) < scaled ? truncated + 1 : truncated;
}

// Whether an element whose 32 random bits are `bits` survives (rate 0: threshold 0, always).
constexpr bool dropout_keeps(std::uint32_t bits, std::uint64_t threshold) {
  return bits >= threshold;
}

// The keep decision for element `index` (row-major, within one layer's [N, width] tensor).
constexpr bool dropout_keep(std::uint64_t seed, std::uint32_t layer, std::uint64_t step,
                            std::uint64_t index, double rate) {
  return dropout_keeps(dropout_bits(seed, layer, step, index >> 2)[index & 3],
                       dropout_threshold(rate));
}

// The value a kept element is multiplied by (inverted dropout keeps the expectation).
constexpr double dropout_scale(double rate) {
  return 1.0 / (1.0 - rate);
}

}  // namespace nnrun
