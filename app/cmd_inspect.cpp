// nnrun inspect: print what a checkpoint holds (text or --json). A file whose checksum fails
// is still shown, marked as corrupt, and the command then exits 2. One whose tensors hold
// NaN or infinity (a diverged run) is shown with a warning and exits 0.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "app/commands.hpp"
#include "core/checkpoint/inspection.hpp"
#include "core/errors.hpp"
#include "core/util/json_writer.hpp"

namespace nnrun::app {
namespace {

constexpr const char* kCorrupt = "CHECKSUM MISMATCH: the file is corrupt";

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string hex(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", v);
  return buf;
}

// A comma-separated list, cut after `limit` names (MNIST has 784 feature names).
std::string name_list(const std::vector<std::string>& names, std::size_t limit = 10) {
  if (names.empty()) return "(none)";
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < limit; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > limit) out += ", ... (" + std::to_string(names.size()) + " in all)";
  return out;
}

std::string indented(const std::string& text) {
  std::istringstream in(text);
  std::string out, line;
  while (std::getline(in, line)) out += "  " + line + "\n";
  return out;
}

bool holds_non_finite(const CheckpointInspection& r, const std::string& tensor) {
  return std::find(r.non_finite_tensors.begin(), r.non_finite_tensors.end(), tensor) !=
         r.non_finite_tensors.end();
}

// What the non-finite tensors keep from working: the weights and the normalizer are used by
// every command, the optimizer's state only by a resume.
std::string non_finite_consequence(const std::vector<std::string>& tensors) {
  const auto any_in = [&](const char* group) {
    return std::any_of(tensors.begin(), tensors.end(),
                       [&](const std::string& name) { return name.starts_with(group); });
  };
  if (any_in("layers."))
    return "the run diverged; eval, predict and train --resume refuse this checkpoint";
  if (any_in("normalizer.")) return "eval, predict and train --resume refuse this checkpoint";
  return "train --resume refuses this checkpoint; eval and predict can use its weights";
}

void print_text(const CheckpointInspection& r) {
  const Checkpoint& c = r.checkpoint;
  auto& o = std::cout;
  if (!r.checksum_ok) o << kCorrupt << ": nothing below can be trusted\n\n";
  if (!r.non_finite_tensors.empty())
    o << "WARNING: non-finite values (NaN or infinity) in " << name_list(r.non_finite_tensors)
      << ": " << non_finite_consequence(r.non_finite_tensors) << "\n\n";
  o << "checkpoint   " << r.path << " (" << r.file_bytes << " bytes)\n"
    << "format       version " << c.format_version << ", written by nnrun " << c.nnrun_version
    << "\n"
    << "backend      " << c.backend << "\n"
    << "status       " << c.status
    << (c.status == "running" ? " (saved while training went on)" : "")
    << (c.stop_reason.empty() ? "" : " (stop reason: " + c.stop_reason + ")") << "\n"
    << "epoch        " << c.epoch << " (step " << c.step << ")\n"
    << "task         " << (c.task == Task::classification ? "classification" : "regression") << "\n"
    << "input width  " << c.input_width << "\n"
    << "features     " << name_list(c.feature_names) << "\n"
    << "classes      " << name_list(c.class_names) << "\n"
    << (c.label_column.empty() ? "" : "label column " + c.label_column + "\n")
    << (c.data_fingerprint.empty() ? "" : "data         " + c.data_fingerprint + "\n")
    << "history      " << c.history.size() << " epochs\n\n";
  if (r.config_error.empty())
    o << "layers (from the stored config):\n"
      << format_layer_table(r.layers) << "\n";  // its last row is the total
  else
    o << "layers: unavailable: " << r.config_error << "\n\n";
  o << "metrics (epoch " << c.epoch << "):\n";
  for (const auto& [name, value] : c.metrics) {
    char line[96];
    std::snprintf(line, sizeof line, "  %-16s %s\n", name.c_str(), number(value).c_str());
    o << line;
  }
  o << "\ntensors:\n";
  for (const CheckpointTensor& t : c.tensors) {
    char line[256];
    std::snprintf(line, sizeof line, "  %-28s %lld x %lld%s\n", t.name.c_str(),
                  static_cast<long long>(t.rows), static_cast<long long>(t.cols),
                  holds_non_finite(r, t.name) ? "  NON-FINITE VALUES" : "");
    o << line;
  }
  o << "\nconfig:\n" << indented(c.config_yaml) << "\n";
  if (r.checksum_ok)
    o << "checksum: OK\n";
  else
    o << "checksum: " << kCorrupt << " (stored " << hex(r.stored_crc) << ", computed "
      << hex(r.computed_crc) << ")\n";
}

void print_json(const CheckpointInspection& r) {
  const Checkpoint& c = r.checkpoint;
  JsonWriter j;
  j.begin_object()
      .field("checkpoint", r.path)
      .field("file_bytes", static_cast<long long>(r.file_bytes))
      .field("format_version", static_cast<long long>(c.format_version))
      .field("nnrun_version", c.nnrun_version)
      .field("backend", c.backend)
      .field("status", c.status)
      .field("stop_reason", c.stop_reason)
      .field("epoch", static_cast<long long>(c.epoch))
      .field("step", static_cast<long long>(c.step))
      .field("task", c.task == Task::classification ? "classification" : "regression")
      .field("input_width", static_cast<long long>(c.input_width));
  j.key("feature_names").begin_array();
  for (const std::string& n : c.feature_names) j.value(n);
  j.end_array().key("class_names").begin_array();
  for (const std::string& n : c.class_names) j.value(n);
  j.end_array();
  if (!c.label_column.empty()) j.field("label_column", c.label_column);
  if (!c.data_fingerprint.empty()) j.field("data_fingerprint", c.data_fingerprint);
  j.key("layers").begin_array();
  for (const LayerRow& l : r.layers)
    j.begin_object()
        .field("layer", l.kind)
        .field("inputs", static_cast<long long>(l.inputs))
        .field("outputs", static_cast<long long>(l.outputs))
        .field("activation", l.activation)
        .field("parameters", static_cast<long long>(l.parameters))
        .end_object();
  j.end_array().field("total_parameters", static_cast<long long>(r.total_parameters));
  if (!r.config_error.empty()) j.field("config_error", r.config_error);
  j.key("metrics").begin_object();
  for (const auto& [name, value] : c.metrics) j.field(name, value);
  j.end_object().key("state").begin_object();
  for (const auto& [name, value] : c.state) j.field(name, value);
  j.end_object().field("history_epochs", static_cast<long long>(c.history.size()));
  j.key("tensors").begin_array();
  for (const CheckpointTensor& t : c.tensors)
    j.begin_object()
        .field("name", t.name)
        .field("rows", static_cast<long long>(t.rows))
        .field("cols", static_cast<long long>(t.cols))
        .end_object();
  j.end_array().key("non_finite_tensors").begin_array();
  for (const std::string& name : r.non_finite_tensors) j.value(name);
  j.end_array().field("config", c.config_yaml).field("checksum_ok", r.checksum_ok);
  if (!r.checksum_ok)
    j.field("stored_crc32", hex(r.stored_crc)).field("computed_crc32", hex(r.computed_crc));
  std::cout << j.end_object().str() << "\n";
}

}  // namespace

int run_inspect(const InspectOptions& options) {
  const CheckpointInspection r = inspect_checkpoint(options.checkpoint_path);
  if (options.json)
    print_json(r);
  else
    print_text(r);
  if (r.checksum_ok) return 0;
  std::cout.flush();
  std::cerr << r.path << ": " << kCorrupt << " (checksum mismatch)\n";
  return static_cast<int>(ExitCode::usage);
}

}  // namespace nnrun::app
