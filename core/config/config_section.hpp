// Internal to the config builder: typed reads of one validated mapping, with schema
// defaults for absent keys, and enum lookup by user-facing name.
#pragma once

#include <stdexcept>
#include <string>

#include <yaml-cpp/yaml.h>

#include "core/config/config_source.hpp"
#include "core/config/schema.hpp"
#include "core/config/yaml_scalars.hpp"

namespace nnrun {

// One mapping of the validated tree; an absent or empty section reads as all defaults.
class Section {
 public:
  Section(const YAML::Node& map, std::string pattern, std::string path, const YAML::Mark& mark)
      : map_(map), pattern_(std::move(pattern)), path_(std::move(path)), mark_(mark) {}

  bool has(const std::string& key) const { return map_.IsMap() && map_[key]; }
  const std::string& path() const { return path_; }
  std::string path_of(const std::string& key) const { return child_path(path_, key); }
  YAML::Mark mark_of(const std::string& key) const {
    return has(key) ? value_mark(map_[key], mark_) : mark_;
  }
  Section section(const std::string& key) const {
    return Section(has(key) ? map_[key] : YAML::Node(), child_path(pattern_, key), path_of(key),
                   mark_of(key));
  }
  YAML::Node node(const std::string& key) const { return has(key) ? map_[key] : YAML::Node(); }

  // The value's text, or the schema default for an absent key.
  std::string text(const std::string& key) const {
    if (has(key)) return map_[key].Scalar();
    return std::string(find_key_spec(child_path(pattern_, key))->default_value);
  }
  double number(const std::string& key) const { return *parse_number(text(key)); }
  std::int64_t integer(const std::string& key) const { return *parse_integer(text(key)); }
  bool flag(const std::string& key) const { return *parse_bool(text(key)); }
  InitSpec init(const std::string& key) const { return *parse_init(text(key)); }

  // True when some key given here belongs to `form` (schema.hpp, KeySpec::form).
  bool has_form(std::string_view form) const {
    if (!map_.IsMap()) return false;
    for (const auto& entry : map_)
      if (find_key_spec(child_path(pattern_, entry.first.Scalar()))->form == form) return true;
    return false;
  }

 private:
  YAML::Node map_;
  std::string pattern_;
  std::string path_;
  YAML::Mark mark_;
};

// Enum from its user-facing name. The schema already limited the text to its choices, so
// a miss means the table and core/names.cpp disagree: fail loudly, never pick a default.
template <typename Enum, std::size_t N>
Enum enum_named(const std::string& text, const Enum (&values)[N], std::string (*name)(Enum)) {
  for (Enum value : values)
    if (name(value) == text) return value;
  throw std::logic_error("config schema choice '" + text + "' has no matching enum value");
}

}  // namespace nnrun
