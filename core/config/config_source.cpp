// Attribution of config values to the file or to a `--set` override, for error messages.
#include "core/config/config_source.hpp"

namespace nnrun {
namespace {

// True when `path` is `prefix` itself or lies below it ("a.b" under "a", "a[0]" under "a").
bool is_within(std::string_view path, std::string_view prefix) {
  if (!path.starts_with(prefix)) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '.' || path[prefix.size()] == '[';
}

}  // namespace

void ConfigSource::mark_override(std::string key_path, std::string label) {
  overrides_.emplace_back(std::move(key_path), std::move(label));
}

const std::string* ConfigSource::override_for(std::string_view key_path) const {
  // Later overrides win, as they do when applied.
  for (auto it = overrides_.rbegin(); it != overrides_.rend(); ++it)
    if (is_within(key_path, it->first)) return &it->second;
  return nullptr;
}

SourceLocation ConfigSource::locate(std::string_view key_path, const YAML::Mark& mark) const {
  if (const std::string* label = override_for(key_path)) return {*label, 0, 0};
  if (mark.is_null() || mark.line < 0) return {file_label_, 0, 0};
  return {file_label_, mark.line + 1, mark.column + 1};
}

void ConfigSource::fail(const std::string& key_path, const YAML::Mark& mark,
                        const std::string& message) const {
  throw ConfigError(locate(key_path, mark), key_path, message);
}

YAML::Mark value_mark(const YAML::Node& value, const YAML::Mark& key_mark) {
  if (!value.IsDefined() || value.IsNull() || value.Mark().is_null()) return key_mark;
  return value.Mark();
}

std::string child_path(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return std::string(parent) + "." + std::string(key);
}

}  // namespace nnrun

namespace nnrun {

void record_key_locations(const YAML::Node& node, const std::string& path,
                          const ConfigSource& source, KeyLocations& out) {
  if (node.IsMap()) {
    for (const auto& kv : node) {
      const std::string key = child_path(path, kv.first.Scalar());
      out.record(key, source.locate(key, value_mark(kv.second, kv.first.Mark())));
      record_key_locations(kv.second, key, source, out);
    }
  } else if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      const std::string key = path + "[" + std::to_string(i) + "]";
      out.record(key, source.locate(key, node[i].Mark()));
      record_key_locations(node[i], key, source, out);
    }
  }
}

}  // namespace nnrun
