// Resume compatibility: compare resolved configs line by line, after equalizing the keys
// that a resume may change, so the message can name the first key that differs.
#include "core/train/resume.hpp"

#include <filesystem>
#include <sstream>

#include "core/config/config_loader.hpp"
#include "core/errors.hpp"
#include "core/train/data_fingerprint.hpp"

namespace nnrun {
namespace {

Config comparable(Config c) {
  c.training.epochs = 0;
  c.checkpoint.dir.clear();
  c.backend = "auto";
  c.threads = 0;
  return c;
}

Config stored_config_of(const Checkpoint& checkpoint, const std::string& path) {
  return load_config_text(checkpoint.config_yaml, path + " (stored config)", "");
}

bool same_folder(const std::string& a, const std::string& b) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::equivalent(a, b, ec)) return true;
  const fs::path x = fs::weakly_canonical(fs::absolute(a, ec), ec);
  const fs::path y = fs::weakly_canonical(fs::absolute(b, ec), ec);
  return !ec && x == y;
}

// A run directory typed on this command line (--run-dir, or --set checkpoint.dir) must be the
// checkpoint's folder: the run continues there, so any other folder would be silently
// ignored. One only written in the config file is: a run trained with --run-dir, or a copied
// run directory, resumes without repeating it.
void check_run_directory(const Config& given, const std::string& path) {
  const SourceLocation where = given.locations.find("checkpoint.dir", given.source_file);
  if (where.file == given.source_file) return;  // from the file (or the default), not typed
  const std::string folder = resume_run_directory(path);
  if (same_folder(given.checkpoint.dir, folder)) return;
  throw InputError("--resume " + path + ": --run-dir (checkpoint.dir) " + given.checkpoint.dir +
                   " is not the checkpoint's folder " + folder +
                   ": a resumed run continues in its checkpoint's folder; leave out --run-dir, "
                   "or copy " +
                   folder + " to " + given.checkpoint.dir + " and resume from the copy");
}

}  // namespace

std::string resume_run_directory(const std::string& path) {
  const std::string folder = std::filesystem::path(path).parent_path().lexically_normal().string();
  return folder.empty() ? "." : folder;
}

void check_resume_data(const Config& given, const Checkpoint& checkpoint, const std::string& path,
                       const std::string& fingerprint) {
  const std::string& stored = checkpoint.data_fingerprint;
  // (A fingerprint of another form than "train validation" is not compared.)
  if (fingerprint_part(stored, 1).empty() || stored == fingerprint) return;
  const bool train_changed = fingerprint_part(stored, 0) != fingerprint_part(fingerprint, 0);
  throw given.error_at(
      train_changed || !given.data.validation.source ? "data.train" : "data.validation",
      std::string(train_changed ? "the training" : "the validation") + " data differ from what " +
          path + " was trained on (fingerprints " + stored + ", now " + fingerprint +
          "): resuming would not continue the same run; start a new run instead");
}

void check_resume_compatible(const Config& given, const Checkpoint& checkpoint,
                             const std::string& path) {
  const Config stored = stored_config_of(checkpoint, path);
  if (checkpoint.status == "diverged")
    throw InputError("--resume " + path + ": the run " + checkpoint.stop_reason +
                     "; resuming would diverge again at the same batch: start a new run, e.g. "
                     "with a lower optimizer.lr, or resume from an earlier checkpoint");
  // Equal and finished: the run is complete, which the trainer says (exit 0), as for a run
  // that early stopping ended.
  const bool complete =
      given.training.epochs == checkpoint.epoch && checkpoint.status == "finished";
  if (given.training.epochs <= checkpoint.epoch && !complete)
    throw InputError("--resume " + path + ": the checkpoint is at epoch " +
                     std::to_string(checkpoint.epoch) + " and training.epochs is " +
                     std::to_string(given.training.epochs) +
                     ": nothing left to train; raise it with --epochs N");
  check_run_directory(given, path);
  std::istringstream a(resolved_config_yaml(comparable(stored)));
  std::istringstream b(resolved_config_yaml(comparable(given)));
  std::string line_a, line_b;
  while (true) {
    const bool more_a = static_cast<bool>(std::getline(a, line_a));
    const bool more_b = static_cast<bool>(std::getline(b, line_b));
    if (!more_a && !more_b) return;
    if (line_a != line_b || more_a != more_b)
      throw InputError("--resume " + path + ": the config differs from the run's: it has '" +
                       line_b + "' where the checkpoint has '" + line_a +
                       "' (only training.epochs, backend and threads may change)");
  }
}

bool put_best_checkpoint_back(const std::string& run_dir, std::int64_t best_epoch,
                              const Checkpoint& resumed) {
  namespace fs = std::filesystem;
  const fs::path best = fs::path(run_dir) / "best.ckpt";
  if (fs::exists(best)) return true;
  const fs::path epoch_file = fs::path(run_dir) / ("epoch-" + std::to_string(best_epoch) + ".ckpt");
  if (best_epoch == resumed.epoch)
    save_checkpoint(best.string(), resumed);
  else if (fs::exists(epoch_file))
    fs::copy_file(epoch_file, best);
  return fs::exists(best);
}

std::string already_finished(const Config& given, const Checkpoint& checkpoint,
                             const EarlyStopResume& stopped_early) {
  const bool ended_early = stopped_early.stopped_early && !stopped_early.budget_raised;
  const bool completed =
      checkpoint.status == "finished" && checkpoint.epoch >= given.training.epochs;
  if (!ended_early && !completed) return "";
  return "nnrun: the run already finished (" +
         (ended_early ? "early stopping at epoch " + std::to_string(checkpoint.epoch) + ": " +
                            checkpoint.stop_reason
                      : "all " + std::to_string(checkpoint.epoch) + " epochs") +
         "); nothing to train and nothing was written. To train on, raise training.epochs "
         "above " +
         std::to_string(ended_early ? stopped_early.stored_epochs : checkpoint.epoch) +
         " (--epochs N)";
}

EarlyStopResume early_stop_resume(const Config& given, const Checkpoint& checkpoint,
                                  const std::string& path) {
  EarlyStopResume out;
  const std::int64_t budget = stored_config_of(checkpoint, path).training.epochs;
  // "finished" before the epoch budget ran out: early stopping ended the run.
  out.stopped_early = checkpoint.status == "finished" && checkpoint.epoch < budget;
  out.budget_raised = given.training.epochs > budget;
  out.stored_epochs = budget;
  return out;
}

}  // namespace nnrun
