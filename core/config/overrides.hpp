// `--set KEY=VALUE` overrides: applied to the YAML tree before validation, so the schema
// checks an overridden value exactly as it checks one written in the file.
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/config/config_source.hpp"

namespace nnrun {

// Applies each "KEY=VALUE" in order to the mapping `root`. KEY is a dotted path with list
// indices (model.layers[0].dense.units); VALUE is a YAML scalar or flow node ({units: 8}).
// Missing sections on the way are created; the key must exist in the schema and an index
// must name an existing item. Each applied override is recorded in `source`, so later
// errors about its value name the override instead of a file line. Throws ConfigError
// labelled "--set KEY=VALUE".
void apply_overrides(YAML::Node& root, const std::vector<std::string>& overrides,
                     ConfigSource& source);

}  // namespace nnrun
