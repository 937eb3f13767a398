// Where each part of a config tree came from -- the YAML file or a `--set` override -- so
// that every ConfigError points at what the user actually typed.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/config/config.hpp"
#include "core/errors.hpp"

namespace nnrun {

class ConfigSource {
 public:
  explicit ConfigSource(std::string file_label) : file_label_(std::move(file_label)) {}

  const std::string& file_label() const { return file_label_; }

  // Records that the subtree at key_path ("optimizer.lr", "model.layers[0]") was replaced
  // by an override; `label` names it, e.g. "--set optimizer.lr=0.1".
  void mark_override(std::string key_path, std::string label);

  // The label of the last override that set key_path or a parent of it, or null when the
  // value is the file's.
  const std::string* override_for(std::string_view key_path) const;

  // file:line:col for file nodes (yaml-cpp marks are 0-based, messages 1-based); the
  // override's label, without line and column, for overridden ones.
  SourceLocation locate(std::string_view key_path, const YAML::Mark& mark) const;

  [[noreturn]] void fail(const std::string& key_path, const YAML::Mark& mark,
                         const std::string& message) const;

 private:
  std::string file_label_;
  std::vector<std::pair<std::string, std::string>> overrides_;  // key path, label
};

// The mark to report for a value: its own, or its key's when the value has none (an
// empty value's mark points at the next token, often on the following line).
YAML::Mark value_mark(const YAML::Node& value, const YAML::Mark& key_mark);

// Joins a parent path and a child key: ("optimizer", "lr") -> "optimizer.lr".
std::string child_path(std::string_view parent, std::string_view key);

// Records where every key of the tree was written (for Config::locations).
void record_key_locations(const YAML::Node& node, const std::string& path,
                          const ConfigSource& source, KeyLocations& out);

}  // namespace nnrun
