// Checkpoint parsing: every length, offset and shape is checked against the file's size
// before use, so a truncated, corrupt or hostile file is an InputError, never a crash.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/checkpoint/checkpoint.hpp"
#include "core/checkpoint/checkpoint_reader.hpp"
#include "core/checkpoint/crc32.hpp"
#include "core/errors.hpp"

namespace nnrun {
namespace {

using checkpoint_detail::ChecksumCheck;
using checkpoint_detail::TensorEntry;

constexpr std::size_t kPrefixBytes = 16;  // magic, version, header length
constexpr std::size_t kTrailerBytes = 4;  // crc32

std::uint32_t read_u32(const std::string& in, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= std::uint32_t{static_cast<unsigned char>(in[at + i])} << (8 * i);
  return v;
}

std::string hex(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", v);
  return buf;
}

// The binary frame around the header and payload. Every later version keeps the magic, the
// version field and the trailing crc32 of everything before it where version 1 has them.
struct Frame {
  std::uint32_t version = 0;
  std::size_t header_bytes = 0;
  ChecksumCheck checksum;
};

ChecksumCheck checksum_of(const std::string& bytes) {
  return {read_u32(bytes, bytes.size() - kTrailerBytes),
          crc32_of(bytes.data(), bytes.size() - kTrailerBytes)};
}

Frame read_frame(const std::string& bytes, const std::string& path) {
  const std::size_t size = bytes.size();
  const std::size_t magic_seen = std::min(size, sizeof kCheckpointMagic);
  if (bytes.compare(0, magic_seen, kCheckpointMagic, magic_seen) != 0)
    throw InputError(path + ": not an nnrun checkpoint (bad magic number)");
  if (size < kPrefixBytes + kTrailerBytes)
    throw InputError(
        path + (size == 0 ? ": empty file, not a checkpoint"
                          : ": checkpoint is truncated (only " + std::to_string(size) + " bytes)"));
  Frame f;
  f.version = read_u32(bytes, 8);
  if (f.version == 0) throw InputError(path + ": checkpoint format version 0 is invalid");
  if (f.version > kCheckpointFormatVersion)
    throw InputError(path + ": checkpoint format version " + std::to_string(f.version) +
                     " was written by a newer nnrun" +
                     (checksum_of(bytes).ok() ? "" : " (or the file is corrupt)") +
                     "; this build reads up to version " +
                     std::to_string(kCheckpointFormatVersion));
  f.header_bytes = read_u32(bytes, 12);
  if (f.header_bytes > size - kPrefixBytes - kTrailerBytes)
    throw InputError(path + ": checkpoint is truncated or corrupt (its header claims " +
                     std::to_string(f.header_bytes) + " bytes; the whole file has " +
                     std::to_string(size) + ")");
  f.checksum = checksum_of(bytes);
  return f;
}

[[noreturn]] void bad_tensor(const std::string& path, const TensorEntry& e,
                             const std::string& what) {
  throw InputError(path + ": checkpoint tensor '" + e.name + "' (" + std::to_string(e.rows) +
                   " x " + std::to_string(e.cols) + " at offset " + std::to_string(e.offset) +
                   ") " + what);
}

// Tensors must tile the payload in header order: no gap, no overlap, nothing past the end.
// Checked for all of them before any tensor memory is allocated.
void check_layout(const std::vector<TensorEntry>& entries, std::size_t payload_bytes,
                  const std::string& path) {
  const std::string payload = " (the payload holds " + std::to_string(payload_bytes) + " bytes)";
  std::uint64_t end = 0;
  for (const TensorEntry& e : entries) {
    // Both dimensions are below 2^31 (read_header), so this cannot overflow.
    const std::uint64_t bytes = std::uint64_t(e.rows) * std::uint64_t(e.cols) * 4;
    const auto offset = static_cast<std::uint64_t>(e.offset);
    if (offset > payload_bytes) bad_tensor(path, e, "starts past the end of the payload" + payload);
    if (offset < end)
      bad_tensor(path, e, "overlaps the tensor before it, which ends at " + std::to_string(end));
    if (offset > end)
      bad_tensor(path, e,
                 "leaves a gap after the tensor before it, which ends at " + std::to_string(end) +
                     "; tensors are stored back to back");
    if (bytes > payload_bytes - offset)
      bad_tensor(path, e, "needs " + std::to_string(bytes) + " bytes, past the end" + payload);
    end = offset + bytes;
  }
  if (end != payload_bytes)
    throw InputError(path + ": checkpoint payload holds " + std::to_string(payload_bytes) +
                     " bytes but its tensors take " + std::to_string(end));
}

Checkpoint read_body(const std::string& bytes, const Frame& frame, const std::string& path) {
  Checkpoint c;
  const std::string_view header(bytes.data() + kPrefixBytes, frame.header_bytes);
  const std::vector<TensorEntry> entries =
      checkpoint_detail::read_header(header, frame.version, path, c);
  const std::size_t payload_begin = kPrefixBytes + frame.header_bytes;
  const std::size_t payload_bytes = bytes.size() - kTrailerBytes - payload_begin;
  check_layout(entries, payload_bytes, path);
  c.tensors.reserve(entries.size());
  for (const TensorEntry& e : entries) {
    CheckpointTensor t{e.name, e.rows, e.cols, {}};
    t.values.resize(static_cast<std::size_t>(e.rows * e.cols));
    // The format is little-endian f32; every platform nnrun targets is little-endian.
    std::memcpy(t.values.data(), bytes.data() + payload_begin + e.offset, t.values.size() * 4);
    c.tensors.push_back(std::move(t));
  }
  return c;
}

}  // namespace

Checkpoint parse_checkpoint(const std::string& bytes, const std::string& path) {
  const Frame frame = read_frame(bytes, path);
  if (!frame.checksum.ok())
    throw InputError(path + ": checkpoint is corrupt or truncated (checksum mismatch: stored " +
                     hex(frame.checksum.stored) + ", computed " + hex(frame.checksum.computed) +
                     ")");
  return read_body(bytes, frame, path);
}

Checkpoint load_checkpoint(const std::string& path) {
  return parse_checkpoint(checkpoint_detail::read_checkpoint_file(path), path);
}

namespace checkpoint_detail {

Checkpoint parse_checkpoint_unverified(const std::string& bytes, const std::string& path,
                                       ChecksumCheck& checksum) {
  checksum = {};
  const Frame frame = read_frame(bytes, path);
  checksum = frame.checksum;
  return read_body(bytes, frame, path);
}

std::string read_checkpoint_file(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) throw InputError(path + ": checkpoint file not found");
  if (fs::is_directory(status)) throw InputError(path + ": is a directory, not a checkpoint");
  if (!fs::is_regular_file(status)) throw InputError(path + ": is not a regular file");
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) throw InputError(path + ": cannot read checkpoint: " + ec.message());
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open checkpoint: " + std::strerror(errno));
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::uintmax_t>(in.gcount()) != size || in.peek() != EOF)
    throw InputError(path + ": checkpoint changed size while being read");
  return bytes;
}

}  // namespace checkpoint_detail
}  // namespace nnrun
