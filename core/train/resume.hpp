// Checks before continuing a run from a checkpoint: the config must describe the same run.
#pragma once

#include <string>

#include "core/checkpoint/checkpoint.hpp"
#include "core/config/config.hpp"

namespace nnrun {

// Throws InputError naming the first differing key unless `given` equals the checkpoint's
// stored config up to what may change on a resume: training.epochs (to train longer),
// checkpoint.dir (the run continues in the checkpoint's folder), backend and threads.
void check_resume_compatible(const Config& given, const Checkpoint& checkpoint,
                             const std::string& path);

}  // namespace nnrun
