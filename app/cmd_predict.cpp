// nnrun predict: one CSV row per input sample (predicted class and class probabilities, or
// the regression outputs), to stdout or written atomically to --output.
#include <filesystem>
#include <iostream>
#include <system_error>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "app/commands.hpp"
#include "core/checkpoint/atomic_file.hpp"
#include "core/errors.hpp"
#include "core/train/predict.hpp"

namespace nnrun::app {
namespace {

bool same_file(const std::string& a, const std::string& b) {
  std::error_code error;  // false when either is missing
  return std::filesystem::equivalent(a, b, error);
}

// The files --input reads: the file itself, or those a source mapping names
// ('{format: idx, images: I, labels: L}'). A mapping that does not parse names none here;
// reading it reports the error.
std::vector<std::string> input_files(const std::string& input) {
  if (input.empty() || input.front() != '{') return {input};
  std::vector<std::string> files;
  try {
    const YAML::Node mapping = YAML::Load(input);
    for (const char* key : {"path", "images", "labels"})
      if (mapping.IsMap() && mapping[key] && mapping[key].IsScalar())
        files.push_back(mapping[key].Scalar());
  } catch (const YAML::Exception&) {
  }
  return files;
}

// Writing the predictions over the checkpoint or the input would destroy what they came from.
void refuse_output_over_a_source(const PredictOptions& options) {
  if (same_file(options.output, options.checkpoint_path))
    throw InputError("--output " + options.output + ": is the checkpoint being read (" +
                     options.checkpoint_path + "); write the predictions to another file");
  for (const std::string& input : input_files(options.input))
    if (same_file(options.output, input))
      throw InputError("--output " + options.output + ": is the input being read (" + input +
                       "); write the predictions to another file");
}

}  // namespace

int run_predict(const PredictOptions& options) {
  if (!options.output.empty()) refuse_output_over_a_source(options);
  const Predictions predictions =
      predict_checkpoint(options.checkpoint_path, {options.input, options.backend});
  const std::string csv = predictions_csv(predictions);
  if (options.output.empty()) {
    std::cout << csv;
    return 0;
  }
  write_file_atomically(options.output, csv);
  // Not into /dev/stdout or a pipe, where the note would become a row of the CSV.
  std::error_code error;
  if (std::filesystem::is_regular_file(options.output, error))
    std::cout << "wrote " << predictions.outputs.rows << " predictions to " << options.output
              << "\n";
  return 0;
}

}  // namespace nnrun::app
