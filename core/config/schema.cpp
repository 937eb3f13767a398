// The config schema table and lookups over it. To add a key: add a row here, a field in
// config.hpp, a line in the loader's build step and one in the resolved-config writer.
#include "core/config/schema.hpp"

#include <sstream>

#include "core/config/suggest.hpp"
#include "core/config/yaml_scalars.hpp"

namespace nnrun {
namespace {

using V = ValueType;

// Bounds in table rows: {min, max, min_exclusive, max_exclusive}.
const ValueRange kNonNegative{0.0, std::nullopt, false, false};
const ValueRange kPositive{0.0, std::nullopt, true, false};
const ValueRange kAtLeastOne{1.0, std::nullopt, false, false};
const ValueRange kUnitInterval{0.0, 1.0, false, true};  // [0, 1): momentum, betas
const ValueRange kOpenUnit{0.0, 1.0, true, true};       // (0, 1): validation split

const std::vector<std::string_view> kMetrics{"val_loss",   "val_error",   "val_accuracy",
                                             "train_loss", "train_error", "train_accuracy"};
const std::vector<std::string_view> kActivations{"relu",    "leaky_relu", "elu", "gelu",
                                                 "sigmoid", "tanh",       "none"};

// One table row: path, type and help, then only the attributes the row needs.
class Row {
 public:
  Row(std::string_view path, ValueType type, std::string_view help) {
    spec_.path = path;
    spec_.type = type;
    spec_.help = help;
  }
  Row& choices(std::vector<std::string_view> names) { return set(spec_.choices, names); }
  Row& range(const ValueRange& bounds) { return set(spec_.range, bounds); }
  Row& fallback(std::string_view yaml) { return set(spec_.default_value, yaml); }
  Row& required() { return set(spec_.required, true); }
  Row& only_when(std::string_view sibling, std::vector<std::string_view> values) {
    return set(spec_.only_when, KeyCondition{sibling, std::move(values)});
  }
  Row& aliases(std::vector<std::string_view> names) { return set(spec_.aliases, names); }
  operator KeySpec() const { return spec_; }  // NOLINT: rows are written as specs

