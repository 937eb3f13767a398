// Non-finite values in a checkpoint's tensors: what a diverged run leaves behind. The reader
// accepts them (the file is intact, and `inspect` must show it); a model must not use them.
#pragma once

#include <string>
#include <vector>

#include "core/checkpoint/checkpoint.hpp"

namespace nnrun {

// The names of the tensors holding a NaN or an infinity, in file order (one pass over all).
std::vector<std::string> non_finite_tensors(const Checkpoint& checkpoint);

// Throws InputError naming `path`, the first model parameter tensor (`layers.*`) holding a
// NaN or an infinity and where, with a hint that the run diverged. For eval, predict and
// resume, before a model is built: its outputs would be NaN, written as if they were results.
void check_parameters_finite(const Checkpoint& checkpoint, const std::string& path);

// The same for every tensor, the optimizer's state and the normalizer included: for a resume,
// which continues from all of them.
void check_all_tensors_finite(const Checkpoint& checkpoint, const std::string& path);

}  // namespace nnrun
