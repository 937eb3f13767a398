// Internals of checkpoint reading shared by the parser, its header reader and `inspect`:
// not part of the checkpoint API (use load_checkpoint / parse_checkpoint).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/checkpoint/checkpoint.hpp"

namespace nnrun::checkpoint_detail {

// One entry of the header's tensor list, before it is checked against the payload.
struct TensorEntry {
  std::string name;
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::int64_t offset = 0;
};

// Reads the YAML header into every field of `out` but the tensors, whose entries it returns
// in header order: each a map with a unique name, dtype f32, rows and cols in
// [0, kMaxTensorDim] and a non-negative offset. Throws InputError naming `path`.
std::vector<TensorEntry> read_header(std::string_view yaml, std::uint32_t format_version,
                                     const std::string& path, Checkpoint& out);

// Bounds every dimension so that rows * cols * 4 cannot overflow, before the payload check.
inline constexpr std::int64_t kMaxTensorDim = (std::int64_t{1} << 31) - 1;

struct ChecksumCheck {
  std::uint32_t stored = 0;
  std::uint32_t computed = 0;
  bool ok() const { return stored == computed; }
};

// parse_checkpoint, except that a checksum mismatch alone does not throw: `checksum` is set
// as soon as the frame (magic, version, header length) has been checked, before the header
// is read, and the rest is read and checked as usual. A bad frame leaves it ok().
Checkpoint parse_checkpoint_unverified(const std::string& bytes, const std::string& path,
                                       ChecksumCheck& checksum);

// The file's bytes; InputError naming `path` if it is missing, not a regular file or unreadable.
std::string read_checkpoint_file(const std::string& path);

}  // namespace nnrun::checkpoint_detail
