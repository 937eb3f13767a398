// Parses and applies `--set KEY=VALUE` overrides. yaml-cpp nodes are handles into shared
// storage: walking uses Node::reset (rebind), since `=` would overwrite the node walked from.
#include "core/config/overrides.hpp"

#include <cctype>
#include <optional>
#include <utility>

#include "core/config/schema.hpp"
#include "core/config/schema_validator.hpp"
#include "core/errors.hpp"

namespace nnrun {
namespace {

// One step of an override key: a mapping key, or a list index.
struct PathStep {
  std::string key;
  std::optional<std::size_t> index;
};

[[noreturn]] void fail(const std::string& label, const std::string& key_path,
                       const std::string& message) {
  throw ConfigError(SourceLocation{label, 0, 0}, key_path, message);
}

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
}

// "model.layers[0].dense.units" -> model, layers, [0], dense, units.
std::optional<std::vector<PathStep>> parse_key(const std::string& key) {
  std::vector<PathStep> steps;
  std::size_t pos = 0;
  while (pos < key.size()) {
    const std::size_t start = pos;
    while (pos < key.size() && is_name_char(key[pos])) ++pos;
    if (pos == start) return std::nullopt;
    steps.push_back({key.substr(start, pos - start), std::nullopt});
    while (pos < key.size() && key[pos] == '[') {
      const std::size_t close = key.find(']', pos);
      if (close == std::string::npos || close == pos + 1 || close - pos > 10) return std::nullopt;
      const std::string digits = key.substr(pos + 1, close - pos - 1);
      for (char c : digits)
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
      steps.push_back({"", std::stoul(digits)});
      pos = close + 1;
    }
    if (pos < key.size() && (key[pos] != '.' || pos + 1 == key.size())) return std::nullopt;
    if (pos < key.size()) ++pos;
  }
  if (steps.empty()) return std::nullopt;
  return steps;
}

void apply_one(YAML::Node& root, const ConfigOverride& override, ConfigSource& source) {
  const std::string& text = override.text;
  const std::string& label = override.label;
  const auto equals = text.find('=');
  const auto steps = equals == std::string::npos ? std::nullopt : parse_key(text.substr(0, equals));
  if (!steps)
    fail(label, "",
         "expected KEY=VALUE with KEY a dotted path such as optimizer.lr or "
         "model.layers[0].dense.units");
  YAML::Node value;
  try {
    value = YAML::Load(text.substr(equals + 1));
  } catch (const YAML::Exception& error) {
    fail(label, text.substr(0, equals), "cannot parse the value as YAML: " + error.msg);
  }

  YAML::Node cursor = root;  // a handle; rebound with reset() as the walk descends
  std::string pattern, path;
  for (std::size_t i = 0; i < steps->size(); ++i) {
    const PathStep& step = (*steps)[i];
    const bool last = i + 1 == steps->size();
    if (step.index) {
      const KeySpec* list_spec = find_key_spec(pattern);
      if (!list_spec || list_spec->type != ValueType::sequence)
        fail(label, path, "'" + path + "' is not a list, so it takes no index");
      const std::size_t size = cursor.IsSequence() ? cursor.size() : 0;
      path += "[" + std::to_string(*step.index) + "]";
      pattern += "[]";
      if (*step.index >= size)
        fail(label, path,
             "index " + std::to_string(*step.index) + " is past the end (" +
                 std::string(list_spec->path) + " has " + std::to_string(size) + " items)");
      if (last) {
        cursor[*step.index] = value;
      } else {
        YAML::Node item = cursor[*step.index];
        cursor.reset(item);
      }
      continue;
    }
    const KeySpec* parent_spec = find_key_spec(pattern);
    if (parent_spec && parent_spec->type == ValueType::sequence)
      fail(label, path, "'" + path + "' is a list: index it, e.g. " + path + "[0]");
    if (parent_spec && parent_spec->type != ValueType::map &&
        parent_spec->type != ValueType::tagged)
      fail(label, child_path(path, step.key),
           "'" + path + "' is a single value, so it has no key '" + step.key + "'");
    const KeySpec* spec = find_key_spec(child_path(pattern, step.key));
    if (!spec) fail(label, child_path(path, step.key), unknown_key_message(step.key, pattern));
    // A list item names its type by its one key: setting another type's key would make it
    // an item of two types, an error the file's line would then be blamed for.
    if (parent_spec && parent_spec->type == ValueType::tagged && cursor.IsMap() &&
        cursor.size() == 1 && !std::as_const(cursor)[step.key]) {
      const std::string type = cursor.begin()->first.Scalar();
      fail(label, path,
           "'" + path + "' is a " + type + " item, not " + step.key + ": set " + path + "." + type +
               ".KEY, or replace the item with " + path + "={" + step.key + ": {...}}");
    }
    if (cursor.IsNull()) cursor = YAML::Node(YAML::NodeType::Map);  // `section:` left empty
    if (!cursor.IsMap())
      fail(label, path, "cannot set '" + step.key + "' inside a value that is not a mapping");
    path = child_path(path, step.key);
    pattern = std::string(spec->path);
    if (last) {
      cursor[step.key] = value;
      continue;
    }
    if (!std::as_const(cursor)[step.key]) {
      if (spec->type == ValueType::sequence)
        fail(label, path, "'" + path + "' is not in the config, so no item can be indexed");
      cursor[step.key] = YAML::Node(YAML::NodeType::Map);
    }
    YAML::Node child = cursor[step.key];
    cursor.reset(child);
  }
  source.mark_override(path, label);
}

}  // namespace

std::vector<ConfigOverride> set_overrides(const std::vector<std::string>& texts) {
  std::vector<ConfigOverride> overrides;
  for (const std::string& text : texts) overrides.emplace_back(text, "--set " + text);
  return overrides;
}

void apply_overrides(YAML::Node& root, const std::vector<ConfigOverride>& overrides,
                     ConfigSource& source) {
  for (const ConfigOverride& override : overrides) apply_one(root, override, source);
}

}  // namespace nnrun
