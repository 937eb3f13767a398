// Walks a YAML config tree alongside the schema table and rejects anything the table does
// not allow. Patterns use "[]" for list items; error paths use the concrete "[3]".
#include "core/config/schema_validator.hpp"

#include <cmath>
#include <map>
#include <optional>
#include <string_view>

#include "core/config/suggest.hpp"
#include "core/config/yaml_scalars.hpp"

namespace nnrun {
namespace {

std::vector<std::string_view> names_of(const std::vector<const KeySpec*>& specs) {
  std::vector<std::string_view> names;
  for (const KeySpec* spec : specs) names.push_back(key_name(*spec));
  return names;
}

// Why a number is not an integer: too many digits for int64, a fraction, or a whole value
// written as a float ("2.0", "1e2"), which YAML reads as a float, not an integer.
std::string integer_problem(const std::string& text, double number) {
  std::string_view digits = text;
  if (digits.starts_with('+') || digits.starts_with('-')) digits.remove_prefix(1);
  if (!digits.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos)
    return "integer out of range, got " + text;
  if (std::trunc(number) != number) return "expected an integer, got " + text;
  return "expected an integer (without a decimal point or exponent), got " + text;
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
    check_single_form(map, pattern, path);
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
          fail(path, mark, integer_problem(text, *number));
        if (spec.range.max_is_limit && *number > *spec.range.max)
          fail(path, mark,
               "must be at most " + format_number(*spec.range.max) +
                   " (the largest nnrun supports), got " + text);
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

  // Keys of two forms of one map (data.validation: split or source) must not be mixed.
  void check_single_form(const YAML::Node& map, std::string_view pattern, const std::string& path) {
    std::string first_key;
    std::string_view first_form;
    for (const auto& entry : map) {
      const std::string key = entry.first.Scalar();
      const std::string_view form = find_key_spec(child_path(pattern, key))->form;
      if (form.empty()) continue;
      if (first_form.empty()) {
        first_key = key;
        first_form = form;
      } else if (form != first_form) {
        fail(child_path(path, key), entry.first.Mark(),
             "cannot mix " + std::string(first_form) + " keys ('" + first_key + "') with " +
                 std::string(form) + " keys ('" + key + "'); " +
                 std::string(find_key_spec(pattern)->help));
      }
    }
  }

  // A key that belongs to one variant (momentum: sgd only) must not appear with another.
  void check_condition(const YAML::Node& map, const std::pair<YAML::Node, YAML::Node>& entry,
                       std::string_view pattern, const std::string& path) {
    const std::string key = entry.first.Scalar();
    const auto conditions = conditions_of(*find_key_spec(child_path(pattern, key)));
    for (std::size_t i = 0; i < conditions.size(); ++i) {
      const std::string sibling(conditions[i].sibling);
      const auto actual = sibling_value(map, pattern, sibling);
      if (!actual) return;  // a required sibling is missing: check_required says so
      if (holds(conditions[i], *actual)) continue;
      fail(child_path(path, key), entry.first.Mark(),
           "'" + key + "' only applies when " + describe(conditions, i, " is ") + " (here " +
               sibling + " is " + *actual + ")");
    }
  }

  void check_required(const YAML::Node& map, std::string_view pattern, const std::string& path,
                      const YAML::Mark& key_mark) {
    const std::string_view form = active_form(map, pattern);
    for (const KeySpec* child : child_specs(pattern)) {
      if (!child->required || (map.IsMap() && map[std::string(key_name(*child))])) continue;
      if (!child->form.empty() && child->form != form) continue;
      const auto conditions = conditions_of(*child);
      bool applies = true;
      for (const KeyCondition& condition : conditions) {
        const auto actual = sibling_value(map, pattern, std::string(condition.sibling));
        applies = applies && actual && holds(condition, *actual);
      }
      if (!applies) continue;
      fail(child_path(path, key_name(*child)), key_mark,
           "required key '" + std::string(key_name(*child)) + "' is missing" +
               (conditions.empty() ? "" : " for " + describe(conditions, 0, " ")) + " (" +
               std::string(child->help) + ")");
    }
  }

  // The sibling's value, else its schema default; nullopt when it has neither.
  static std::optional<std::string> sibling_value(const YAML::Node& map, std::string_view pattern,
                                                  const std::string& sibling) {
    if (map.IsMap() && map[sibling] && map[sibling].IsScalar()) return map[sibling].Scalar();
    const std::string_view fallback = find_key_spec(child_path(pattern, sibling))->default_value;
    if (fallback.empty()) return std::nullopt;
    return std::string(fallback);
  }

  static bool holds(const KeyCondition& condition, const std::string& actual) {
    for (std::string_view allowed : condition.values)
      if (actual == allowed) return true;
    return false;
  }

  // "format is synthetic and generator is line or polynomial", from conditions[first] on.
  static std::string describe(const std::vector<KeyCondition>& conditions, std::size_t first,
                              const std::string& verb) {
    std::string text;
    for (std::size_t i = first; i < conditions.size(); ++i)
      text += (i == first ? "" : " and ") + std::string(conditions[i].sibling) + verb +
              join_names(conditions[i].values, " or ");
    return text;
  }

  // The form a map takes: that of its first key with one, else the table's first form.
  static std::string_view active_form(const YAML::Node& map, std::string_view pattern) {
    if (map.IsMap())
      for (const auto& entry : map)
        if (const auto form = find_key_spec(child_path(pattern, entry.first.Scalar()))->form;
            !form.empty())
          return form;
    for (const KeySpec* child : child_specs(pattern))
      if (!child->form.empty()) return child->form;
    return {};
  }

  [[noreturn]] void fail(const std::string& path, const YAML::Mark& mark,
                         const std::string& message) const {
    source_.fail(path, mark, message);
  }

  const ConfigSource& source_;
};

}  // namespace

bool in_range(double value, const ValueRange& range) {
  if (range.min && (range.min_exclusive ? value <= *range.min : value < *range.min)) return false;
  if (range.max && (range.max_exclusive ? value >= *range.max : value > *range.max)) return false;
  return true;
}

void validate_config_tree(const YAML::Node& root, const ConfigSource& source) {
  TreeValidator(source).check_map(root, "", "", root.Mark());
}

}  // namespace nnrun
