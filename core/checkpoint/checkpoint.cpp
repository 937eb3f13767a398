// Checkpoint serialization: magic, version, YAML header, raw f32 tensors, crc32 trailer.
#include "core/checkpoint/checkpoint.hpp"

#include <yaml-cpp/yaml.h>

#include <limits>
#include <stdexcept>

#include "core/checkpoint/atomic_file.hpp"
#include "core/checkpoint/crc32.hpp"
#include "core/errors.hpp"

namespace nnrun {
namespace {

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// "epoch train_loss train_error val_loss val_error lr seconds" per line, %.17g (exact).
std::string history_text(const std::vector<std::array<double, 7>>& rows) {
  std::string out;
  out.reserve(rows.size() * 7 * 24);
  char buf[32];
  for (const auto& row : rows) {
    for (std::size_t k = 0; k < row.size(); ++k) {
      std::snprintf(buf, sizeof buf, k == 0 ? "%.17g" : " %.17g", row[k]);
      out += buf;
    }
    out += '\n';
  }
  return out;
}

std::string header_yaml(const Checkpoint& c) {
  YAML::Emitter e;
  e.SetDoublePrecision(17);
  e << YAML::BeginMap;
  e << YAML::Key << "format" << YAML::Value << "nnrun-checkpoint";
  e << YAML::Key << "format_version" << YAML::Value << c.format_version;
  e << YAML::Key << "nnrun_version" << YAML::Value << c.nnrun_version;
  e << YAML::Key << "backend" << YAML::Value << c.backend;
  e << YAML::Key << "epoch" << YAML::Value << c.epoch;
  e << YAML::Key << "step" << YAML::Value << c.step;
  e << YAML::Key << "task" << YAML::Value
    << (c.task == Task::classification ? "classification" : "regression");
  e << YAML::Key << "input_width" << YAML::Value << c.input_width;
  e << YAML::Key << "feature_names" << YAML::Value << YAML::Flow << c.feature_names;
  e << YAML::Key << "class_names" << YAML::Value << YAML::Flow << c.class_names;
  if (!c.label_column.empty()) e << YAML::Key << "label_column" << YAML::Value << c.label_column;
  if (!c.data_fingerprint.empty())
    e << YAML::Key << "data_fingerprint" << YAML::Value << c.data_fingerprint;
  e << YAML::Key << "metrics" << YAML::Value << YAML::BeginMap;
  for (const auto& [name, value] : c.metrics) e << YAML::Key << name << YAML::Value << value;
  e << YAML::EndMap;
  e << YAML::Key << "status" << YAML::Value << c.status;
  e << YAML::Key << "stop_reason" << YAML::Value << c.stop_reason;
  e << YAML::Key << "state" << YAML::Value << YAML::BeginMap;
  for (const auto& [name, value] : c.state) e << YAML::Key << name << YAML::Value << value;
  e << YAML::EndMap;
  // One text line per epoch, not a YAML list: emitting thousands of nodes per checkpoint
  // made long runs spend most of their time in the emitter.
  e << YAML::Key << "history" << YAML::Value << YAML::Literal << history_text(c.history);
  e << YAML::Key << "tensors" << YAML::Value << YAML::BeginSeq;
  std::int64_t offset = 0;
  for (const CheckpointTensor& t : c.tensors) {
    e << YAML::Flow << YAML::BeginMap << YAML::Key << "name" << YAML::Value << t.name << YAML::Key
      << "dtype" << YAML::Value << "f32" << YAML::Key << "rows" << YAML::Value << t.rows
      << YAML::Key << "cols" << YAML::Value << t.cols << YAML::Key << "offset" << YAML::Value
      << offset << YAML::EndMap;
    offset += t.rows * t.cols * 4;
  }
  e << YAML::EndSeq;
  e << YAML::Key << "config" << YAML::Value << YAML::Literal << c.config_yaml;
  e << YAML::EndMap;
  return std::string(e.c_str()) + "\n";
}

}  // namespace

const CheckpointTensor* Checkpoint::find(const std::string& name) const {
  for (const CheckpointTensor& t : tensors)
    if (t.name == name) return &t;
  return nullptr;
}

const CheckpointTensor& Checkpoint::require(const std::string& name,
                                            const std::string& path) const {
  if (const CheckpointTensor* t = find(name)) return *t;
  throw InputError(path + ": checkpoint has no tensor '" + name + "'");
}

std::string serialize_checkpoint(const Checkpoint& c) {
  static_assert(sizeof(float) == 4);
  const std::string header = header_yaml(c);
  if (header.size() > std::numeric_limits<std::uint32_t>::max())
    throw std::logic_error("checkpoint header does not fit the format's 32-bit length");
  std::string out(kCheckpointMagic, sizeof kCheckpointMagic);
  put_u32(out, c.format_version);
  put_u32(out, static_cast<std::uint32_t>(header.size()));
  out += header;
  for (const CheckpointTensor& t : c.tensors) {
    if (static_cast<std::int64_t>(t.values.size()) != t.rows * t.cols)
      throw std::logic_error("checkpoint tensor " + t.name + ": size does not match its shape");
    // The format is little-endian f32; every platform nnrun targets is little-endian.
    out.append(reinterpret_cast<const char*>(t.values.data()), t.values.size() * 4);
  }
  put_u32(out, crc32_of(out.data(), out.size()));
  return out;
}

void save_checkpoint(const std::string& path, const Checkpoint& c) {
  write_file_atomically(path, serialize_checkpoint(c));
}

}  // namespace nnrun
