// Walks a YAML config tree alongside the schema table and rejects anything the table does
// not allow. Patterns use "[]" for list items; error paths use the concrete "[3]".
#include "core/config/schema_validator.hpp"

#include <cmath>
#include <map>

#include "core/config/suggest.hpp"
#include "core/config/yaml_scalars.hpp"

namespace nnrun {
namespace {

std::vector<std::string_view> names_of(const std::vector<const KeySpec*>& specs) {
  std::vector<std::string_view> names;
  for (const KeySpec* spec : specs) names.push_back(key_name(*spec));
  return names;
}

class TreeValidator {
 public:
  explicit TreeValidator(const ConfigSource& source) : source_(source) {}

  void check_map(const YAML::Node& map, std::string_view pattern, const std::string& path,
                 const YAML::Mark& key_mark) {
    if (map.IsNull()) return check_required(map, pattern, path, key_mark);  // `section:` alone
    if (!map.IsMap())
      fail(path, value_mark(map, key_mark), "expected a mapping, got " + describe_node(map));
    check_keys_known(map, pattern, path);
    for (const auto& entry : map) {
      const std::string key = entry.first.Scalar();
      check_value(entry.second, *find_key_spec(child_path(pattern, key)), child_path(path, key),
                  entry.first.Mark());
    }
    for (const auto& entry : map) check_condition(map, entry, pattern, path);
    check_required(map, pattern, path, key_mark);
  }

 private:
  void check_value(const YAML::Node& value, const KeySpec& spec, const std::string& path,
                   const YAML::Mark& key_mark) {
    switch (spec.type) {
      case ValueType::map:
        return check_map(value, spec.path, path, key_mark);
      case ValueType::sequence:
        return check_sequence(value, spec, path, key_mark);
      case ValueType::tagged:
        return check_tagged(value, spec, path, key_mark);
      default:
        return check_scalar(value, spec, path, value_mark(value, key_mark));
    }
  }

  void check_sequence(const YAML::Node& list, const KeySpec& spec, const std::string& path,
                      const YAML::Mark& key_mark) {
    if (!list.IsSequence())
      fail(path, value_mark(list, key_mark), "expected a list, got " + describe_node(list));
    if (spec.range.min && static_cast<double>(list.size()) < *spec.range.min)
      fail(path, value_mark(list, key_mark), "must not be empty");
    const KeySpec& item_spec = *find_key_spec(std::string(spec.path) + "[]");
    for (std::size_t i = 0; i < list.size(); ++i)
      check_value(list[i], item_spec, path + "[" + std::to_string(i) + "]", list[i].Mark());
  }

  // A list item such as `- dense: {units: 16}`: exactly one key, naming a known type.
  void check_tagged(const YAML::Node& item, const KeySpec& spec, const std::string& path,
                    const YAML::Mark& key_mark) {
    const auto types = names_of(child_specs(spec.path));
    if (!item.IsMap() || item.size() == 0)
      fail(path, value_mark(item, key_mark),
           "expected a mapping with one key naming the type (" + join_names(types) + "), got " +
               describe_node(item));
    check_keys_known(item, spec.path, path);
    if (item.size() > 1) {
      std::vector<std::string> keys;
      for (const auto& entry : item) keys.push_back(entry.first.Scalar());
      fail(path, item.Mark(),
           "an item has exactly one type key, got '" + keys[0] + "' and '" + keys[1] + "'");
    }
    check_map(item, spec.path, path, item.Mark());
  }

