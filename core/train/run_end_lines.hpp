// The lines a run ends its log with: why it stopped, its best epoch and where that is saved,
// and the final model's validation (and test) metrics.
#pragma once

#include <string>
#include <vector>

#include "core/train/trainer.hpp"

namespace nnrun {

// best_saved_note: "; saved <path>", "; its checkpoint is no longer on disk" or "" (no
// best.ckpt kept).
std::vector<std::string> run_end_lines(const TrainSummary& summary,
                                       const std::string& best_saved_note);

}  // namespace nnrun
