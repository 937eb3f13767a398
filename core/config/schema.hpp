// The one table of config keys: type, range, default and help for every key. The loader,
// `--set`, `nnrun check` and the "did you mean" hints all read it; nothing else lists keys.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nnrun {

enum class ValueType {
  map,       // a section: its children are the keys "<path>.<child>"
  sequence,  // a list: its items are described by "<path>[]"
  tagged,    // a map with exactly one key naming a variant (a layer type): "<path>.<type>"
  string,    // any non-empty scalar, quoted or not
  integer,   // a plain integral scalar
  number,    // a plain finite number (integers accepted)
  boolean,   // true or false
  choice,    // one of `choices`, spelled exactly
  column,    // a CSV column: a name, or a 0-based integer index
  init,      // he_uniform | he_normal | xavier_uniform | xavier_normal | normal(STD)
};

// Bounds of an integer or number; each side optional and inclusive unless marked.
struct ValueRange {
  std::optional<double> min;
  std::optional<double> max;
  bool min_exclusive = false;
  bool max_exclusive = false;
  // The max is nnrun's size limit (units, samples), not part of what the key means: it is
  // left out of the usual "must be >= 1" and named only when a value exceeds it.
  bool max_is_limit = false;
};

// A key allowed only when a sibling key has one of some values (e.g. momentum only when
// optimizer type is sgd). The sibling's schema default applies when it is absent. An
// empty sibling means no condition. A key whose sibling is itself conditional inherits
// the sibling's conditions (x_min needs generator line, and generator needs format
// synthetic), and a required key with a condition is required only where it applies.
struct KeyCondition {
  std::string_view sibling;
  std::vector<std::string_view> values;

  explicit operator bool() const { return !sibling.empty(); }
};

struct KeySpec {
  std::string_view path;  // dotted pattern; "[]" marks a list item: "model.layers[].dense"
  ValueType type = ValueType::string;
  std::vector<std::string_view> choices;  // for ValueType::choice
  ValueRange range;
  std::string_view default_value;  // YAML text; empty when required, optional or computed
  std::string_view help;           // one line; says how a computed default is chosen
  bool required = false;
  KeyCondition only_when;
  std::vector<std::string_view> aliases;  // names users bring from other frameworks
  // For a map that takes one of several shapes (data.validation: a split or a source): the
  // shape this key belongs to. Keys of two forms must not be mixed; the first form in
  // table order is the one an empty map takes, and only its required keys apply there.
  std::string_view form;
};

// Every key, parents before children, in the order the resolved config writes them.
const std::vector<KeySpec>& config_schema();

// The spec of a pattern such as "optimizer.lr" or "model.layers[].dense.units"; null if
// the key does not exist.
const KeySpec* find_key_spec(std::string_view pattern);

// The direct children of a map or tagged pattern, in table order.
std::vector<const KeySpec*> child_specs(std::string_view parent_pattern);

// Every condition a key depends on, outermost first: for x_min, "format is synthetic"
// then "generator is line or polynomial". Empty for an unconditional key.
std::vector<KeyCondition> conditions_of(const KeySpec& spec);

// The last component of a pattern: "units" for "model.layers[].dense.units".
std::string_view key_name(const KeySpec& spec);

// How a value of this spec is described in messages: "a number", "true or false", ...
std::string describe_type(const KeySpec& spec);

// The range as a condition on the value: "> 0", ">= 0 and < 1"; empty when unbounded. A
// size limit (ValueRange::max_is_limit) is not part of it.
std::string describe_range(const ValueRange& range);

// A reference of every key (pattern, type, range, default, help), one line each, for
// `nnrun check --keys`-style listings and the docs.
std::string schema_reference();

}  // namespace nnrun
