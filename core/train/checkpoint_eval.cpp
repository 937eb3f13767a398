// evaluate_checkpoint: the same data pipeline and evaluation pass as training, so the numbers
// match the ones metrics.csv logged for the checkpoint's epoch.
#include "core/train/checkpoint_eval.hpp"

#include "core/config/config_loader.hpp"
#include "core/errors.hpp"
#include "core/model/loss.hpp"
#include "core/train/data_pipeline.hpp"
#include "core/train/device_dataset.hpp"
#include "core/train/evaluate.hpp"
#include "core/train/snapshot.hpp"

namespace nnrun {

CheckpointEvaluation evaluate_checkpoint(const std::string& path, const std::string& split,
                                         const std::string& backend_name) {
  if (split != "val" && split != "train")
    throw InputError("--split: unknown split '" + split + "' (known: train, val)");
  const Checkpoint ckpt = load_checkpoint(path);
  const Config config = load_config_text(ckpt.config_yaml, path + " (stored config)", "");
  const Normalizer normalizer = stored_normalizer(ckpt, config.data.normalize, path);
  const PreparedData data = prepare_data(config, normalizer);
  const Dataset& chosen = split == "val" ? data.validation : data.train;
  if (chosen.features.cols != ckpt.input_width)
    throw InputError(path + ": the data now has " + std::to_string(chosen.features.cols) +
                     " features but the checkpoint's model takes " +
                     std::to_string(ckpt.input_width));

  auto backend = make_backend({backend_name, static_cast<int>(config.threads)});
  const std::int64_t batch = config.training.batch_size;
  Model model(*backend, config.model, ckpt.input_width, DType::f32);
  model.prepare(std::min(batch, chosen.size()));
  load_parameters(ckpt, model, path);
  DeviceDataset device_data(*backend, chosen, task_of(config.loss), DType::f32, batch);
  DeviceBuffer metrics(*backend, 1, kMetricSlots, DType::f64);

  CheckpointEvaluation out;
  out.checkpoint_path = path;
  out.epoch = ckpt.epoch;
  out.split = split;
  out.backend = backend->name();
  out.task = ckpt.task;
  out.metrics = evaluate(*backend, model, device_data, config.loss, batch, metrics);
  return out;
}

}  // namespace nnrun
