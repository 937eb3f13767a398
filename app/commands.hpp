// The subcommands. Each returns the process exit code; errors propagate as exceptions
// and main() maps them to exit codes.
#pragma once

#include <string>
#include <vector>

namespace nnrun::app {

struct TrainOptions {
  std::string config_path;
  std::vector<std::string> overrides;  // KEY=VALUE, applied in order
  bool quiet = false;
};

struct EvalOptions {
  std::string checkpoint_path;
  std::string split = "val";
  std::string data;  // another data set: a CSV path or a source mapping
  std::string backend = "auto";
  bool json = false;
};

struct CheckOptions {
  std::string config_path;
  std::vector<std::string> overrides;
};

int run_train(const TrainOptions& options);
int run_eval(const EvalOptions& options);
int run_check(const CheckOptions& options);

}  // namespace nnrun::app
