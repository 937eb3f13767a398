// nnrun eval: loss, accuracy and error from the training's evaluation pass, then per-class
// precision/recall/F1 and a confusion matrix (classification) or MSE and MAE (regression).
#include <iostream>

#include "app/commands.hpp"
#include "core/train/checkpoint_eval.hpp"
#include "core/train/run_files.hpp"
#include "core/util/json_writer.hpp"

namespace nnrun::app {
namespace {

void print_json(const CheckpointEvaluation& r) {
  const bool classification = r.task == Task::classification;
  JsonWriter j;
  j.begin_object()
      .field("checkpoint", r.checkpoint_path)
      .field("epoch", static_cast<long long>(r.epoch))
      .field("split", r.split)
      .field("samples", static_cast<long long>(r.metrics.samples))
      .field("backend", r.backend)
      .field("loss", r.metrics.loss);
  if (classification) j.field("accuracy", r.metrics.accuracy);
  j.field(classification ? "error" : "mse", r.metrics.error);
  if (r.report) write_classification_report(j, *r.report);
  if (!classification) j.field("mae", r.mae);
  j.end_object();
  std::cout << j.str() << "\n";
}

void print_text(const CheckpointEvaluation& r) {
  std::cout << "checkpoint " << r.checkpoint_path << " (epoch " << r.epoch << ")\n"
            << "split      " << r.split << " (" << r.metrics.samples << " samples)\n"
            << "loss       " << format_metric(r.metrics.loss) << "\n";
  if (r.task == Task::classification) {
    std::cout << "accuracy   " << format_metric(r.metrics.accuracy) << "\n"
              << "error      " << format_metric(r.metrics.error) << "\n";
    if (r.report) std::cout << "\n" << format_classification_report(*r.report);
    return;
  }
  std::cout << "mse        " << format_metric(r.metrics.error) << "\n"
            << "mae        " << format_metric(r.mae) << "\n";
}

}  // namespace

int run_eval(const EvalOptions& options) {
  const CheckpointEvaluation r =
      evaluate_checkpoint(options.checkpoint_path, {.split = options.split,
                                                    .data = options.data,
                                                    .config_path = options.config_path,
                                                    .backend = options.backend});
  if (options.json)
    print_json(r);
  else
    print_text(r);
  return 0;
}

}  // namespace nnrun::app
