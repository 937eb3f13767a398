// The `optimizer` rows of the schema table: the update rule's keys, each limited to the
// types that use it, and the learning-rate schedule, whose keys depend on its own type.
#include "core/config/schema_row.hpp"

namespace nnrun::schema_rows {

std::vector<KeySpec> optimizer_rows() {
  using V = ValueType;
  return {
      Row("optimizer", V::map, "how weights are updated"),
      Row("optimizer.type", V::choice,
          "sgd (momentum, nesterov) | adam, adamw (beta1, beta2, eps) | "
          "rmsprop (alpha, eps, momentum, centered)")
          .choices({"sgd", "adam", "adamw", "rmsprop"})
          .fallback("adam"),
      Row("optimizer.lr", V::number,
          "learning rate; default 0.01 for sgd and rmsprop, 0.001 for adam and adamw")
          .range(kPositive)
          .aliases({"learning_rate"}),
      Row("optimizer.weight_decay", V::number,
          "L2 penalty: added to the gradient for sgd, adam and rmsprop; decoupled for adamw "
          "(applied to the weights directly, not through the adaptive step)")
          .range(kNonNegative)
          .fallback("0"),
      Row("optimizer.clip_grad_norm", V::number,
          "cap on the global L2 norm of all gradients before the update; 0 = off")
          .range(kNonNegative)
          .fallback("0")
          .aliases({"clipnorm", "max_grad_norm", "gradient_clip_val"}),
      Row("optimizer.momentum", V::number, "momentum (sgd, rmsprop)")
          .range(kUnitInterval)
          .fallback("0")
          .only_when("type", {"sgd", "rmsprop"}),
      Row("optimizer.nesterov", V::boolean, "Nesterov momentum; needs momentum > 0")
          .fallback("false")
          .only_when("type", {"sgd"}),
      Row("optimizer.beta1", V::number, "first-moment decay (adam, adamw)")
          .range(kUnitInterval)
          .fallback("0.9")
          .only_when("type", {"adam", "adamw"}),
      Row("optimizer.beta2", V::number, "second-moment decay (adam, adamw)")
          .range(kUnitInterval)
          .fallback("0.999")
          .only_when("type", {"adam", "adamw"}),
      Row("optimizer.eps", V::number, "denominator guard (adam, adamw, rmsprop)")
          .range(kPositive)
          .fallback("1e-08")
          .only_when("type", {"adam", "adamw", "rmsprop"})
          .aliases({"epsilon"}),
      Row("optimizer.alpha", V::number, "rmsprop smoothing of the squared-gradient average")
          .range(kUnitInterval)
          .fallback("0.99")
          .only_when("type", {"rmsprop"})
          .aliases({"rho"}),
      Row("optimizer.centered", V::boolean,
          "rmsprop: divide by the gradient's variance estimate instead of its raw second moment")
          .fallback("false")
          .only_when("type", {"rmsprop"}),

      Row("optimizer.schedule", V::map,
          "learning rate per epoch: {type: constant | step | exponential | cosine | plateau, ...}")
          .aliases({"scheduler", "lr_scheduler", "lr_schedule"}),
      Row("optimizer.schedule.type", V::choice,
          "constant | step (step_size, gamma) | exponential (gamma) | cosine (warmup_epochs, "
          "min_lr) | plateau (monitor, mode, factor, patience, min_delta, min_lr)")
          .choices({"constant", "step", "exponential", "cosine", "plateau"})
          .fallback("constant"),
      Row("optimizer.schedule.step_size", V::integer, "epochs between two drops of the lr")
          .range(kAtLeastOne)
          .fallback("10")
          .only_when("type", {"step"}),
      Row("optimizer.schedule.gamma", V::number,
          "lr factor per drop (step) or per epoch (exponential); default 0.1 for step, 0.95 "
          "for exponential")
          .range(kUpToOne)
          .only_when("type", {"step", "exponential"}),
      Row("optimizer.schedule.warmup_epochs", V::integer,
          "epochs of linear warm-up before the cosine decay; must be < training.epochs")
          .range(kNonNegative)
          .fallback("0")
          .only_when("type", {"cosine"}),
      Row("optimizer.schedule.monitor", V::choice, "metric watched for a plateau")
          .choices(kMetrics)
          .fallback("val_loss")
          .only_when("type", {"plateau"}),
      Row("optimizer.schedule.mode", V::choice, "auto: max for accuracy, min otherwise")
          .choices(kMonitorModes)
          .fallback("auto")
          .only_when("type", {"plateau"}),
      Row("optimizer.schedule.factor", V::number, "lr *= factor at each plateau")
          .range(kOpenUnit)
          .fallback("0.1")
          .only_when("type", {"plateau"}),
      Row("optimizer.schedule.patience", V::integer,
          "epochs without improvement before the lr is cut")
          .range(kNonNegative)
          .fallback("10")
          .only_when("type", {"plateau"}),
      Row("optimizer.schedule.min_delta", V::number,
          "smallest change of the metric that counts as an improvement")
          .range(kNonNegative)
          .fallback("0.0001")
          .only_when("type", {"plateau"}),
      Row("optimizer.schedule.min_lr", V::number,
          "cosine: the lr the decay ends at; plateau: the lr is never cut below it")
          .range(kNonNegative)
          .fallback("0")
          .only_when("type", {"cosine", "plateau"}),
  };
}

}  // namespace nnrun::schema_rows
