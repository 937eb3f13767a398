// The message for a key the schema does not know where it was written: an alias, a key of
// a neighbouring section, a near miss, or the list of keys valid there.
#include "core/config/schema_validator.hpp"

#include "core/config/suggest.hpp"

namespace nnrun {
namespace {

std::vector<std::string_view> names_of(const std::vector<const KeySpec*>& specs) {
  std::vector<std::string_view> names;
  for (const KeySpec* spec : specs) names.push_back(key_name(*spec));
  return names;
}

// The sections inside `parent_pattern` ("optimizer.schedule" for optimizer's step_size)
// or beside it ("data.train" for data.test's limit, "dense layers" for a dropout layer's
// units) that do have `key`, joined with "or"; empty when none does.
std::string sections_with_key(std::string_view key, std::string_view parent_pattern) {
  if (parent_pattern.empty()) return {};
  std::vector<std::string> homes;
  for (const KeySpec* section : child_specs(parent_pattern))
    if (section->type == ValueType::map && find_key_spec(child_path(section->path, key)))
      homes.emplace_back(section->path);
  const auto dot = parent_pattern.rfind('.');
  const std::string_view grandparent =
      dot == std::string_view::npos ? std::string_view{} : parent_pattern.substr(0, dot);
  const KeySpec* grandparent_spec = find_key_spec(grandparent);
  const bool layer_types = grandparent_spec && grandparent_spec->type == ValueType::tagged;
  for (const KeySpec* section : child_specs(grandparent))
    if (section->path != parent_pattern && find_key_spec(child_path(section->path, key)))
      homes.push_back(layer_types ? std::string(key_name(*section)) + " layers"
                                  : std::string(section->path));
  std::string text;
  for (const std::string& home : homes) text += (text.empty() ? "" : " or ") + home;
  return text;
}

}  // namespace

std::string unknown_key_message(std::string_view key, std::string_view parent_pattern) {
  const auto siblings = child_specs(parent_pattern);
  const auto names = names_of(siblings);
  const KeySpec* parent = find_key_spec(parent_pattern);
  const bool is_type_key = parent && parent->type == ValueType::tagged;
  std::string message =
      std::string(is_type_key ? "unknown layer type '" : "unknown key '") + std::string(key) + "'";
  for (const KeySpec* sibling : siblings)
    for (std::string_view alias : sibling->aliases)
      if (closest_match(key, {alias}))
        return message + " (did you mean '" + std::string(key_name(*sibling)) + "'?)";
  if (!is_type_key)
    if (const std::string home = sections_with_key(key, parent_pattern); !home.empty())
      return message + "; it is only valid in " + home;
  if (auto hint = did_you_mean(key, names); !hint.empty() && !is_type_key) return message + hint;
  if (is_type_key) {
    // `- dense:` followed by under-indented settings parses as extra keys of the item.
    for (const KeySpec* type : siblings)
      for (const KeySpec* setting : child_specs(type->path))
        if (key_name(*setting) == key)
          return message + "; '" + std::string(key) + "' is a " + std::string(key_name(*type)) +
                 " setting: indent it under '" + std::string(key_name(*type)) + ":'";
    return message + did_you_mean(key, names) + "; layer types: " + join_names(names);
  }
  if (names.empty()) return message + "; this value has no sub-keys";
  return message + "; valid keys: " + join_names(names);
}

}  // namespace nnrun
