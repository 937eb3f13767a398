// The typed side of loading: turns a tree that passed schema validation into a Config,
// filling schema defaults, computed defaults and cross-key rules.
#pragma once

#include <string>

#include <yaml-cpp/yaml.h>

#include "core/config/config.hpp"
#include "core/config/config_source.hpp"

namespace nnrun {

// `root` must have passed validate_config_tree. `base_dir` anchors data paths written in
// the file; paths given by `--set` are relative to the working directory, as a shell
// user expects. Throws ConfigError for rules that span several keys.
Config build_config(const YAML::Node& root, const ConfigSource& source,
                    const std::string& base_dir);

}  // namespace nnrun
