// Checks a parsed config tree against the schema table: unknown and duplicate keys, types,
// ranges, choices, keys that belong to another variant, and missing required keys.
#pragma once

#include <yaml-cpp/yaml.h>

#include "core/config/config_source.hpp"
#include "core/config/schema.hpp"

namespace nnrun {

// Throws ConfigError at the first problem. `root` must be a mapping (the loader reports
// empty and non-mapping documents itself, naming the file).
void validate_config_tree(const YAML::Node& root, const ConfigSource& source);

// The message for a key unknown under `parent_pattern` ("" for the top level): the alias
// or near miss it probably meant, else the keys valid there. Shared with `--set`.
std::string unknown_key_message(std::string_view key, std::string_view parent_pattern);

// True when the value lies within the range.
bool in_range(double value, const ValueRange& range);

}  // namespace nnrun
