// `--set KEY=VALUE` overrides: applied to the YAML tree before validation, so the schema
// checks an overridden value exactly as it checks one written in the file.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/config/config_source.hpp"

namespace nnrun {

// One override: "KEY=VALUE", and how the user typed it, for messages: "--set
// training.epochs=5", or "--epochs 5" for a command-line shortcut of the same.
struct ConfigOverride {
  ConfigOverride(std::string text, std::string label)
      : text(std::move(text)), label(std::move(label)) {}
  std::string text;
  std::string label;
};

// "--set KEY=VALUE" overrides as `--set` gives them.
std::vector<ConfigOverride> set_overrides(const std::vector<std::string>& texts);

// Applies each "KEY=VALUE" in order to the mapping `root`. KEY is a dotted path with list
// indices (model.layers[0].dense.units); VALUE is a YAML scalar or flow node ({units: 8}).
// Missing sections on the way are created; the key must exist in the schema and an index
// must name an existing item. Each applied override is recorded in `source`, so later
// errors about its value name the override instead of a file line. Throws ConfigError
// labelled with the override's label.
void apply_overrides(YAML::Node& root, const std::vector<ConfigOverride>& overrides,
                     ConfigSource& source);

}  // namespace nnrun
