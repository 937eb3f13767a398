// evaluate_checkpoint: the same data pipeline and evaluation pass as training, so the numbers
// match the ones metrics.csv logged for the checkpoint's epoch.
#include "core/train/checkpoint_eval.hpp"

#include <cmath>
#include <iostream>

#include "core/checkpoint/finite_values.hpp"
#include "core/checkpoint/model_shapes.hpp"
#include "core/config/config_loader.hpp"
#include "core/config/overrides.hpp"
#include "core/errors.hpp"
#include "core/model/loss.hpp"
#include "core/names.hpp"
#include "core/train/data_fingerprint.hpp"
#include "core/train/data_pipeline.hpp"
#include "core/train/device_dataset.hpp"
#include "core/train/evaluate.hpp"
#include "core/train/model_outputs.hpp"
#include "core/train/run_files.hpp"
#include "core/train/snapshot.hpp"

namespace nnrun {
namespace {

std::string yaml_quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// --data becomes data.test, validated by the same schema as any config key.
// Errors about it name --data as typed, not the override it becomes. Its label is the
// training file's label column, by name where the checkpoint knows it (the file's header
// may order the columns otherwise), else as the training config gave it. A label the
// training config named (or indexed) must be there; one it left to the default is looked
// for by name, else it is the file's last column, as in training.
std::vector<ConfigOverride> data_override(const std::string& data, const Config& stored,
                                          const Checkpoint& checkpoint) {
  if (data.empty()) return {};
  const std::string label = "--data " + data;
  if (data.front() == '{') return {ConfigOverride("data.test=" + data, label)};
  std::string source = "{format: csv, path: " + yaml_quoted(data);
  const std::string& given = stored.data.train.label;
  if (!given.empty())
    source += ", label: " +
              yaml_quoted(checkpoint.label_column.empty() ? given : checkpoint.label_column);
  return {ConfigOverride("data.test=" + source + "}", label)};
}

std::string normalize_text(const DataConfig& data) {
  std::string text = "normalize: " + normalization_name(data.normalize);
  if (data.normalize == Normalization::scale) text += ", scale: " + format_metric(data.scale);
  return text;
}

// The per-class or regression numbers, from the outputs of a second pass over the same
// batches (the first, evaluate(), keeps its sums on the device).
void add_report(CheckpointEvaluation& out, CheckpointModel& loaded, DeviceDataset& device_data,
                const Dataset& data, const Checkpoint& ckpt, LossKind loss, std::int64_t batch) {
  const Tensor src = device_data.batch(0, device_data.size()).src;  // stored order: a view
  const HostMatrix outputs = forward_outputs(*loaded.backend, *loaded.model, src, batch);
  if (data.task == Task::regression) {
    out.mae = mean_absolute_error(outputs, data.targets);
    return;
  }
  out.report =
      classification_report(data.labels, predicted_classes(outputs, loss),
                            ckpt.class_names.empty() ? data.class_names : ckpt.class_names);
}

// The model's output width: its last dense layer's units.
std::int64_t output_width(const ModelConfig& model) {
  std::int64_t width = 0;
  for (const LayerConfig& layer : model.layers)
    if (layer.type == "dense") width = layer.units;
  return width;
}

// The set to evaluate. A test set (the run's own or --data) and a validation source of its
// own are read alone, against the model's inputs, so the training file need not exist; the
// training set and a validation split come from the training file, as in training. With
// --config, the file's training source is checked against the model's inputs first.
// When the run's own training or validation set read again is not what the run used, its
// logged metrics will not be reproduced: say so.
void note_changed_data(const std::string& split, const std::string& trained_on,
                       const std::string& now) {
  const std::string then = fingerprint_part(trained_on, split == "train" ? 0 : 1);
  if (then.empty() || now.empty() || then == now) return;
  std::cerr << "note: the " << (split == "train" ? "training" : "validation")
            << " data changed since the checkpoint was written (fingerprint " << then << ", now "
            << now << "): these metrics will differ from the run's\n";
}

Dataset evaluation_set(const Config& config, const std::string& split, const EvalRequest& request,
                       const Normalizer& normalizer, const ModelInputs& model,
                       const std::string& trained_on) {
  // A classification checkpoint without class names can only be aligned with its training set.
  const bool known_model = task_of(config.loss) == Task::regression || !model.class_names.empty();
  const bool own_run = request.config_path.empty();
  if (own_run && known_model) {
    if (split == "test")
      return prepare_evaluation_source(config, "data.test", *config.data.test, normalizer, model);
    if (split == "val" && config.data.validation.source) {
      std::string now;
      Dataset validation = prepare_evaluation_source(
          config, "data.validation", *config.data.validation.source, normalizer, model, &now);
      note_changed_data(split, trained_on, now);
      return validation;
    }
  }
  PreparedData data = prepare_data(config, normalizer, own_run ? nullptr : &model);
  if (own_run && split != "test")
    note_changed_data(split, trained_on,
                      fingerprint_part(data.fingerprint, split == "train" ? 0 : 1));
  if (split == "val") return std::move(data.validation);
  if (split == "train") return std::move(data.train);
  return std::move(*data.test);
}

}  // namespace

Config stored_config(const Checkpoint& checkpoint, const std::string& path,
                     const std::string& data) {
  const std::string label = path + " (stored config)";
  const Config stored = load_config_text(checkpoint.config_yaml, label, "");
  if (data.empty()) return stored;
  return load_config_text(checkpoint.config_yaml, label, "",
                          data_override(data, stored, checkpoint));
}

Config evaluation_config(const Checkpoint& checkpoint, const std::string& path,
                         const EvalRequest& request) {
  Config stored = stored_config(checkpoint, path, request.data);
  if (request.config_path.empty()) return stored;
  // With the run's seed, so that what derives from it (the split, generated data) is the run's.
  std::vector<ConfigOverride> overrides{
      ConfigOverride("seed=" + std::to_string(stored.seed), "the run's seed")};
  for (ConfigOverride& o : data_override(request.data, stored, checkpoint))
    overrides.push_back(std::move(o));
  Config chosen = load_config_file(request.config_path, overrides);
  // The checkpoint's normalization statistics are the model's input contract; a different
  // normalize in the file would be silently ignored, so it is an error instead.
  if (chosen.data.normalize != stored.data.normalize ||
      (stored.data.normalize == Normalization::scale && chosen.data.scale != stored.data.scale))
    throw chosen.error_at("data.normalize",
                          "differs from the run's (" + normalize_text(stored.data) +
                              "); eval uses the normalization stored in the checkpoint");
  // Only the data section is the file's: what built, trained and split for the model stays
  // the run's (a different seed would draw a validation set that overlaps the training rows).
  chosen.name = stored.name;
  chosen.seed = stored.seed;
  chosen.backend = stored.backend;
  chosen.threads = stored.threads;
  chosen.precision = stored.precision;
  chosen.model = stored.model;
  chosen.loss = stored.loss;
  chosen.optimizer = stored.optimizer;
  chosen.training = stored.training;
  chosen.early_stopping = stored.early_stopping;
  chosen.checkpoint = stored.checkpoint;
  return chosen;
}

void check_checkpoint_model(const Checkpoint& checkpoint, const Config& config,
                            const std::string& path) {
  check_model_tensors(checkpoint, config.model, path);
  check_parameters_finite(checkpoint, path);
}

void refuse_non_finite_outputs(const Checkpoint& checkpoint, const std::string& path,
                               const std::string& problem) {
  const std::string cause =
      checkpoint.status == "diverged"
          ? "the run that wrote it " + checkpoint.stop_reason +
                "; use an earlier checkpoint (best.ckpt keeps the best finite epoch)"
          : "its weights overflow on this input (did the run diverge?)";
  throw InputError(path + ": " + problem + ": " + cause);
}

CheckpointModel load_checkpoint_model(const Checkpoint& checkpoint, const Config& config,
                                      const std::string& path, const std::string& backend_name,
                                      std::int64_t max_batch) {
  // Shapes first: a small file must not make us allocate what its stored config claims.
  check_model_tensors(checkpoint, config.model, path);
  CheckpointModel out;
  BackendOptions options{backend_name, static_cast<int>(config.threads), config.precision};
  // The weights are f32 whatever the products were trained in: where bf16 products cannot
  // run (reference backend, a CPU without bf16), evaluate with f32 products, and say so.
  if (const auto problem = backend_unavailable(options);
      problem && problem->key == "precision" && config.precision == "bf16") {
    options.precision = "f32";
    std::cerr << "note: " << path << " was trained with bf16 products; " << problem->message
              << ": using f32 products here\n";
  }
  out.backend = make_backend(options);
  out.model =
      std::make_unique<Model>(*out.backend, config.model, checkpoint.input_width, DType::f32);
  out.model->prepare(max_batch);
  load_parameters(checkpoint, *out.model, path);
  return out;
}

CheckpointEvaluation evaluate_checkpoint(const std::string& path, const EvalRequest& request) {
  const std::string split = request.data.empty() ? request.split : "test";
  if (split != "val" && split != "train" && split != "test")
    throw InputError("--split: unknown split '" + split + "' (known: train, val, test)");
  const Checkpoint ckpt = load_checkpoint(path);
  const Config config = evaluation_config(ckpt, path, request);
  check_checkpoint_model(ckpt, config, path);
  if (split == "test" && !config.data.test)
    throw InputError((request.config_path.empty() ? path + ": the run's config"
                                                  : request.config_path + ": the config") +
                     " has no data.test; use --split val or train, or --data FILE");
  const Normalizer normalizer = stored_normalizer(ckpt, config.data.normalize, path);
  const ModelInputs model_inputs{ckpt.feature_names, ckpt.class_names, output_width(config.model),
                                 ckpt.label_column};
  const Dataset chosen =
      evaluation_set(config, split, request, normalizer, model_inputs, ckpt.data_fingerprint);
  if (chosen.features.cols != ckpt.input_width)
    throw InputError(path + ": the data has " + std::to_string(chosen.features.cols) +
                     " features but the checkpoint's model takes " +
                     std::to_string(ckpt.input_width));

  const std::int64_t batch = config.training.batch_size;
  CheckpointModel loaded =
      load_checkpoint_model(ckpt, config, path, request.backend, std::min(batch, chosen.size()));
  Backend& backend = *loaded.backend;
  DeviceDataset device_data(backend, chosen, task_of(config.loss), DType::f32, batch);
  DeviceBuffer metrics(backend, 1, kMetricSlots, DType::f64);

  CheckpointEvaluation out;
  out.checkpoint_path = path;
  out.epoch = ckpt.epoch;
  out.split = request.data.empty() ? split : request.data;
  out.backend = backend.name();
  out.task = ckpt.task;
  out.metrics = evaluate(backend, *loaded.model, device_data, config.loss, batch, metrics);
  if (out.metrics.samples > 0 && !std::isfinite(out.metrics.loss))
    refuse_non_finite_outputs(ckpt, path,
                              "the model's loss on " + out.split + " is not finite (" +
                                  format_metric(out.metrics.loss) + ")");
  add_report(out, loaded, device_data, chosen, ckpt, config.loss, batch);
  return out;
}

}  // namespace nnrun
