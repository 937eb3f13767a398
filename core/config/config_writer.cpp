// The resolved config a run directory keeps: every key explicit, in schema order, with
// strings quoted and numbers in shortest round-trip form so that it loads back unchanged.
#include <algorithm>
#include <sstream>

#include "core/config/config_loader.hpp"
#include "core/config/schema.hpp"
#include "core/config/yaml_scalars.hpp"
#include "core/names.hpp"

namespace nnrun {
namespace {

std::string flag(bool value) {
  return value ? "true" : "false";
}

// A label that is an index is written as a plain integer, so it reads back as an index.
std::string label_value(const std::string& label) {
  if (parse_integer(label) && label.find_first_not_of("0123456789") == std::string::npos)
    return label;
  return quote_yaml_string(label);
}

std::string number_list(const std::vector<double>& numbers) {
  std::string text;
  for (double number : numbers) text += (text.empty() ? "" : ", ") + format_number(number);
  return "[" + text + "]";
}

using KeyValues = std::vector<std::pair<std::string, std::string>>;

// Every key a source can have, as YAML text ("" = leave out). The schema decides which
// apply to this format and generator, so the writer and the validator cannot disagree.
KeyValues source_values(const DataSource& source) {
  const SyntheticSpec& g = source.synthetic;
  return {
      {"format", source.format},
      {"path", quote_yaml_string(source.path)},
      {"label", source.label.empty() ? "" : label_value(source.label)},
      {"images", quote_yaml_string(source.images)},
      {"labels", quote_yaml_string(source.labels)},
      {"generator", g.generator},
      {"samples", std::to_string(g.samples)},
      {"noise", format_number(g.noise)},
      {"seed", std::to_string(g.seed)},
      {"x_min", format_number(g.x_min)},
      {"x_max", format_number(g.x_max)},
      {"slope", format_number(g.slope)},
      {"intercept", format_number(g.intercept)},
      {"coefficients", number_list(g.coefficients)},
      {"classes", std::to_string(g.classes)},
      {"features", std::to_string(g.features)},
      {"spread", format_number(g.spread)},
      {"limit", source.limit > 0 ? std::to_string(source.limit) : ""},
  };
}

bool applies(const KeySpec& spec, const KeyValues& values) {
  for (const KeyCondition& condition : conditions_of(spec)) {
    const auto sibling = std::find_if(values.begin(), values.end(), [&](const auto& kv) {
      return kv.first == condition.sibling;
    });
    if (sibling == values.end() || std::find(condition.values.begin(), condition.values.end(),
                                             sibling->second) == condition.values.end())
      return false;
  }
  return true;
}

// The keys of the section `pattern` that apply to the variant `values` describe, one a
// line under `indent`.
void write_keys(std::ostream& out, const std::string& indent, const std::string& pattern,
                const KeyValues& values) {
  for (const auto& [key, text] : values) {
    const KeySpec* spec = find_key_spec(pattern + "." + key);
    if (spec && !text.empty() && applies(*spec, values))
      out << indent << key << ": " << text << "\n";
  }
}

// `role` is the source's pattern: data.train, data.validation or data.test.
void write_source(std::ostream& out, const std::string& role, const DataSource& source) {
  out << "  " << role.substr(role.find('.') + 1) << ":\n";
  write_keys(out, "    ", role, source_values(source));
  if (source.format == "csv" && source.label.empty()) out << "    # label: the last column\n";
}

void write_data(std::ostream& out, const DataConfig& data) {
  out << "data:\n";
  write_source(out, "data.train", data.train);
  if (data.validation.source) {
    write_source(out, "data.validation", *data.validation.source);
  } else {
    out << "  validation:\n"
        << "    split: " << format_number(data.validation.split) << "\n"
        << "    stratify: " << flag(data.validation.stratify) << "\n";
  }
  if (data.test) write_source(out, "data.test", *data.test);
  out << "  normalize: " << normalization_name(data.normalize) << "\n";
  if (data.normalize == Normalization::scale)
    out << "  scale: " << format_number(data.scale) << "\n";
  if (!data.class_names.empty()) {
    std::string names;
    for (const std::string& name : data.class_names)
      names += (names.empty() ? "" : ", ") + quote_yaml_string(name);
    out << "  class_names: [" << names << "]\n";
  }
}

std::string layer_line(const LayerConfig& layer) {
  if (layer.type == "dropout") return "    - dropout: {rate: " + format_number(layer.rate) + "}\n";
  std::string line = "    - " + layer.type + ": {units: " + std::to_string(layer.units) +
                     ", activation: " + activation_name(layer.activation.kind);
  // alpha is only allowed where the activation uses it.
  if (layer.activation.kind == Activation::leaky_relu || layer.activation.kind == Activation::elu)
    line += ", alpha: " + format_number(layer.activation.alpha);
  if (layer.init) line += ", init: " + init_to_string(*layer.init);
  return line + "}\n";
}

// Every optimizer key; the schema leaves out those of the other types, which keep their
// defaults and would be rejected on reload.
void write_optimizer(std::ostream& out, const OptimizerConfig& opt) {
  out << "optimizer:\n";
  write_keys(out, "  ", "optimizer",
             {{"type", optimizer_name(opt.type)},
              {"lr", format_number(opt.lr)},
              {"weight_decay", format_number(opt.weight_decay)},
              {"clip_grad_norm", format_number(opt.clip_grad_norm)},
              {"momentum", format_number(opt.momentum)},
              {"nesterov", flag(opt.nesterov)},
              {"beta1", format_number(opt.beta1)},
              {"beta2", format_number(opt.beta2)},
              {"eps", format_number(opt.eps)},
              {"alpha", format_number(opt.alpha)},
              {"centered", flag(opt.centered)}});
  const ScheduleConfig& s = opt.schedule;
  out << "  schedule:\n";
  write_keys(out, "    ", "optimizer.schedule",
             {{"type", schedule_name(s.type)},
              {"step_size", std::to_string(s.step_size)},
              {"gamma", format_number(s.gamma)},
              {"warmup_epochs", std::to_string(s.warmup_epochs)},
              {"monitor", s.monitor},
              {"mode", monitor_mode_name(s.mode)},
              {"factor", format_number(s.factor)},
              {"patience", std::to_string(s.patience)},
              {"min_delta", format_number(s.min_delta)},
              {"min_lr", format_number(s.min_lr)}});
}

}  // namespace

std::string resolved_config_yaml(const Config& cfg) {
  std::ostringstream out;
  out << "# nnrun resolved config: defaults filled in, overrides applied, data paths absolute.\n"
      << "name: " << quote_yaml_string(cfg.name) << "\n"
      << "seed: " << cfg.seed << "\n"
      << "backend: " << cfg.backend << "\n"
      << "threads: " << cfg.threads << "\n"
      << "precision: " << cfg.precision << "\n";

  write_data(out, cfg.data);

  out << "model:\n  layers:\n";
  for (const LayerConfig& layer : cfg.model.layers) out << layer_line(layer);
  out << "  init: " << init_to_string(cfg.model.init) << "\n"
      << "loss: " << loss_name(cfg.loss) << "\n";
  write_optimizer(out, cfg.optimizer);

  out << "training:\n"
      << "  epochs: " << cfg.training.epochs << "\n"
      << "  batch_size: " << cfg.training.batch_size << "\n"
      << "  shuffle: " << flag(cfg.training.shuffle) << "\n"
      << "  on_nan: " << on_nan_name(cfg.training.on_nan) << "\n";

  const EarlyStoppingConfig& stop = cfg.early_stopping;
  if (stop.enabled) {
    out << "early_stopping:\n"
        << "  monitor: " << stop.monitor << "\n"
        << "  mode: " << monitor_mode_name(stop.mode) << "\n"
        << "  patience: " << stop.patience << "\n"
        << "  min_delta: " << format_number(stop.min_delta) << "\n"
        << "  start_from_epoch: " << stop.start_from_epoch << "\n"
        << "  restore_best: " << flag(stop.restore_best) << "\n";
  } else {
    out << "# early_stopping: off (the section is absent or empty)\n";
  }

  out << "checkpoint:\n"
      << "  dir: " << quote_yaml_string(cfg.checkpoint.dir) << "\n"
      << "  monitor: " << cfg.checkpoint.monitor << "\n"
      << "  save_best: " << flag(cfg.checkpoint.save_best) << "\n"
      << "  save_last: " << flag(cfg.checkpoint.save_last) << "\n"
      << "  last_every_seconds: " << format_number(cfg.checkpoint.last_every_seconds) << "\n"
      << "  every_n_epochs: " << cfg.checkpoint.every_n_epochs << "\n";
  return out.str();
}

}  // namespace nnrun
