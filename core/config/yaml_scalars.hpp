// Strict conversions of YAML scalars (numbers, integers, booleans, init specs) and the
// number and string formatting shared by error messages and the resolved-config writer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "core/config/config.hpp"

namespace nnrun {

// Whole-text conversions; nullopt when the text is not exactly that kind of value.
std::optional<std::int64_t> parse_integer(std::string_view text);  // "42", "+3", "-1"
std::optional<double> parse_number(std::string_view text);         // finite only: "1e-3"
std::optional<bool> parse_bool(std::string_view text);             // true/false (YAML 1.2)
// he_uniform | he_normal | xavier_uniform | xavier_normal | normal(STD) with STD > 0.
std::optional<InitSpec> parse_init(std::string_view text);

// The names of the init kinds as `model.init` accepts them, for messages.
std::vector<std::string_view> init_names();
std::string init_to_string(const InitSpec& init);
// auto | min | max (core/names.hpp has the other enums' names).
std::string monitor_mode_name(MonitorMode mode);

// Shortest text that parses back to the same double: 0.001, 1e-08, 255; plain rather
// than an exponent where that is as exact: 0.0001, not 1e-04.
std::string format_number(double value);

// A YAML double-quoted scalar, escaped so that any text reads back unchanged.
std::string quote_yaml_string(std::string_view text);

// True for an unquoted, untagged scalar (or one tagged with the YAML type its text has,
// `!!float 0.1`): only those may be numbers or booleans, so that `lr: "0.1"` is a string, as
// every YAML reader treats it.
bool is_plain_scalar(const YAML::Node& node);

// How a node is shown after "got": "abc" quoted, nothing, a mapping, a list.
std::string describe_node(const YAML::Node& node);

}  // namespace nnrun
