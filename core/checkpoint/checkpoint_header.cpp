// The checkpoint's YAML header: first checked event by event (nesting depth, no anchors or
// aliases, one document), then read field by field; any damage is an InputError naming the file.
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>
#include <cstdlib>

#include <array>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include "core/checkpoint/checkpoint_reader.hpp"
#include "core/errors.hpp"

namespace nnrun::checkpoint_detail {
namespace {

// The header is at most three levels deep (history rows, tensor entries); a little slack.
constexpr int kMaxHeaderDepth = 8;

// Refuses, while yaml-cpp parses, what a checkpoint header never holds: deep nesting (which
// would recurse deeply) and anchors or aliases (which let a few bytes stand for many nodes).
class HeaderShapeGuard : public YAML::EventHandler {
 public:
  explicit HeaderShapeGuard(const std::string& path) : path_(path) {}
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { node(mark, anchor); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { refuse(mark, "an alias"); }
  void OnAnchor(const YAML::Mark& mark, const std::string&) override { refuse(mark, "an anchor"); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string&) override {
    node(mark, anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    enter(mark, anchor);
  }
  void OnSequenceEnd() override { --depth_; }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    enter(mark, anchor);
  }
  void OnMapEnd() override { --depth_; }

 private:
  [[noreturn]] void refuse(const YAML::Mark& mark, const std::string& what) const {
    throw InputError(path_ + ": checkpoint header line " + std::to_string(mark.line + 1) + " has " +
                     what + ", which a checkpoint never holds");
  }
  void node(const YAML::Mark& mark, YAML::anchor_t anchor) const {
    if (anchor != YAML::NullAnchor) refuse(mark, "an anchor");
  }
  void enter(const YAML::Mark& mark, YAML::anchor_t anchor) {
    node(mark, anchor);
    if (++depth_ > kMaxHeaderDepth)
      refuse(mark, "more than " + std::to_string(kMaxHeaderDepth) + " levels of nesting");
  }

  const std::string& path_;
  int depth_ = 0;
};

YAML::Node parse_header(std::string_view yaml, const std::string& path) {
  const std::string text(yaml);
  {
    std::istringstream in(text);
    YAML::Parser parser(in);
    HeaderShapeGuard guard(path);
    if (!parser.HandleNextDocument(guard)) throw InputError(path + ": checkpoint header is empty");
    if (parser.HandleNextDocument(guard))
      throw InputError(path + ": checkpoint header holds more than one YAML document");
  }
  YAML::Node header = YAML::Load(text);
  if (!header.IsMap()) throw InputError(path + ": checkpoint header is not a YAML mapping");
  return header;
}

// A value as it may appear in a one-line message: printable and short.
std::string shown(const std::string& value, std::size_t limit = 40) {
  std::string out;
  for (unsigned char c : value.substr(0, limit)) out += (c < 0x20 || c == 0x7F) ? '?' : char(c);
  return value.size() > limit ? out + "..." : out;
}

// Field readers; `where` names the field in messages, e.g. "tensors[2].rows".
class Fields {
 public:
  explicit Fields(const std::string& path) : path_(path) {}

  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    throw InputError(path_ + ": checkpoint header: " + where + ": " + what);
  }
  YAML::Node require(const YAML::Node& map, const std::string& key,
                     const std::string& where) const {
    const YAML::Node v = map[key];
    if (!v) fail(where, "missing");
    return v;
  }
  std::string text(const YAML::Node& map, const std::string& key, const std::string& where) const {
    const YAML::Node v = require(map, key, where);
    if (!v.IsScalar()) fail(where, "expected a single value");
    return v.Scalar();
  }
  std::int64_t integer(const YAML::Node& map, const std::string& key, const std::string& where,
                       std::int64_t min, std::int64_t max) const {
    const std::string s = text(map, key, where);
    std::int64_t v = 0;
    if (!YAML::convert<std::int64_t>::decode(map[key], v) || v < min || v > max)
      fail(where, "expected a whole number in [" + std::to_string(min) + ", " +
                      std::to_string(max) + "], got '" + shown(s) + "'");
    return v;
  }
  double number(const YAML::Node& v, const std::string& where) const {
    double d = 0;
    if (!v.IsScalar() || !YAML::convert<double>::decode(v, d))
      fail(where, "expected a number, got '" + shown(v.IsScalar() ? v.Scalar() : "") + "'");
    return d;
  }
  std::vector<std::string> names(const YAML::Node& map, const std::string& key) const {
    const YAML::Node v = require(map, key, key);
    if (!v.IsSequence()) fail(key, "expected a list");
    std::vector<std::string> out;
    std::map<std::string, std::size_t> first_index;
    for (const YAML::Node& n : v) {
      if (!n.IsScalar()) fail(key, "expected a list of names");
      // Names are columns and class labels: two equal ones would make them ambiguous.
      const auto [previous, inserted] = first_index.emplace(n.Scalar(), out.size());
      if (!inserted)
        fail(key + "[" + std::to_string(out.size()) + "]",
             "duplicate name '" + shown(n.Scalar()) + "' (also item " +
                 std::to_string(previous->second) + ")");
      out.push_back(n.Scalar());
    }
    return out;
  }
  std::string key(const YAML::Node& k, const std::string& where) const {
    if (!k.IsScalar() || k.Scalar().empty()) fail(where, "expected names as keys");
    return k.Scalar();
  }
  YAML::Node map(const YAML::Node& parent, const std::string& key) const {
    const YAML::Node v = require(parent, key, key);
    if (!v.IsMap()) fail(key, "expected a mapping");
    return v;
  }
  YAML::Node list(const YAML::Node& parent, const std::string& key) const {
    const YAML::Node v = require(parent, key, key);
    if (!v.IsSequence()) fail(key, "expected a list");
    return v;
  }

