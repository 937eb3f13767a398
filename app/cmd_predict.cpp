// nnrun predict: one CSV row per input sample (predicted class and class probabilities, or
// the regression outputs), to stdout or written atomically to --output.
#include <iostream>

#include "app/commands.hpp"
#include "core/checkpoint/atomic_file.hpp"
#include "core/train/predict.hpp"

namespace nnrun::app {

int run_predict(const PredictOptions& options) {
  const Predictions predictions =
      predict_checkpoint(options.checkpoint_path, {options.input, options.backend});
  const std::string csv = predictions_csv(predictions);
  if (options.output.empty()) {
    std::cout << csv;
    return 0;
  }
  write_file_atomically(options.output, csv);
  std::cout << "wrote " << predictions.outputs.rows << " predictions to " << options.output << "\n";
  return 0;
}

}  // namespace nnrun::app
