#include "core/train/settings_notes.hpp"

#include <thread>

namespace nnrun {

std::vector<std::string> settings_notes(const Config& config, std::int64_t training_samples,
                                        const std::string& backend_name) {
  std::vector<std::string> notes;
  // Keras and PyTorch run such an epoch as one short batch without a word; say it, since a
  // typo here changes the optimization (one step per epoch) without any other sign.
  if (config.training.batch_size > training_samples)
    notes.push_back("note: batch_size " + std::to_string(config.training.batch_size) +
                    " is larger than the " + std::to_string(training_samples) +
                    " training samples: each epoch is one step over all of them");
  const unsigned cpus = std::thread::hardware_concurrency();  // 0 when unknown
  if (backend_name == "cpu" && cpus > 0 && config.threads > static_cast<std::int64_t>(cpus))
    notes.push_back("note: threads " + std::to_string(config.threads) + " is more than the " +
                    std::to_string(cpus) +
                    " CPUs of this machine: the threads take turns and every step waits for "
                    "them (fewer threads are faster)");
  const std::int64_t epochs = config.training.epochs;
  if (config.early_stopping.enabled && config.early_stopping.start_from_epoch >= epochs)
    notes.push_back("note: early_stopping.start_from_epoch " +
                    std::to_string(config.early_stopping.start_from_epoch) +
                    " leaves none of the " + std::to_string(epochs) +
                    " epochs to judge: early stopping cannot fire");
  if (config.checkpoint.every_n_epochs > epochs)
    notes.push_back("note: checkpoint.every_n_epochs " +
                    std::to_string(config.checkpoint.every_n_epochs) + " is more than the " +
                    std::to_string(epochs) + " epochs: no epoch-N.ckpt will be written");
  return notes;
}

}  // namespace nnrun
