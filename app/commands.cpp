// Subcommand bodies for train and check: glue from options to the core library, and printing.
// eval, predict and inspect have files of their own (cmd_*.cpp).
#include "app/commands.hpp"

#include <algorithm>
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
#include "core/train/optimizer.hpp"
#include "core/train/resume.hpp"
#include "core/train/run_files.hpp"
#include "core/train/snapshot.hpp"
#include "core/train/trainer.hpp"
#include "core/util/byte_size.hpp"

namespace nnrun::app {

namespace {
BackendOptions backend_options(const Config& config) {
  return {config.backend, static_cast<int>(config.threads), config.precision};
}

std::int64_t sample_bytes(const PreparedData& data) {
  std::int64_t values = static_cast<std::int64_t>(data.train.features.values.size() +
                                                  data.validation.features.values.size());
  if (data.test) values += static_cast<std::int64_t>(data.test->features.values.size());
  return values * static_cast<std::int64_t>(sizeof(float));
}

// A batch's activations: each layer's output, pre-activation and gradient (about three
// arrays of batch x width), f32.
std::int64_t activation_bytes(const Config& config, std::int64_t input_width,
                              std::int64_t training_rows) {
  const std::int64_t batch = std::min(config.training.batch_size, training_rows);
  std::int64_t width = input_width, widths = input_width;
  for (const LayerConfig& layer : config.model.layers) {
    if (layer.type == "dense") width = layer.units;
    widths += width;
  }
  return 3 * batch * widths * static_cast<std::int64_t>(sizeof(float));
}

// "the model's 235146 parameters take about 3.6 MiB for weights, gradients and optimizer
// state, a batch's activations 1.0 MiB, the data 209.4 MiB": what grows with a config.
std::string memory_summary(const Config& config, const PreparedData& data) {
  const std::int64_t input_width = data.train.features.cols;
  const std::int64_t parameters = parameter_count(config.model, input_width).value_or(0);
  return "the model's " + std::to_string(parameters) + " parameters take about " +
         approximate_bytes(training_state_bytes(parameters, config.optimizer)) +
         " for weights, gradients and optimizer state, a batch's activations " +
         approximate_bytes(activation_bytes(config, input_width, data.train.size())) +
         ", the data " + approximate_bytes(sample_bytes(data));
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
  const std::string memory = memory_summary(config, data);
  RunLog log(options.quiet);
  Trainer trainer(config, resolved_config_yaml(config), *backend, std::move(data), log,
                  /*progress_bar=*/!options.quiet, resume ? &*resume : nullptr, options.resume);
  TrainSummary summary;
  try {
    summary = trainer.fit();
  } catch (const std::bad_alloc&) {  // say what needed the memory
    const RuntimeFailure failure("out of memory: " + memory + " (nnrun check shows these)");
    log.file_line(error_message(failure));
    throw failure;
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
            << "memory: " << memory_summary(config, data) << "\n"
            << "\nresolved config (defaults filled in, overrides applied):\n"
            << resolved_config_yaml(config);
  return 0;
}

}  // namespace nnrun::app
