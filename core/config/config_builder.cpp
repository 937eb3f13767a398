// Validated YAML tree -> typed Config. Plain defaults come from the schema table; computed
// ones (name, lr, alpha, gamma, checkpoint dir, monitor) are decided here, data's in
// data_builder. Keys that do not apply to a variant keep their defaults, so that two
// configs that write the same keys compare equal.
#include "core/config/config_builder.hpp"

#include <filesystem>

#include "core/config/config_section.hpp"
#include "core/config/data_builder.hpp"
#include "core/names.hpp"

namespace nnrun {
namespace {

constexpr MonitorMode kModes[] = {MonitorMode::auto_, MonitorMode::min, MonitorMode::max};

LayerConfig build_layer(const YAML::Node& item, const std::string& path) {
  const std::string type = item.begin()->first.Scalar();
  const Section settings(item[type], "model.layers[]." + type, child_path(path, type), item.Mark());
  static constexpr Activation kActivations[] = {
      Activation::none, Activation::relu,    Activation::leaky_relu, Activation::elu,
      Activation::gelu, Activation::sigmoid, Activation::tanh};
  LayerConfig layer;
  layer.type = type;
  if (type == "dropout") {
    layer.rate = settings.number("rate");
    return layer;
  }
  layer.units = settings.integer("units");
  layer.activation.kind = enum_named(settings.text("activation"), kActivations, activation_name);
  const bool leaky = layer.activation.kind == Activation::leaky_relu;
  const bool elu = layer.activation.kind == Activation::elu;
  if (settings.has("alpha"))
    layer.activation.alpha = settings.number("alpha");
  else
    layer.activation.alpha = leaky ? 0.01 : elu ? 1.0 : 0.0;
  if (settings.has("init")) layer.init = settings.init("init");
  return layer;
}

ScheduleConfig build_schedule(const Section& in) {
  ScheduleConfig out;
  static constexpr ScheduleKind kKinds[] = {ScheduleKind::constant, ScheduleKind::step,
                                            ScheduleKind::exponential, ScheduleKind::cosine,
                                            ScheduleKind::plateau};
  out.type = enum_named(in.text("type"), kKinds, schedule_name);
  out.step_size = in.integer("step_size");
  // A step schedule drops rarely and far; an exponential one decays a little every epoch.
  out.gamma = in.has("gamma")                         ? in.number("gamma")
              : out.type == ScheduleKind::exponential ? 0.95
                                                      : 0.1;
  out.warmup_epochs = in.integer("warmup_epochs");
  out.min_lr = in.number("min_lr");
  out.monitor = in.text("monitor");
  out.mode = enum_named(in.text("mode"), kModes, monitor_mode_name);
  out.factor = in.number("factor");
  out.patience = in.integer("patience");
  out.min_delta = in.number("min_delta");
  return out;
}

// min_lr is where a cosine decay ends and the floor of plateau cuts: at or above the lr, the
// schedule would hold the lr or raise it (cosine from lr up to min_lr; plateau's first cut
// jumps to min_lr) instead of lowering it.
void check_min_lr(const OptimizerConfig& opt, const Section& schedule, const ConfigSource& source) {
  const ScheduleConfig& s = opt.schedule;
  if (s.type != ScheduleKind::cosine && s.type != ScheduleKind::plateau) return;
  if (s.min_lr < opt.lr) return;
  source.fail(schedule.path_of("min_lr"), schedule.mark_of("min_lr"),
              "min_lr must be less than optimizer.lr, or the " + schedule_name(s.type) +
                  " schedule never lowers the lr (min_lr is " + format_number(s.min_lr) +
                  ", lr is " + format_number(opt.lr) + ")");
}

OptimizerConfig build_optimizer(const Section& opt, const ConfigSource& source) {
  OptimizerConfig out;
  static constexpr OptimizerKind kKinds[] = {OptimizerKind::sgd, OptimizerKind::adam,
                                             OptimizerKind::adamw, OptimizerKind::rmsprop};
  out.type = enum_named(opt.text("type"), kKinds, optimizer_name);
  // As in PyTorch: plain-gradient methods take larger steps than the adaptive Adams.
  const bool large_lr = out.type == OptimizerKind::sgd || out.type == OptimizerKind::rmsprop;
  out.lr = opt.has("lr") ? opt.number("lr") : large_lr ? 0.01 : 0.001;
  out.weight_decay = opt.number("weight_decay");
  out.clip_grad_norm = opt.number("clip_grad_norm");
  out.momentum = opt.number("momentum");
  out.nesterov = opt.flag("nesterov");
  out.beta1 = opt.number("beta1");
  out.beta2 = opt.number("beta2");
  out.eps = opt.number("eps");
  out.alpha = opt.number("alpha");
  out.centered = opt.flag("centered");
  out.schedule = build_schedule(opt.section("schedule"));
  if (out.nesterov && out.momentum <= 0.0)
    source.fail(opt.path_of("nesterov"), opt.mark_of("nesterov"),
                "nesterov needs momentum > 0 (momentum is " + format_number(out.momentum) + ")");
  check_min_lr(out, opt.section("schedule"), source);
  return out;
}

// A cosine schedule warms up first; a warm-up as long as the run leaves no cosine at all.
void check_warmup(const Config& cfg, const Section& schedule, const ConfigSource& source) {
  const ScheduleConfig& s = cfg.optimizer.schedule;
  if (s.type != ScheduleKind::cosine || s.warmup_epochs < cfg.training.epochs) return;
  source.fail(schedule.path_of("warmup_epochs"), schedule.mark_of("warmup_epochs"),
              "warmup_epochs must be less than training.epochs, or the cosine never starts "
              "(warmup_epochs is " +
                  std::to_string(s.warmup_epochs) + ", training.epochs is " +
                  std::to_string(cfg.training.epochs) + ")");
}

// A regression run logs loss and error (its MSE) but no accuracy: a monitor of accuracy
// would never see a value, so nothing would stop early and no best.ckpt would be written.
void check_monitors(const Config& cfg, const Section& top, const ConfigSource& source) {
  if (cfg.loss != LossKind::mse) return;  // mse is the regression loss (core/model/loss.hpp)
  const Section stopping = top.section("early_stopping");
  const Section checkpoint = top.section("checkpoint");
  const Section schedule = top.section("optimizer").section("schedule");
  const struct {
    const Section& section;
    bool applies;
  } monitors[] = {
      {stopping, cfg.early_stopping.enabled},
      {checkpoint, checkpoint.has("monitor")},  // its default follows early_stopping's
      {schedule, cfg.optimizer.schedule.type == ScheduleKind::plateau},
  };
  for (const auto& [section, applies] : monitors) {
    const std::string metric = section.text("monitor");
    if (!applies || !metric.ends_with("accuracy")) continue;
    const std::string prefix = metric.substr(0, metric.find('_'));
    source.fail(section.path_of("monitor"), section.mark_of("monitor"),
                metric + " is not logged for regression (loss: " + loss_name(cfg.loss) + "); use " +
                    prefix + "_loss or " + prefix + "_error (the MSE)");
  }
}

// The name becomes a folder under runs/: one that is not a single plain path component
// ("..", "a/b") would put the run directory somewhere else, e.g. the cwd itself.
std::string run_name_problem(const std::string& name) {
  if (name.empty()) return "must not be empty";
  if (name == "." || name == "..") return "must not be '" + name + "'";
  for (const char c : name) {
    if (c == '/' || c == '\\') return std::string("must not contain '") + c + "'";
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return "must not contain control characters";
  }
  return "";
}

std::string build_name(const Section& top, const ConfigSource& source) {
  if (top.has("name")) {
    const std::string name = top.text("name");
    if (const std::string problem = run_name_problem(name); !problem.empty())
      source.fail("name", top.mark_of("name"),
                  "a run name is a folder name under runs/ and " + problem + ", got " +
                      quote_yaml_string(name));
    return name;
  }
  const std::string stem = std::filesystem::path(source.file_label()).stem().string();
  if (stem.empty()) return "run";
  if (const std::string problem = run_name_problem(stem); !problem.empty())
    source.fail("name", YAML::Mark::null_mark(),
                "the default run name, the config file's stem " + quote_yaml_string(stem) +
                    ", is not usable as a folder name under runs/ (it " + problem +
                    "); set name: in the config");
  return stem;
}

}  // namespace

Config build_config(const YAML::Node& root, const ConfigSource& source,
                    const std::string& base_dir) {
  const Section top(root, "", "", root.Mark());
  Config cfg;
  cfg.source_file = source.file_label();
  cfg.name = build_name(top, source);
  cfg.seed = static_cast<std::uint64_t>(top.integer("seed"));
  cfg.backend = top.text("backend");
  cfg.threads = top.integer("threads");
  cfg.precision = top.text("precision");
  cfg.data = build_data(top.section("data"), source, base_dir, cfg.seed);

  const Section model = top.section("model");
  const YAML::Node layers = model.node("layers");
  for (std::size_t i = 0; i < layers.size(); ++i)
    cfg.model.layers.push_back(build_layer(layers[i], "model.layers[" + std::to_string(i) + "]"));
  if (cfg.model.layers.back().type != "dense")
    source.fail("model.layers[" + std::to_string(layers.size() - 1) + "]",
                layers[layers.size() - 1].Mark(),
                "the last layer must be dense: it produces the outputs");
  cfg.model.init = model.init("init");

  static constexpr LossKind kLosses[] = {LossKind::cross_entropy, LossKind::binary_cross_entropy,
                                         LossKind::mse};
  cfg.loss = enum_named(top.text("loss"), kLosses, loss_name);
  if (cfg.loss == LossKind::binary_cross_entropy && cfg.model.layers.back().units != 1)
    source.fail("loss", top.mark_of("loss"),
                "binary_cross_entropy needs a last layer with 1 unit, got " +
                    std::to_string(cfg.model.layers.back().units));
  cfg.optimizer = build_optimizer(top.section("optimizer"), source);

  const Section training = top.section("training");
  cfg.training.epochs = training.integer("epochs");
  cfg.training.batch_size = training.integer("batch_size");
  cfg.training.shuffle = training.flag("shuffle");
  static constexpr OnNan kOnNan[] = {OnNan::stop, OnNan::fail};
  cfg.training.on_nan = enum_named(training.text("on_nan"), kOnNan, on_nan_name);
  check_warmup(cfg, top.section("optimizer").section("schedule"), source);

  const Section stopping = top.section("early_stopping");
  // `early_stopping:` left empty (or --set early_stopping=null) is off, like an absent one.
  cfg.early_stopping.enabled = top.node("early_stopping").IsMap();
  cfg.early_stopping.monitor = stopping.text("monitor");
  cfg.early_stopping.mode = enum_named(stopping.text("mode"), kModes, monitor_mode_name);
  cfg.early_stopping.patience = stopping.integer("patience");
  cfg.early_stopping.min_delta = stopping.number("min_delta");
  cfg.early_stopping.start_from_epoch = stopping.integer("start_from_epoch");
  cfg.early_stopping.restore_best = stopping.flag("restore_best");

  const Section checkpoint = top.section("checkpoint");
  cfg.checkpoint.dir = checkpoint.has("dir") ? checkpoint.text("dir") : "runs/" + cfg.name;
  cfg.checkpoint.monitor = checkpoint.has("monitor")    ? checkpoint.text("monitor")
                           : cfg.early_stopping.enabled ? cfg.early_stopping.monitor
                                                        : "val_loss";
  cfg.checkpoint.save_best = checkpoint.flag("save_best");
  cfg.checkpoint.save_last = checkpoint.flag("save_last");
  cfg.checkpoint.every_n_epochs = checkpoint.integer("every_n_epochs");
  cfg.checkpoint.last_every_seconds = checkpoint.number("last_every_seconds");
  check_monitors(cfg, top, source);
  return cfg;
}

}  // namespace nnrun
