// Strict YAML scalar conversions: whole-text only, no silent truncation ("1.5" is not an
// integer, "yes" is not a boolean), so every typo surfaces as an error.
#include "core/config/yaml_scalars.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace nnrun {
namespace {

// from_chars rejects a leading '+', which YAML allows.
std::string_view strip_plus(std::string_view text) {
  if (text.size() > 1 && text[0] == '+' && text[1] != '-') text.remove_prefix(1);
  return text;
}

}  // namespace

std::optional<std::int64_t> parse_integer(std::string_view text) {
  text = strip_plus(text);
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> parse_number(std::string_view text) {
  text = strip_plus(text);
  double value = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

std::optional<bool> parse_bool(std::string_view text) {
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  return std::nullopt;
}

std::vector<std::string_view> init_names() {
  return {"he_uniform", "he_normal", "xavier_uniform", "xavier_normal", "normal(STD)"};
}

std::optional<InitSpec> parse_init(std::string_view text) {
  using Kind = InitSpec::Kind;
  if (text == "he_uniform") return InitSpec{Kind::he_uniform};
  if (text == "he_normal") return InitSpec{Kind::he_normal};
  if (text == "xavier_uniform") return InitSpec{Kind::xavier_uniform};
  if (text == "xavier_normal") return InitSpec{Kind::xavier_normal};
  if (text.starts_with("normal(") && text.ends_with(")")) {
    const auto std_text = text.substr(7, text.size() - 8);
    const auto std_value = parse_number(std_text);
    if (std_value && *std_value > 0.0) return InitSpec{Kind::normal, *std_value};
  }
  return std::nullopt;
}

std::string init_to_string(const InitSpec& init) {
  switch (init.kind) {
    case InitSpec::Kind::he_uniform:
      return "he_uniform";
    case InitSpec::Kind::he_normal:
      return "he_normal";
    case InitSpec::Kind::xavier_uniform:
      return "xavier_uniform";
    case InitSpec::Kind::xavier_normal:
      return "xavier_normal";
    case InitSpec::Kind::normal:
      return "normal(" + format_number(init.std) + ")";
  }
  return "?";
}

std::string monitor_mode_name(MonitorMode mode) {
  switch (mode) {
    case MonitorMode::auto_:
      return "auto";
    case MonitorMode::min:
      return "min";
    case MonitorMode::max:
      return "max";
  }
  return "?";
}

std::string format_number(double value) {
  char buffer[64];
  const auto shortest = std::to_chars(buffer, buffer + sizeof buffer, value);
  const std::string text(buffer, shortest.ptr);
  if (text.find('e') == std::string::npos) return text;
  // The shortest text of 0.0001 is "1e-04"; printf's %g rule writes it plainly, as people do.
  const auto general =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general);
  const std::string plain(buffer, general.ptr);
  return plain.find('e') == std::string::npos ? plain : text;
}

std::string quote_yaml_string(std::string_view text) {
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      quoted += '\\';
      quoted += c;
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\x%02x", static_cast<unsigned char>(c));
      quoted += escape;
    } else {
      quoted += c;  // UTF-8 bytes pass through: double-quoted YAML is Unicode
    }
  }
  return quoted + "\"";
}

namespace {

// `!!int 3`, `!!float 0.01`, `!!bool true`: YAML's own scalar types, named
// explicitly, with text of that type. They read as the same plain scalar would; `!!int 0.5`
// does not.
bool has_fitting_core_scalar_tag(const YAML::Node& node) {
  const std::string& tag = node.Tag();
  const std::string& text = node.Scalar();
  if (tag == "tag:yaml.org,2002:int") return parse_integer(text).has_value();
  if (tag == "tag:yaml.org,2002:float") return parse_number(text).has_value();
  if (tag == "tag:yaml.org,2002:bool") return parse_bool(text).has_value();
  return false;  // !!null is no value at all, as a plain `~` is
}

bool is_number_or_bool_tag(const std::string& tag) {
  return tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float" ||
         tag == "tag:yaml.org,2002:bool";
}

// "!!str" for YAML's own tags, the tag as written otherwise.
std::string tag_as_written(const std::string& tag) {
  constexpr std::string_view kCore = "tag:yaml.org,2002:";
  return tag.starts_with(kCore) ? "!!" + tag.substr(kCore.size()) : tag;
}

}  // namespace

bool is_plain_scalar(const YAML::Node& node) {
  return node.IsScalar() && (node.Tag() == "?" || has_fitting_core_scalar_tag(node));
}

std::string describe_node(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      if (is_plain_scalar(node)) return quote_yaml_string(node.Scalar());
      if (node.Tag() == "!") return quote_yaml_string(node.Scalar()) + " (a quoted string)";
      if (node.Tag() == "tag:yaml.org,2002:null") return "nothing";
      // `!!int 0x10` is refused as a plain 0x10 is: the tag is not the problem, so it goes
      // unmentioned; in `!!int 0.5` it is.
      if (is_number_or_bool_tag(node.Tag()) && !parse_number(node.Scalar()) &&
          !parse_bool(node.Scalar()))
        return quote_yaml_string(node.Scalar());
      return quote_yaml_string(node.Scalar()) + " (tagged " + tag_as_written(node.Tag()) + ")";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    default:
      return "nothing";
  }
}

}  // namespace nnrun
