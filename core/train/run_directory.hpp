// The run directory: created on demand; an earlier run found there is moved into
// previous-N/ (never overwritten), so starting a run again cannot lose a result.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nnrun {

// Creates `dir` if needed. If it holds files of an earlier run, moves them into
// dir/previous-N (the first free N) and returns that folder; else returns "".
// Throws RuntimeFailure naming the folder when it cannot be created or the move fails.
std::string prepare_run_directory(const std::string& dir);

// Removes temporary files (.NAME.tmp.PID) that a killed run left behind. Call only while
// holding the run's lock, so no live writer owns them.
void remove_stale_temporaries(const std::string& dir);

// A resume from an earlier checkpoint (epoch-75.ckpt of a run that went on to epoch 131)
// discards the continuation: its checkpoints past `epoch` (best.ckpt, last.ckpt, epoch-M.ckpt)
// would disagree with the resumed run. They are moved into dir/previous-N, with copies of
// metrics.csv and summary.json, so nothing is lost; the checkpoint at `resume_path` stays.
// Returns the folder ("" when nothing was later) and what went there.
struct DiscardedFiles {
  std::string folder;
  std::vector<std::string> files;
};
DiscardedFiles set_aside_discarded_continuation(const std::string& dir, std::int64_t epoch,
                                                const std::string& resume_path);

}  // namespace nnrun
