// Checkpoint serialization: magic, version, YAML header, raw f32 tensors, crc32 trailer.
#include "core/checkpoint/checkpoint.hpp"

#include <yaml-cpp/yaml.h>

#include <array>
#include <charconv>
#include <cstring>
#include <limits>
#include <mutex>
#include <span>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "core/checkpoint/atomic_file.hpp"
#include "core/checkpoint/crc32.hpp"
#include "core/errors.hpp"

namespace nnrun {
namespace {

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

using HistoryRow = std::array<double, 7>;

// The history block's lines as the header holds them: "  epoch train_loss ... seconds\n" per
// epoch, each number in the shortest form that reads back exactly. A run saves best.ckpt at
// every improving epoch, and formatting the whole history each time made that quadratic:
// 4,000 improving epochs of Iris took 47 s (0.12 s without best.ckpt). Rows already formatted
// are kept: a call formats only the rows past the longest prefix equal (bit for bit) to the
// last call's, so the text is always exactly that of `rows`.
class HistoryText {
 public:
  std::string of(const std::vector<HistoryRow>& rows) {
    const std::lock_guard lock(mutex_);
    std::size_t same = 0;
    while (same < rows.size() && same < rows_.size() &&
           std::memcmp(rows[same].data(), rows_[same].data(), sizeof(HistoryRow)) == 0)
      ++same;
    rows_.resize(same);
    ends_.resize(same + 1);
    text_.resize(ends_[same]);
    for (std::size_t i = same; i < rows.size(); ++i) {
      append_line(rows[i]);
      rows_.push_back(rows[i]);
      ends_.push_back(text_.size());
    }
    return text_;
  }

 private:
  void append_line(const HistoryRow& row) {
    char buf[40];
    text_ += "  ";
    for (std::size_t k = 0; k < row.size(); ++k) {
      if (k > 0) text_ += ' ';
      const auto [end, error] = std::to_chars(buf, buf + sizeof buf, row[k]);
      text_.append(buf, error == std::errc() ? end : buf);
    }
    text_ += '\n';
  }

  std::mutex mutex_;
  std::vector<HistoryRow> rows_;
  std::vector<std::size_t> ends_{0};  // text_'s length after each row
  std::string text_;
};

// The header's history entry: a YAML literal block, one line per epoch (empty: "").
std::string history_entry(const std::vector<HistoryRow>& rows) {
  static HistoryText cache;
  if (rows.empty()) return "history: \"\"\n";
  return "history: |\n" + cache.of(rows);
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
  e << YAML::EndMap;
  // The history is spliced in as text between the two maps' entries: one line per epoch, not a
  // YAML list (thousands of nodes per checkpoint dominated long runs), and not through the
  // emitter either, which copied the block character by character at every save.
  const std::string head = std::string(e.c_str()) + "\n";
  YAML::Emitter rest;
  rest << YAML::BeginMap;
  rest << YAML::Key << "tensors" << YAML::Value << YAML::BeginSeq;
  std::int64_t offset = 0;
  for (const CheckpointTensor& t : c.tensors) {
    rest << YAML::Flow << YAML::BeginMap << YAML::Key << "name" << YAML::Value << t.name
         << YAML::Key << "dtype" << YAML::Value << "f32" << YAML::Key << "rows" << YAML::Value
         << t.rows << YAML::Key << "cols" << YAML::Value << t.cols << YAML::Key << "offset"
         << YAML::Value << offset << YAML::EndMap;
    offset += t.rows * t.cols * 4;
  }
  rest << YAML::EndSeq;
  rest << YAML::Key << "config" << YAML::Value << YAML::Literal << c.config_yaml;
  rest << YAML::EndMap;
  return head + history_entry(c.history) + rest.c_str() + "\n";
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

namespace {

// A checkpoint's bytes as pieces: the prefix and header, each tensor's values where they
// already are, the crc32 trailer. Saving writes the pieces one after another; assembling one
// string first doubled a large model's memory at every save (+240 MB for 20 M parameters).
class CheckpointPieces {
 public:
  explicit CheckpointPieces(const Checkpoint& c) {
    static_assert(sizeof(float) == 4);
    const std::string header = header_yaml(c);
    if (header.size() > std::numeric_limits<std::uint32_t>::max())
      throw std::logic_error("checkpoint header does not fit the format's 32-bit length");
    head_.assign(kCheckpointMagic, sizeof kCheckpointMagic);
    put_u32(head_, c.format_version);
    put_u32(head_, static_cast<std::uint32_t>(header.size()));
    head_ += header;
    pieces_.push_back(head_);
    std::uint32_t crc = crc32_of(head_.data(), head_.size());
    for (const CheckpointTensor& t : c.tensors) {
      if (static_cast<std::int64_t>(t.values.size()) != t.rows * t.cols)
        throw std::logic_error("checkpoint tensor " + t.name + ": size does not match its shape");
      // The format is little-endian f32; every platform nnrun targets is little-endian.
      const std::string_view bytes(reinterpret_cast<const char*>(t.values.data()),
                                   t.values.size() * 4);
      pieces_.push_back(bytes);
      crc = crc32_more(crc, bytes.data(), bytes.size());
    }
    put_u32(tail_, crc);
    pieces_.push_back(tail_);
  }
  CheckpointPieces(const CheckpointPieces&) = delete;  // the pieces view its own strings
  CheckpointPieces& operator=(const CheckpointPieces&) = delete;

  std::span<const std::string_view> pieces() const { return pieces_; }

 private:
  std::string head_, tail_;
  std::vector<std::string_view> pieces_;
};

}  // namespace

std::string serialize_checkpoint(const Checkpoint& c) {
  const CheckpointPieces pieces(c);
  std::string out;
  for (const std::string_view piece : pieces.pieces()) out += piece;
  return out;
}

void save_checkpoint(const std::string& path, const Checkpoint& c) {
  const CheckpointPieces pieces(c);
  write_file_atomically(path, pieces.pieces());
}

}  // namespace nnrun