 private:
  template <typename Field, typename Value>
  Row& set(Field& field, Value value) {
    field = std::move(value);
    return *this;
  }
  KeySpec spec_;
};

std::vector<KeySpec> build_schema() {
  return {
      Row("name", V::string, "run name; default: the config file's stem"),
      Row("seed", V::integer, "one seed drives init, shuffling and splits")
          .range(kNonNegative)
          .fallback("42"),
      Row("backend", V::choice, "auto takes CUDA when a usable GPU is present")
          .choices({"auto", "cpu", "cuda", "reference"})
          .fallback("auto"),
      Row("threads", V::integer, "CPU threads; 0 = all cores").range(kNonNegative).fallback("0"),
      Row("precision", V::choice, "compute precision (bf16 is not supported yet)")
          .choices({"f32", "bf16"})
          .fallback("f32"),

      Row("data", V::map, "where the examples come from").required(),
      Row("data.train", V::map, "the training set: {format, path, label}").required(),
      Row("data.train.format", V::choice, "csv: a header row, one example per line")
          .choices({"csv"})
          .fallback("csv"),
      Row("data.train.path", V::string, "data file, relative to the config file").required(),
      Row("data.train.label", V::column,
          "label column: a name or a 0-based index; default: the last column"),
      Row("data.validation", V::map, "how validation data is held out"),
      Row("data.validation.split", V::number, "fraction of the training set held out")
          .range(kOpenUnit)
          .fallback("0.2"),
      Row("data.validation.stratify", V::boolean, "keep class proportions in the held-out part")
          .fallback("true"),
      Row("data.normalize", V::choice, "feature scaling, fitted on the training part only")
          .choices({"none", "standard", "minmax", "scale"})
          .fallback("standard"),
      Row("data.scale", V::number, "divisor for normalize: scale")
          .range(kPositive)
          .fallback("255")
          .only_when("normalize", {"scale"}),

      Row("model", V::map, "the network").required(),
      Row("model.layers", V::sequence,
          "layers in order; each item names its type, e.g. `- dense: {units: 16}`")
          .range(kAtLeastOne)
          .required(),
      Row("model.layers[]", V::tagged, "one layer: `TYPE: {settings}`"),
      Row("model.layers[].dense", V::map, "fully-connected layer"),
      Row("model.layers[].dense.units", V::integer, "output width")
          .range(kAtLeastOne)
          .required()
          .aliases({"out_features", "neurons"}),
      Row("model.layers[].dense.activation", V::choice, "applied after the affine map")
          .choices(kActivations)
          .fallback("none"),
      Row("model.layers[].dense.alpha", V::number,
          "negative-side slope/scale; default 0.01 for leaky_relu, 1.0 for elu")
          .range(kNonNegative)
          .only_when("activation", {"leaky_relu", "elu"}),
      Row("model.layers[].dense.init", V::init, "this layer's weight init; default: model.init")
          .aliases({"kernel_initializer"}),
      Row("model.init", V::init,
          "weight init: he_uniform | he_normal | xavier_uniform | xavier_normal | normal(STD)")
          .fallback("he_uniform"),

      Row("loss", V::choice, "cross_entropy applies softmax itself")
          .choices({"cross_entropy", "binary_cross_entropy", "mse"})
          .fallback("cross_entropy"),

      Row("optimizer", V::map, "how weights are updated"),
      Row("optimizer.type", V::choice, "sgd (momentum, nesterov) | adam (beta1, beta2, eps)")
          .choices({"sgd", "adam"})
          .fallback("adam"),
      Row("optimizer.lr", V::number, "learning rate; default 0.001 for adam, 0.01 for sgd")
          .range(kPositive)
          .aliases({"learning_rate"}),
      Row("optimizer.weight_decay", V::number, "L2 penalty added to the gradient")
          .range(kNonNegative)
          .fallback("0"),
      Row("optimizer.momentum", V::number, "sgd momentum")
          .range(kUnitInterval)
          .fallback("0")
          .only_when("type", {"sgd"}),
      Row("optimizer.nesterov", V::boolean, "Nesterov momentum; needs momentum > 0")
          .fallback("false")
          .only_when("type", {"sgd"}),
      Row("optimizer.beta1", V::number, "adam first-moment decay")
          .range(kUnitInterval)
          .fallback("0.9")
          .only_when("type", {"adam"}),
      Row("optimizer.beta2", V::number, "adam second-moment decay")
          .range(kUnitInterval)
          .fallback("0.999")
          .only_when("type", {"adam"}),
      Row("optimizer.eps", V::number, "adam denominator guard")
          .range(kPositive)
          .fallback("1e-08")
          .only_when("type", {"adam"})
          .aliases({"epsilon"}),

      Row("training", V::map, "the training loop"),
      Row("training.epochs", V::integer, "maximum passes over the training set")
          .range(kAtLeastOne)
          .fallback("100")
          .aliases({"max_epochs", "num_epochs"}),
      Row("training.batch_size", V::integer, "examples per step").range(kAtLeastOne).fallback("32"),
      Row("training.shuffle", V::boolean, "reshuffle the training set every epoch")
          .fallback("true"),

      Row("early_stopping", V::map, "stop when a metric stops improving; omit to train all epochs"),
      Row("early_stopping.monitor", V::choice, "metric watched")
          .choices(kMetrics)
          .fallback("val_loss"),
      Row("early_stopping.mode", V::choice, "auto: max for accuracy, min otherwise")
          .choices({"auto", "min", "max"})
          .fallback("auto"),
      Row("early_stopping.patience", V::integer, "epochs without improvement before stopping")
          .range(kNonNegative)
          .fallback("10"),
      Row("early_stopping.min_delta", V::number, "smallest change that counts as an improvement")
          .range(kNonNegative)
          .fallback("0"),
      Row("early_stopping.restore_best", V::boolean, "end with the best weights, not the last")
          .fallback("true"),

      Row("checkpoint", V::map, "what the run directory keeps"),
      Row("checkpoint.dir", V::string, "run directory, relative to the cwd; default runs/<name>"),
      Row("checkpoint.monitor", V::choice,
          "metric that picks best.ckpt; default: early_stopping.monitor, else val_loss")
          .choices(kMetrics),
      Row("checkpoint.save_best", V::boolean, "write best.ckpt").fallback("true"),
      Row("checkpoint.save_last", V::boolean, "write last.ckpt").fallback("true"),
  };
}

std::string_view parent_of(std::string_view pattern) {
  const auto dot = pattern.rfind('.');
  if (pattern.ends_with("[]")) return pattern.substr(0, pattern.size() - 2);
  return dot == std::string_view::npos ? std::string_view{} : pattern.substr(0, dot);
}

}  // namespace

const std::vector<KeySpec>& config_schema() {
  static const std::vector<KeySpec> schema = build_schema();
  return schema;
}

const KeySpec* find_key_spec(std::string_view pattern) {
  for (const KeySpec& spec : config_schema())
    if (spec.path == pattern) return &spec;
  return nullptr;
}

std::vector<const KeySpec*> child_specs(std::string_view parent_pattern) {
  std::vector<const KeySpec*> children;
  for (const KeySpec& spec : config_schema())
    if (parent_of(spec.path) == parent_pattern && !spec.path.ends_with("[]"))
      children.push_back(&spec);
  return children;
}

std::string_view key_name(const KeySpec& spec) {
  const auto dot = spec.path.rfind('.');
  return dot == std::string_view::npos ? spec.path : spec.path.substr(dot + 1);
}

std::string describe_type(const KeySpec& spec) {
  switch (spec.type) {
    case V::map:
      return "a mapping";
    case V::sequence:
      return "a list";
    case V::tagged:
      return "a mapping with one key naming the type";
    case V::string:
      return "a string";
    case V::integer:
      return "an integer";
    case V::number:
      return "a number";
    case V::boolean:
      return "true or false";
    case V::choice:
      return "one of " + join_names(spec.choices);
    case V::column:
      return "a column name or 0-based index";
    case V::init:
      return "an init name or normal(STD)";
  }
  return "a value";
}

std::string describe_range(const ValueRange& range) {
  std::string text;
  if (range.min)
    text += std::string(range.min_exclusive ? "> " : ">= ") + format_number(*range.min);
  if (range.max) {
    if (!text.empty()) text += " and ";
    text += std::string(range.max_exclusive ? "< " : "<= ") + format_number(*range.max);
  }
  return text;
}

std::string schema_reference() {
  std::ostringstream out;
  for (const KeySpec& spec : config_schema()) {
    out << spec.path << ": " << describe_type(spec);
    if (spec.type != V::sequence && !describe_range(spec.range).empty())
      out << ", " << describe_range(spec.range);
    if (spec.required) out << ", required";
    if (!spec.default_value.empty()) out << ", default " << spec.default_value;
    if (spec.only_when)
      out << ", only when " << spec.only_when.sibling << " is "
          << join_names(spec.only_when.values, " or ");
    out << " -- " << spec.help << "\n";
  }
  return out.str();
}

}  // namespace nnrun
