// Config loading: read the file, parse YAML, apply `--set`, validate against the schema,
// build the typed Config. Every failure becomes an InputError or a located ConfigError.
#include "core/config/config_loader.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "core/config/config_builder.hpp"
#include "core/config/overrides.hpp"
#include "core/config/schema_validator.hpp"
#include "core/errors.hpp"
#include "core/util/file_kind.hpp"

namespace nnrun {
namespace {

std::string read_config_file(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (!fs::exists(status)) throw InputError(path + ": config file not found");
  if (fs::is_directory(status))
    throw InputError(path + ": is a directory, expected a YAML config file");
  if (const std::string kind = non_regular_file_kind(path); !kind.empty())
    throw InputError(path + ": is not a regular file (" + kind + "), expected a YAML config file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open the config file for reading");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError(path + ": error while reading the config file");
  return text.str();
}

// yaml-cpp reports a tab in indentation as some other error; name the real cause.
std::string tab_hint(const std::string& text, int zero_based_line) {
  std::istringstream lines(text);
  std::string line;
  for (int i = 0; i <= zero_based_line; ++i)
    if (!std::getline(lines, line)) return "";
  const auto indent_end = line.find_first_not_of(" \t");
  const bool tab_indented = line.substr(0, indent_end).find('\t') != std::string::npos;
  return tab_indented ? " (YAML does not allow tabs for indentation; use spaces)" : "";
}

YAML::Node parse_yaml(const std::string& text, const std::string& file_label) {
  try {
    const std::vector<YAML::Node> documents = YAML::LoadAll(text);
    if (documents.size() > 1) {
      // A second document would be silently ignored by YAML::Load; say so instead.
      const YAML::Mark mark = documents[1].Mark();
      throw ConfigError({file_label, mark.line + 1, mark.column + 1}, "",
                        "a config is a single YAML document, but another one starts here");
    }
    return documents.empty() ? YAML::Node() : documents[0];
  } catch (const YAML::ParserException& error) {
    // Marks are 0-based; messages are 1-based like every editor.
    throw ConfigError({file_label, error.mark.line + 1, error.mark.column + 1}, "",
                      "YAML syntax error: " + error.msg + tab_hint(text, error.mark.line));
  } catch (const YAML::Exception& error) {
    throw ConfigError({file_label, 0, 0}, "", "cannot read YAML: " + error.msg);
  }
}

}  // namespace

Config load_config_text(const std::string& yaml_text, const std::string& file_label,
                        const std::string& base_dir, const std::vector<std::string>& overrides) {
  return load_config_text(yaml_text, file_label, base_dir, set_overrides(overrides));
}

Config load_config_text(const std::string& yaml_text, const std::string& file_label,
                        const std::string& base_dir, const std::vector<ConfigOverride>& overrides) {
  YAML::Node root = parse_yaml(yaml_text, file_label);
  if (!root.IsDefined() || root.IsNull())
    throw ConfigError({file_label, 0, 0}, "",
                      "the config is empty; expected a mapping with at least data and model");
  if (!root.IsMap())
    throw ConfigError({file_label, root.Mark().line + 1, root.Mark().column + 1}, "",
                      "the top level of a config must be a mapping of keys (name, data, model, "
                      "...), got a " +
                          std::string(root.IsSequence() ? "list" : "single value"));
  ConfigSource source(file_label);
  apply_overrides(root, overrides, source);
  validate_config_tree(root, source);
  Config config = build_config(root, source, base_dir);
  record_key_locations(root, "", source, config.locations);
  return config;
}

Config load_config_file(const std::string& path, const std::vector<std::string>& overrides) {
  return load_config_file(path, set_overrides(overrides));
}

Config load_config_file(const std::string& path, const std::vector<ConfigOverride>& overrides) {
  const std::string text = read_config_file(path);
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  return load_config_text(text, path, folder.empty() ? "." : folder.string(), overrides);
}

}  // namespace nnrun
