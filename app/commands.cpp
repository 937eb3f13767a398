// Subcommand bodies: glue from options to the core library, and printing.
#include "app/commands.hpp"

#include <cstdio>
#include <iostream>

#include "backends/registry.hpp"
#include "core/config/config_loader.hpp"
#include "core/errors.hpp"
#include "core/model/model_summary.hpp"
#include "core/train/checkpoint_eval.hpp"
#include "core/train/compatibility.hpp"
#include "core/train/data_pipeline.hpp"
#include "core/train/run_files.hpp"
#include "core/train/trainer.hpp"
#include "core/util/json_writer.hpp"

namespace nnrun::app {

int run_train(const TrainOptions& options) {
  const Config config = load_config_file(options.config_path, options.overrides);
  PreparedData data = prepare_data(config);
  check_model_fits_data(config, data.train);
  auto backend = make_backend({config.backend, static_cast<int>(config.threads)});
  RunLog log(options.quiet);
  Trainer trainer(config, resolved_config_yaml(config), *backend, std::move(data), log,
                  /*progress_bar=*/!options.quiet);
  const TrainSummary summary = trainer.fit();
  if (summary.diverged && config.training.on_nan == OnNan::fail) {
    std::cerr << "error: training diverged (training.on_nan: fail): " << summary.stop_reason
              << "\n";
    return static_cast<int>(ExitCode::runtime);
  }
  return 0;
}

int run_eval(const EvalOptions& options) {
  const CheckpointEvaluation r =
      evaluate_checkpoint(options.checkpoint_path, {options.split, options.data, options.backend});
  const bool classification = r.task == Task::classification;
  if (options.json) {
    JsonWriter j;
    j.begin_object()
        .field("checkpoint", r.checkpoint_path)
        .field("epoch", static_cast<long long>(r.epoch))
        .field("split", r.split)
        .field("samples", static_cast<long long>(r.metrics.samples))
        .field("backend", r.backend)
        .field("loss", r.metrics.loss);
    if (classification) j.field("accuracy", r.metrics.accuracy);
    j.field(classification ? "error" : "mse", r.metrics.error).end_object();
    std::cout << j.str() << "\n";
    return 0;
  }
  std::cout << "checkpoint " << r.checkpoint_path << " (epoch " << r.epoch << ")\n"
            << "split      " << r.split << " (" << r.metrics.samples << " samples)\n"
            << "loss       " << format_metric(r.metrics.loss) << "\n";
  if (classification)
    std::cout << "accuracy   " << format_metric(r.metrics.accuracy) << "\n"
              << "error      " << format_metric(r.metrics.error) << "\n";
  else
    std::cout << "mse        " << format_metric(r.metrics.error) << "\n";
  return 0;
}

int run_check(const CheckOptions& options) {
  const Config config = load_config_file(options.config_path, options.overrides);
  const PreparedData data = prepare_data(config);
  check_model_fits_data(config, data.train);
  std::cout << options.config_path << ": OK\n"
            << "data: " << data.train.size() << " training / " << data.validation.size()
            << " validation samples, " << data.train.features.cols << " features";
  if (data.train.task == Task::classification)
    std::cout << ", " << data.train.num_classes() << " classes";
  std::cout << "\n\n"
            << format_layer_table(summarize_layers(config.model, data.train.features.cols))
            << "\nresolved config (defaults filled in, overrides applied):\n"
            << resolved_config_yaml(config);
  return 0;
}

}  // namespace nnrun::app
