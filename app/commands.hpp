// The subcommands. Each returns the process exit code; errors propagate as exceptions
// and main() maps them to exit codes.
#pragma once

#include <exception>
#include <string>
#include <vector>

#include "core/config/overrides.hpp"

namespace nnrun::app {

struct TrainOptions {
  std::string config_path;
  std::vector<ConfigOverride> overrides;  // --set KEY=VALUE and shortcuts, applied in order
  std::string resume;                     // checkpoint to continue from
  bool quiet = false;
};

struct EvalOptions {
  std::string checkpoint_path;
  std::string split = "val";
  std::string data;         // another data set: a CSV path or a source mapping
  std::string config_path;  // take the data section from this config instead
  std::string backend = "auto";
  bool json = false;
};

struct PredictOptions {
  std::string checkpoint_path;
  std::string input;   // a CSV file (label column optional) or a source mapping
  std::string output;  // CSV file; empty = stdout
  std::string backend = "auto";
};

struct InspectOptions {
  std::string checkpoint_path;
  bool json = false;
};

struct CheckOptions {
  std::string config_path;
  std::vector<ConfigOverride> overrides;  // as for train
};

// How an error that ends a command is printed: an InputError as it is (it names the file),
// a RuntimeFailure as "error: ...", anything else as an internal error.
std::string error_message(const std::exception& error);

int run_train(const TrainOptions& options);
int run_eval(const EvalOptions& options);
int run_check(const CheckOptions& options);
int run_predict(const PredictOptions& options);  // app/cmd_predict.cpp
int run_inspect(const InspectOptions& options);  // app/cmd_inspect.cpp

}  // namespace nnrun::app
