// Subcommand bodies for train and check: glue from options to the core library, and printing.
// eval, predict and inspect have files of their own (cmd_*.cpp).
#include "app/commands.hpp"

#include <cstdio>
#include <iostream>
#include <new>
#include <optional>

#include "backends/registry.hpp"
#include "core/checkpoint/finite_values.hpp"
#include "core/config/config_loader.hpp"
#include "core/config/model_size.hpp"
#include "core/errors.hpp"
#include "core/model/model_summary.hpp"
#include "core/train/compatibility.hpp"
#include "core/train/data_pipeline.hpp"
#include "core/train/resume.hpp"
#include "core/train/run_files.hpp"
#include "core/train/snapshot.hpp"
#include "core/train/trainer.hpp"

namespace nnrun::app {

namespace {
BackendOptions backend_options(const Config& config) {
  return {config.backend, static_cast<int>(config.threads), config.precision};
}

// A backend or precision this machine cannot run is a config error at its key.
void check_backend(const Config& config) {
  if (const auto problem = backend_unavailable(backend_options(config)))
    throw config.error_at(problem->key, problem->message);
}
}  // namespace

std::string error_message(const std::exception& error) {
  if (dynamic_cast<const InputError*>(&error)) return error.what();
  if (dynamic_cast<const RuntimeFailure*>(&error)) return std::string("error: ") + error.what();
  if (dynamic_cast<const std::bad_alloc*>(&error)) return "error: out of memory";
  return std::string("internal error: ") + error.what();
}

int run_train(const TrainOptions& options) {
  const Config config = load_config_file(options.config_path, options.overrides);
  check_backend(config);
  std::optional<Checkpoint> resume;
  std::optional<Normalizer> normalizer;
  if (!options.resume.empty()) {
    resume = load_checkpoint(options.resume);
    check_resume_compatible(config, *resume, options.resume);
    check_all_tensors_finite(*resume, options.resume);  // it would diverge at its first batch
    normalizer = stored_normalizer(*resume, config.data.normalize, options.resume);
  }
  PreparedData data = prepare_data(config, normalizer);
  if (resume) check_resume_data(config, *resume, options.resume, data.fingerprint);
  check_model_fits_data(config, data.train);
  check_model_size(config, data.train.features.cols);
  auto backend = make_backend(backend_options(config));
  RunLog log(options.quiet);
  Trainer trainer(config, resolved_config_yaml(config), *backend, std::move(data), log,
                  /*progress_bar=*/!options.quiet, resume ? &*resume : nullptr, options.resume);
  TrainSummary summary;
  try {
    summary = trainer.fit();
  } catch (const std::exception& e) {  // main() prints it; train.log gets it too
    log.file_line(error_message(e));
    throw;
  }
  if (summary.interrupted_by != 0) return 128 + summary.interrupted_by;  // 130 / 143
  if (summary.diverged && config.training.on_nan == OnNan::fail) {
    const std::string message =
        "error: " + trainer.run_dir() +
        ": training diverged (training.on_nan: fail): " + summary.stop_reason;
    std::cerr << message << "\n";
    log.file_line(message);
    return static_cast<int>(ExitCode::runtime);
  }
  return 0;
}

int run_check(const CheckOptions& options) {
  const Config config = load_config_file(options.config_path, options.overrides);
  check_backend(config);
  const PreparedData data = prepare_data(config);
  check_model_fits_data(config, data.train);
  check_model_size(config, data.train.features.cols);
  std::cout << options.config_path << ": OK\n"
            << "data: " << describe_data(data) << "\n\n"
            << format_layer_table(summarize_layers(config.model, data.train.features.cols))
            << "\nresolved config (defaults filled in, overrides applied):\n"
            << resolved_config_yaml(config);
  return 0;
}

}  // namespace nnrun::app
