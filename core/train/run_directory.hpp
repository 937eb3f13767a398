// The run directory: created on demand; an earlier run found there is moved into
// previous-N/ (never overwritten), so starting a run again cannot lose a result.
#pragma once

#include <string>

namespace nnrun {

// Creates `dir` if needed. If it holds files of an earlier run, moves them into
// dir/previous-N (the first free N) and returns that folder; else returns "".
// Throws RuntimeFailure naming the folder when it cannot be created or the move fails.
std::string prepare_run_directory(const std::string& dir);

// Removes temporary files (.NAME.tmp.PID) that a killed run left behind. Call only while
// holding the run's lock, so no live writer owns them.
void remove_stale_temporaries(const std::string& dir);

}  // namespace nnrun
