// Loading a Config from YAML (strictly, against the schema table in schema.hpp) and writing
// the fully resolved config that a run directory keeps and checkpoints embed.
#pragma once

#include <string>
#include <vector>

#include "core/config/config.hpp"
#include "core/config/overrides.hpp"

namespace nnrun {

// Reads, validates and resolves a config file. `overrides` are "KEY=VALUE" strings from
// `--set`, applied before validation. Paths in the file are relative to its folder.
// Throws InputError when the file is missing or not a regular file, and ConfigError
// ("file:line:col: key.path: message") for anything wrong inside it.
Config load_config_file(const std::string& path, const std::vector<std::string>& overrides = {});
// The same with overrides that carry their own labels (command-line shortcuts).
Config load_config_file(const std::string& path, const std::vector<ConfigOverride>& overrides);

// The same from text already in memory. `file_label` names it in messages and gives the
// default run name (its stem); `base_dir` anchors relative data paths.
Config load_config_text(const std::string& yaml_text, const std::string& file_label,
                        const std::string& base_dir,
                        const std::vector<std::string>& overrides = {});
Config load_config_text(const std::string& yaml_text, const std::string& file_label,
                        const std::string& base_dir, const std::vector<ConfigOverride>& overrides);

// Every key with defaults filled in, overrides applied and data paths absolute. Loading
// it back with load_config_text (with the same label) gives an equal Config.
std::string resolved_config_yaml(const Config& cfg);

}  // namespace nnrun