 private:
  const std::string& path_;
};

constexpr std::int64_t kMaxCount = std::numeric_limits<std::int64_t>::max();

std::vector<TensorEntry> read_tensor_entries(const YAML::Node& header, const Fields& f) {
  std::vector<TensorEntry> entries;
  std::set<std::string> seen;
  std::size_t i = 0;
  for (const YAML::Node& t : f.list(header, "tensors")) {
    const std::string at = "tensors[" + std::to_string(i++) + "]";
    if (!t.IsMap()) f.fail(at, "expected a mapping {name, dtype, rows, cols, offset}");
    TensorEntry e;
    e.name = f.text(t, "name", at + ".name");
    if (e.name.empty()) f.fail(at + ".name", "empty");
    if (!seen.insert(e.name).second) f.fail(at, "a second tensor named '" + shown(e.name) + "'");
    const std::string dtype = f.text(t, "dtype", at + ".dtype");
    if (dtype != "f32")
      f.fail(at, "tensor '" + shown(e.name) + "' has dtype '" + shown(dtype) +
                     "'; this build reads only f32");
    e.rows = f.integer(t, "rows", at + ".rows", 0, kMaxTensorDim);
    e.cols = f.integer(t, "cols", at + ".cols", 0, kMaxTensorDim);
    e.offset = f.integer(t, "offset", at + ".offset", 0, kMaxCount);
    entries.push_back(std::move(e));
  }
  return entries;
}

// history: a text block, one line per epoch of 7 numbers (see serialize_checkpoint).
void read_history(const YAML::Node& header, const Fields& f, Checkpoint& out) {
  static constexpr const char* kColumns =
      "epoch, train_loss, train_error, val_loss, val_error, lr, seconds";
  const std::string text = f.text(header, "history", "history");
  std::size_t line_start = 0, line = 0;
  while (line_start < text.size()) {
    std::size_t line_end = text.find('\n', line_start);
    if (line_end == std::string::npos) line_end = text.size();
    const std::string at = "history line " + std::to_string(++line);
    const std::string row_text = text.substr(line_start, line_end - line_start);
    std::array<double, 7> values{};
    const char* p = row_text.c_str();
    std::size_t k = 0;
    for (; k < 7; ++k) {
      char* end = nullptr;
      values[k] = std::strtod(p, &end);
      if (end == p) break;
      p = end;
    }
    while (*p == ' ') ++p;
    if (k != 7 || *p != '\0') f.fail(at, "expected 7 numbers (" + std::string(kColumns) + ")");
    // metrics.csv's rows 1..epoch, in order: a resume indexes them by epoch.
    if (values[0] != static_cast<double>(line))
      f.fail(at, "starts with epoch " + shown(row_text.substr(0, row_text.find(' '))) +
                     " where epoch " + std::to_string(line) + " belongs");
    out.history.push_back(values);
    line_start = line_end + 1;
  }
  if (static_cast<std::int64_t>(out.history.size()) != out.epoch)
    f.fail("history", "holds " + std::to_string(out.history.size()) +
                          " epochs, but the checkpoint is at epoch " + std::to_string(out.epoch) +
                          " (one line per epoch 1.." + std::to_string(out.epoch) + ")");
}

}  // namespace

std::vector<TensorEntry> read_header(std::string_view yaml, std::uint32_t format_version,
                                     const std::string& path, Checkpoint& c) {
  try {
    const YAML::Node h = parse_header(yaml, path);
    const Fields f(path);
    if (f.text(h, "format", "format") != "nnrun-checkpoint")
      throw InputError(path + ": not an nnrun checkpoint (header format field)");
    if (f.integer(h, "format_version", "format_version", 0, kMaxCount) !=
        static_cast<std::int64_t>(format_version))
      f.fail("format_version",
             "does not match the file's version " + std::to_string(format_version));
    c.format_version = format_version;
    c.nnrun_version = f.text(h, "nnrun_version", "nnrun_version");
    c.backend = f.text(h, "backend", "backend");
    if (c.backend != "cpu" && c.backend != "cuda" && c.backend != "reference")
      f.fail("backend", "expected cpu, cuda or reference, got '" + shown(c.backend) + "'");
    c.epoch = f.integer(h, "epoch", "epoch", 0, kMaxCount);
    c.step = f.integer(h, "step", "step", 0, kMaxCount);
    const std::string task = f.text(h, "task", "task");
    if (task != "classification" && task != "regression")
      f.fail("task", "expected classification or regression, got '" + shown(task) + "'");
    c.task = task == "classification" ? Task::classification : Task::regression;
    c.input_width = f.integer(h, "input_width", "input_width", 1, kMaxTensorDim);
    c.feature_names = f.names(h, "feature_names");
    if (static_cast<std::int64_t>(c.feature_names.size()) != c.input_width)
      f.fail("feature_names", "holds " + std::to_string(c.feature_names.size()) +
                                  " names for input_width " + std::to_string(c.input_width));
    c.class_names = f.names(h, "class_names");
    if (h["label_column"]) c.label_column = f.text(h, "label_column", "label_column");
    if (h["data_fingerprint"])
      c.data_fingerprint = f.text(h, "data_fingerprint", "data_fingerprint");
    if (c.task == Task::classification ? c.class_names.size() == 1 : !c.class_names.empty())
      f.fail("class_names", c.task == Task::classification
                                ? "a classification checkpoint names at least 2 classes"
                                : "a regression checkpoint has no classes");
    for (const auto& kv : f.map(h, "metrics")) {
      const std::string name = f.key(kv.first, "metrics");
      c.metrics.emplace_back(name, f.number(kv.second, "metrics." + shown(name)));
    }
    c.status = f.text(h, "status", "status");
    if (c.status != "running" && c.status != "finished" && c.status != "diverged" &&
        c.status != "interrupted")
      f.fail("status",
             "expected running, finished, diverged or interrupted, got '" + shown(c.status) + "'");
    c.stop_reason = f.text(h, "stop_reason", "stop_reason");
    for (const auto& kv : f.map(h, "state")) {
      const std::string name = f.key(kv.first, "state");
      c.state[name] = f.number(kv.second, "state." + shown(name));
    }
    read_history(h, f, c);
    c.config_yaml = f.text(h, "config", "config");
    return read_tensor_entries(h, f);
  } catch (const YAML::Exception& e) {
    // Every other yaml-cpp failure (syntax, recursion depth, conversion, subscript).
    const std::string line =
        e.mark.is_null() ? "" : " (line " + std::to_string(e.mark.line + 1) + ")";
    throw InputError(path + ": checkpoint header cannot be read" + line + ": " + shown(e.msg, 120));
  }
}

}  // namespace nnrun::checkpoint_detail
