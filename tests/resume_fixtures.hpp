// Resume tests start from a whole Iris run: configs/iris.yaml trains to epoch 131, where early
// stopping ends it (best epoch 101).
#pragma once

#include <cstdint>
#include <string>

#include "core/checkpoint/checkpoint.hpp"
#include "tests/cli_runner.hpp"

namespace nnrun::testing {

inline const std::string& iris_config() {
  static const std::string path = source_path("configs/iris.yaml");
  return path;
}

// Trains configs/iris.yaml to its early stop into dir/run (with `extra` arguments).
inline std::string train_iris_to_early_stop(const TempDir& dir, const std::string& extra = "") {
  const std::string run = dir.file("run");
  const CommandResult r = run_nnrun("train " + iris_config() + " -q --run-dir " + run + extra);
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  REQUIRE(load_checkpoint(run + "/last.ckpt").epoch == 131);
  return run;
}

inline std::int64_t checkpoint_epoch(const std::string& checkpoint) {
  return load_checkpoint(checkpoint).epoch;
}

}  // namespace nnrun::testing
