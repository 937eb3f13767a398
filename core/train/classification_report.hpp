// Per-class precision, recall, F1 and support, macro averages and a confusion matrix, as
// scikit-learn's classification_report and confusion_matrix define them; and regression MAE.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/data/dataset.hpp"
#include "core/util/json_writer.hpp"

namespace nnrun {

struct ClassScores {
  std::string name;
  double precision = 0;  // correct / predicted as this class; 0 when none was predicted
  double recall = 0;     // correct / support; 0 when the class has no samples
  double f1 = 0;         // harmonic mean of the two; 0 when both are 0
  std::int64_t support = 0;
};

struct ClassificationReport {
  std::vector<ClassScores> per_class;
  // Unweighted means over the classes that occur among the true or the predicted labels
  // (scikit-learn's default label set).
  double macro_precision = 0, macro_recall = 0, macro_f1 = 0;
  std::int64_t macro_classes = 0;                    // how many classes the means are over
  std::vector<std::vector<std::int64_t>> confusion;  // [true class][predicted class]
  std::int64_t samples = 0;
  std::vector<std::string> notes;  // scores that were undefined and set to 0
};

// labels and predicted: class indices, one per sample. Indices past class_names get their
// number as a name.
ClassificationReport classification_report(const std::vector<std::int32_t>& labels,
                                           const std::vector<std::int32_t>& predicted,
                                           std::vector<std::string> class_names);

// Text: a per-class table with the macro averages, the confusion matrix, then the notes.
std::string format_classification_report(const ClassificationReport& report);
// Adds "per_class", "macro_avg", "confusion" and (when there are any) "notes" to the
// object being written.
void write_classification_report(JsonWriter& json, const ClassificationReport& report);

// Mean over samples and output columns of |output - target|.
double mean_absolute_error(const HostMatrix& outputs, const HostMatrix& targets);

}  // namespace nnrun
