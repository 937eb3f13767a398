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
