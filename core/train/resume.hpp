// Checks before continuing a run from a checkpoint: the config must describe the same run.
#pragma once

#include <cstdint>
#include <string>

#include "core/checkpoint/checkpoint.hpp"
#include "core/config/config.hpp"

namespace nnrun {

// Throws InputError naming the first differing key unless `given` equals the checkpoint's
// stored config up to what may change on a resume: training.epochs (to train longer),
// backend and threads. checkpoint.dir is not compared (a copied run directory resumes where
// it lies), but one typed on the command line (--run-dir, --set checkpoint.dir) must be the
// checkpoint's folder: the run continues there, never silently elsewhere.
void check_resume_compatible(const Config& given, const Checkpoint& checkpoint,
                             const std::string& path);

// Throws a ConfigError at data.train or data.validation when the data prepared for the resume
// (its data_fingerprint) differ from what the checkpoint was trained on: edited or replaced
// data would quietly continue another run under this one's name.
void check_resume_data(const Config& given, const Checkpoint& checkpoint, const std::string& path,
                       const std::string& fingerprint);

// The folder a run resumed from the checkpoint at `path` continues in: the checkpoint's own.
std::string resume_run_directory(const std::string& path);

// Whether the checkpoint's run had already ended by early stopping (status "finished" before
// its training.epochs), and whether `given` raised that budget since.
struct EarlyStopResume {
  bool stopped_early = false;
  bool budget_raised = false;
  std::int64_t stored_epochs = 0;  // the run's training.epochs
};
EarlyStopResume early_stop_resume(const Config& given, const Checkpoint& checkpoint,
                                  const std::string& path);

// After set_aside_discarded_continuation: best.ckpt back in `run_dir` when it went with the
// discarded epochs, from the resumed checkpoint (the best epoch itself) or from the best
// epoch's epoch-N.ckpt. Whether best.ckpt is there now.
bool put_best_checkpoint_back(const std::string& run_dir, std::int64_t best_epoch,
                              const Checkpoint& resumed);

// A run that early stopping already ended stays ended: resuming it would train one more
// epoch past the stop, and Keras or Lightning users expect "done" to mean done. Raising
// training.epochs is an explicit request to train on: then it continues, with early
// stopping's patience counted afresh (as a new Keras fit() would), keeping the best so far.
// The message that says the run is done and how to train on, or "" when there is training
// left to do.
std::string already_finished(const Config& given, const Checkpoint& checkpoint,
                             const EarlyStopResume& stopped_early);

}  // namespace nnrun
