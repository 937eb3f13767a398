// The config schema table and lookups over it. To add a key: a row here (or in schema_data.cpp,
// schema_optimizer.cpp), a field in config.hpp, a line in the builder and one in the writer.
#include "core/config/schema.hpp"

#include <sstream>

#include "core/config/schema_row.hpp"
#include "core/config/suggest.hpp"
#include "core/config/yaml_scalars.hpp"

namespace nnrun {
namespace {

using V = ValueType;
using namespace schema_rows;  // Row and the shared ranges

const std::vector<std::string_view> kActivations{"relu",    "leaky_relu", "elu", "gelu",
                                                 "sigmoid", "tanh",       "none"};

// `model` and `loss`: the network and what it is trained to minimize.
std::vector<KeySpec> model_rows() {
  return {
      Row("model", V::map, "the network").required(),
      Row("model.layers", V::sequence,
          "layers in order; each item names its type, e.g. `- dense: {units: 16}`")
          .range(kAtLeastOne)
          .required(),
      Row("model.layers[]", V::tagged, "one layer: `TYPE: {settings}`; the last must be dense"),
      Row("model.layers[].dense", V::map, "fully-connected layer"),
      Row("model.layers[].dense.units", V::integer, "output width")
          .range(kWidth)
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
      Row("model.layers[].dropout", V::map,
          "zeroes a random fraction of its inputs while training (the rest scaled by "
          "1 / (1 - rate)); passes them through unchanged when evaluating"),
      Row("model.layers[].dropout.rate", V::number, "fraction of the inputs zeroed")
          .range(kUnitInterval)
          .required()
          .aliases({"p"}),
      Row("model.init", V::init,
          "weight init: he_uniform | he_normal | xavier_uniform | xavier_normal | normal(STD)")
          .fallback("he_uniform"),

      Row("loss", V::choice, "cross_entropy applies softmax itself")
          .choices({"cross_entropy", "binary_cross_entropy", "mse"})
          .fallback("cross_entropy"),
  };
}

// `training`, `early_stopping` and `checkpoint`: how the loop runs and what it keeps.
std::vector<KeySpec> run_rows() {
  return {
      Row("training", V::map, "the training loop"),
      Row("training.epochs", V::integer, "maximum passes over the training set")
          .range(kAtLeastOne)
          .fallback("100")
          .aliases({"max_epochs", "num_epochs"}),
      Row("training.batch_size", V::integer, "examples per step").range(kAtLeastOne).fallback("32"),
      Row("training.shuffle", V::boolean, "reshuffle the training set every epoch")
          .fallback("true"),
      Row("training.on_nan", V::choice,
          "what a NaN or infinite loss does: stop (end the run cleanly, exit 0) or fail "
          "(exit 1); it is never trained on")
          .choices({"stop", "fail"})
          .fallback("stop"),

      Row("early_stopping", V::map,
          "stop when a metric stops improving; omit it, or leave it empty (null), to train all "
          "epochs"),
      Row("early_stopping.monitor", V::choice, "metric watched")
          .choices(kMetrics)
          .fallback("val_loss"),
      Row("early_stopping.mode", V::choice, "auto: max for accuracy, min otherwise")
          .choices(kMonitorModes)
          .fallback("auto"),
      Row("early_stopping.patience", V::integer, "epochs without improvement before stopping")
          .range(kNonNegative)
          .fallback("10"),
      Row("early_stopping.min_delta", V::number, "smallest change that counts as an improvement")
          .range(kNonNegative)
          .fallback("0"),
      Row("early_stopping.start_from_epoch", V::integer,
          "this many first epochs are not judged (as Keras)")
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
      Row("checkpoint.last_every_seconds", V::number,
          "write last.ckpt at most this often (and always when the run ends or is interrupted); "
          "0 = after every epoch")
          .range(kNonNegative)
          .fallback("1"),
      Row("checkpoint.every_n_epochs", V::integer, "also keep epoch-N.ckpt every N epochs; 0 = off")
          .range(kNonNegative)
          .fallback("0"),
  };
}

// Every row in table order: the top-level keys, then one group per section.
std::vector<KeySpec> build_schema() {
  std::vector<KeySpec> rows = {
      Row("name", V::string, "run name; default: the config file's stem"),
      Row("seed", V::integer, "one seed drives init, shuffling, splits and dropout")
          .range(kNonNegative)
          .fallback("42"),
      Row("backend", V::choice,
          "auto takes CUDA when a usable GPU is present; this build has no CUDA backend yet, "
          "so auto is cpu")
          .choices({"auto", "cpu", "cuda", "reference"})
          .fallback("auto"),
      Row("threads", V::integer, "CPU threads; 0 = all cores").range(kThreadCount).fallback("0"),
      Row("precision", V::choice,
          "dense layers' matrix products: bf16 (cpu backend, AVX512-BF16 or AMX) rounds their "
          "operands to bfloat16; weights, optimizer, losses stay f32")
          .choices({"f32", "bf16"})
          .fallback("f32"),
  };
  for (const auto& group : {data_rows(), model_rows(), optimizer_rows(), run_rows()})
    rows.insert(rows.end(), group.begin(), group.end());
  return rows;
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

std::vector<KeyCondition> conditions_of(const KeySpec& spec) {
  std::vector<KeyCondition> conditions;
  const std::string parent(parent_of(spec.path));
  for (const KeySpec* key = &spec; key && key->only_when;) {
    conditions.insert(conditions.begin(), key->only_when);
    const std::string sibling = parent.empty() ? std::string(key->only_when.sibling)
                                               : parent + "." + std::string(key->only_when.sibling);
    key = find_key_spec(sibling);
  }
  return conditions;
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
  if (range.max && !range.max_is_limit) {
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
    if (spec.range.max_is_limit) out << ", at most " << format_number(*spec.range.max);
    if (spec.required) out << ", required";
    if (!spec.default_value.empty()) out << ", default " << spec.default_value;
    const auto conditions = conditions_of(spec);
    for (std::size_t i = 0; i < conditions.size(); ++i)
      out << (i == 0 ? ", only when " : " and ") << conditions[i].sibling << " is "
          << join_names(conditions[i].values, " or ");
    out << " -- " << spec.help << "\n";
  }
  return out.str();
}

}  // namespace nnrun
