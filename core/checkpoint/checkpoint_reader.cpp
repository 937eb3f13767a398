// Checkpoint parsing: every length, offset and shape is checked against the file's size
// before use, so a truncated, corrupt or hostile file is an InputError, never a crash.
#include <yaml-cpp/yaml.h>

#include <cstring>

#include "core/checkpoint/checkpoint.hpp"
#include "core/checkpoint/crc32.hpp"
#include "core/errors.hpp"

namespace nnrun {
namespace {

std::uint32_t read_u32(const std::string& in, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= std::uint32_t{static_cast<unsigned char>(in[at + i])} << (8 * i);
  return v;
}

template <typename T>
T field(const YAML::Node& node, const char* key, const std::string& path) {
  const YAML::Node v = node[key];
  if (!v) throw InputError(path + ": checkpoint header has no '" + key + "'");
  try {
    return v.as<T>();
  } catch (const YAML::Exception&) {
    throw InputError(path + ": checkpoint header field '" + key + "' has the wrong type");
  }
}

}  // namespace

Checkpoint parse_checkpoint(const std::string& bytes, const std::string& path) {
  constexpr std::size_t kPrefix = 16, kTrailer = 4;
  if (bytes.size() < kPrefix + kTrailer)
    throw InputError(path + ": not an nnrun checkpoint (file too short: " +
                     std::to_string(bytes.size()) + " bytes)");
  if (bytes.compare(0, 8, kCheckpointMagic, 8) != 0)
    throw InputError(path + ": not an nnrun checkpoint (bad magic number)");
  Checkpoint c;
  c.format_version = read_u32(bytes, 8);
  if (c.format_version > kCheckpointFormatVersion)
    throw InputError(path + ": checkpoint format version " + std::to_string(c.format_version) +
                     " was written by a newer nnrun; this build reads versions up to " +
                     std::to_string(kCheckpointFormatVersion));
  if (c.format_version == 0) throw InputError(path + ": checkpoint format version 0 is invalid");
  const std::size_t header_bytes = read_u32(bytes, 12);
  if (header_bytes > bytes.size() - kPrefix - kTrailer)
    throw InputError(path + ": checkpoint is truncated (header of " + std::to_string(header_bytes) +
                     " bytes does not fit in a file of " + std::to_string(bytes.size()) + ")");
  const std::size_t stored_crc = read_u32(bytes, bytes.size() - kTrailer);
  if (crc32_of(bytes.data(), bytes.size() - kTrailer) != stored_crc)
    throw InputError(path + ": checkpoint is corrupt or truncated (checksum mismatch)");

  YAML::Node h;
  try {
    h = YAML::Load(bytes.substr(kPrefix, header_bytes));
  } catch (const YAML::Exception& e) {
    throw InputError(path + ": checkpoint header is not valid YAML: " + e.msg);
  }
  if (!h.IsMap()) throw InputError(path + ": checkpoint header is not a mapping");
  if (field<std::string>(h, "format", path) != "nnrun-checkpoint")
    throw InputError(path + ": not an nnrun checkpoint (header format field)");
  c.nnrun_version = field<std::string>(h, "nnrun_version", path);
  c.backend = field<std::string>(h, "backend", path);
  c.epoch = field<std::int64_t>(h, "epoch", path);
  c.step = field<std::int64_t>(h, "step", path);
  const std::string task = field<std::string>(h, "task", path);
  if (task != "classification" && task != "regression")
    throw InputError(path + ": checkpoint header has an unknown task '" + task + "'");
  c.task = task == "classification" ? Task::classification : Task::regression;
  c.input_width = field<std::int64_t>(h, "input_width", path);
  c.feature_names = field<std::vector<std::string>>(h, "feature_names", path);
  c.class_names = field<std::vector<std::string>>(h, "class_names", path);
  c.config_yaml = field<std::string>(h, "config", path);
  try {
    if (const YAML::Node m = h["metrics"]; m && m.IsMap())
      for (const auto& kv : m)
        c.metrics.emplace_back(kv.first.as<std::string>(), kv.second.as<double>());
    c.status = field<std::string>(h, "status", path);
    c.stop_reason = field<std::string>(h, "stop_reason", path);
    const YAML::Node state = h["state"];
    if (!state || !state.IsMap()) throw InputError(path + ": checkpoint header has no state map");
    for (const auto& kv : state) c.state[kv.first.as<std::string>()] = kv.second.as<double>();
    const YAML::Node history = h["history"];
    if (!history || !history.IsSequence())
      throw InputError(path + ": checkpoint header has no history list");
    for (const YAML::Node& row : history) {
      if (!row.IsSequence() || row.size() != 7)
        throw InputError(path + ": checkpoint history rows must have 7 numbers");
      std::array<double, 7> values{};
      for (std::size_t i = 0; i < 7; ++i) values[i] = row[i].as<double>();
      c.history.push_back(values);
    }
  } catch (const YAML::Exception&) {
    throw InputError(path + ": checkpoint header has a malformed metrics, state or history entry");
  }

  const std::size_t payload_begin = kPrefix + header_bytes;
  const std::size_t payload_bytes = bytes.size() - kTrailer - payload_begin;
  const YAML::Node tensors = h["tensors"];
  if (!tensors || !tensors.IsSequence())
    throw InputError(path + ": checkpoint header has no tensor list");
  std::size_t expected_offset = 0;
  for (const YAML::Node& t : tensors) {
    CheckpointTensor ct;
    ct.name = field<std::string>(t, "name", path);
    if (field<std::string>(t, "dtype", path) != "f32")
      throw InputError(path + ": tensor '" + ct.name + "' has an unsupported dtype");
    ct.rows = field<std::int64_t>(t, "rows", path);
    ct.cols = field<std::int64_t>(t, "cols", path);
    const auto offset = field<std::int64_t>(t, "offset", path);
    // Bound each factor before multiplying so the product cannot overflow.
    const auto limit = static_cast<std::int64_t>(payload_bytes / 4);
    if (ct.rows < 0 || ct.cols < 0 || ct.rows > limit || ct.cols > limit ||
        (ct.cols != 0 && ct.rows > limit / ct.cols) || offset < 0 ||
        static_cast<std::size_t>(offset) != expected_offset ||
        static_cast<std::size_t>(ct.rows * ct.cols * 4) > payload_bytes - expected_offset)
      throw InputError(path + ": tensor '" + ct.name + "' does not fit in the file");
    const std::size_t count = static_cast<std::size_t>(ct.rows * ct.cols);
    ct.values.resize(count);
    std::memcpy(ct.values.data(), bytes.data() + payload_begin + expected_offset, count * 4);
    expected_offset += count * 4;
    c.tensors.push_back(std::move(ct));
  }
  if (expected_offset != payload_bytes)
    throw InputError(path + ": checkpoint payload size does not match its header");
  return c;
}

}  // namespace nnrun
