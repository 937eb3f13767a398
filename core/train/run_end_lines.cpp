#include "core/train/run_end_lines.hpp"

#include "core/train/run_files.hpp"

namespace nnrun {

std::vector<std::string> run_end_lines(const TrainSummary& summary,
                                       const std::string& best_saved_note) {
  std::vector<std::string> lines{"stopped: " + summary.stop_reason};
  if (summary.best_epoch > 0)
    lines.push_back("best " + summary.monitor + " " + format_metric(summary.best_value) +
                    " at epoch " + std::to_string(summary.best_epoch) + best_saved_note);
  else
    lines.push_back("no epoch finished with a finite " + summary.monitor +
                    ": no best.ckpt was saved");
  std::string final_line = "final model (" + summary.final_weights + "): val loss " +
                           format_metric(summary.final_val.loss) + ", val error " +
                           format_metric(summary.final_val.error);
  if (summary.final_test)
    final_line += "; test loss " + format_metric(summary.final_test->loss) + ", test error " +
                  format_metric(summary.final_test->error);
  lines.push_back(final_line);
  return lines;
}

}  // namespace nnrun