  void check_scalar(const YAML::Node& value, const KeySpec& spec, const std::string& path,
                    const YAML::Mark& mark) {
    const std::string got = ", got " + describe_node(value);
    const bool plain = is_plain_scalar(value);
    const std::string text = value.IsScalar() ? value.Scalar() : std::string();
    switch (spec.type) {
      case ValueType::string:
      case ValueType::column:
        if (!value.IsScalar()) fail(path, mark, "expected " + describe_type(spec) + got);
        if (text.empty()) fail(path, mark, "must not be empty");
        if (spec.type == ValueType::column && plain && parse_integer(text) &&
            *parse_integer(text) < 0)
          fail(path, mark, "a column index must be >= 0, got " + text);
        return;
      case ValueType::integer:
      case ValueType::number: {
        const auto number = plain ? parse_number(text) : std::nullopt;
        if (!number) fail(path, mark, "expected " + describe_type(spec) + got);
        if (spec.type == ValueType::integer && !parse_integer(text))
          fail(path, mark,
               std::trunc(*number) == *number ? "integer out of range, got " + text
                                              : "expected an integer, got " + text);
        if (!in_range(*number, spec.range))
          fail(path, mark, "must be " + describe_range(spec.range) + ", got " + text);
        return;
      }
      case ValueType::boolean:
        if (!plain || !parse_bool(text)) fail(path, mark, "expected true or false" + got);
        return;
      case ValueType::choice:
        if (!value.IsScalar())
          fail(path, mark, "expected one of " + join_names(spec.choices) + got);
        for (std::string_view choice : spec.choices)
          if (text == choice) return;
        fail(path, mark,
             "unknown value '" + text + "'" + did_you_mean(text, spec.choices) +
                 "; expected one of " + join_names(spec.choices));
      case ValueType::init:
        if (value.IsScalar() && parse_init(text)) return;
        if (text.starts_with("normal("))
          fail(path, mark, "normal(STD) needs a number STD > 0, got " + text);
        fail(path, mark,
             "unknown init " + describe_node(value) + did_you_mean(text, init_names()) +
                 "; expected one of " + join_names(init_names()));
      default:
        fail(path, mark, "internal error: no scalar check for this key");
    }
  }

  void check_keys_known(const YAML::Node& map, std::string_view pattern, const std::string& path) {
    std::map<std::string, int> first_line;
    for (const auto& entry : map) {
      const YAML::Node& key = entry.first;
      if (!key.IsScalar())
        fail(path, key.Mark(), "keys must be plain names, got " + describe_node(key));
      const std::string name = key.Scalar();
      const std::string path_of_key = child_path(path, name);
      if (!find_key_spec(child_path(pattern, name)))
        fail(path_of_key, key.Mark(), unknown_key_message(name, pattern));
      const auto [previous, inserted] = first_line.emplace(name, key.Mark().line + 1);
      if (!inserted)
        fail(path_of_key, key.Mark(),
             "duplicate key '" + name + "' (first given on line " +
                 std::to_string(previous->second) + ")");
    }
  }

  // A key that belongs to one variant (momentum: sgd only) must not appear with another.
  void check_condition(const YAML::Node& map, const std::pair<YAML::Node, YAML::Node>& entry,
                       std::string_view pattern, const std::string& path) {
    const std::string key = entry.first.Scalar();
    const KeySpec& spec = *find_key_spec(child_path(pattern, key));
    if (!spec.only_when) return;
    const std::string sibling(spec.only_when.sibling);
    const YAML::Node sibling_value = map[sibling];
    const std::string actual =
        sibling_value && sibling_value.IsScalar()
            ? sibling_value.Scalar()
            : std::string(find_key_spec(child_path(pattern, sibling))->default_value);
    for (std::string_view allowed : spec.only_when.values)
      if (actual == allowed) return;
    fail(child_path(path, key), entry.first.Mark(),
         "'" + key + "' only applies when " + sibling + " is " +
             join_names(spec.only_when.values, " or ") + " (here " + sibling + " is " + actual +
             ")");
  }

  void check_required(const YAML::Node& map, std::string_view pattern, const std::string& path,
                      const YAML::Mark& key_mark) {
    for (const KeySpec* child : child_specs(pattern)) {
      if (!child->required || (map.IsMap() && map[std::string(key_name(*child))])) continue;
      fail(child_path(path, key_name(*child)), key_mark,
           "required key '" + std::string(key_name(*child)) + "' is missing (" +
               std::string(child->help) + ")");
    }
  }

  [[noreturn]] void fail(const std::string& path, const YAML::Mark& mark,
                         const std::string& message) const {
    source_.fail(path, mark, message);
  }

  const ConfigSource& source_;
};

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

bool in_range(double value, const ValueRange& range) {
  if (range.min && (range.min_exclusive ? value <= *range.min : value < *range.min)) return false;
  if (range.max && (range.max_exclusive ? value >= *range.max : value > *range.max)) return false;
  return true;
}

void validate_config_tree(const YAML::Node& root, const ConfigSource& source) {
  TreeValidator(source).check_map(root, "", "", root.Mark());
}

}  // namespace nnrun
