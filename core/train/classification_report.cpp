// Classification report and confusion matrix from class indices; MAE for regression.
#include "core/train/classification_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace nnrun {
namespace {

double ratio(std::int64_t part, std::int64_t whole) {
  return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

std::string padded(const std::string& text, std::size_t width) {
  return std::string(width > text.size() ? width - text.size() : 0, ' ') + text;
}

std::string fixed4(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", value);
  return buf;
}

}  // namespace

ClassificationReport classification_report(const std::vector<std::int32_t>& labels,
                                           const std::vector<std::int32_t>& predicted,
                                           std::vector<std::string> class_names) {
  if (labels.size() != predicted.size())
    throw std::invalid_argument("classification_report: labels and predictions differ in length");
  std::int32_t largest = -1;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] < 0 || predicted[i] < 0)
      throw std::invalid_argument("classification_report: negative class index");
    largest = std::max({largest, labels[i], predicted[i]});
  }
  while (static_cast<std::int32_t>(class_names.size()) <= largest)
    class_names.push_back(std::to_string(class_names.size()));

  const std::size_t k = class_names.size();
  ClassificationReport report;
  report.samples = static_cast<std::int64_t>(labels.size());
  report.confusion.assign(k, std::vector<std::int64_t>(k, 0));
  for (std::size_t i = 0; i < labels.size(); ++i) ++report.confusion[labels[i]][predicted[i]];

  std::int64_t averaged = 0;
  for (std::size_t c = 0; c < k; ++c) {
    ClassScores s;
    s.name = class_names[c];
    std::int64_t predicted_as = 0;
    for (std::size_t t = 0; t < k; ++t) {
      s.support += report.confusion[c][t];
      predicted_as += report.confusion[t][c];
    }
    const std::int64_t correct = report.confusion[c][c];
    s.precision = ratio(correct, predicted_as);
    s.recall = ratio(correct, s.support);
    s.f1 = s.precision + s.recall > 0 ? 2 * s.precision * s.recall / (s.precision + s.recall) : 0;
    const std::string quoted = "'" + s.name + "'";
    if (s.support == 0 && predicted_as == 0) {
      report.notes.push_back(quoted +
                             " has no samples and no predictions: left out of the macro averages");
    } else {
      if (predicted_as == 0)
        report.notes.push_back("precision of " + quoted +
                               " is 0: no sample was predicted as it (undefined; set to 0, "
                               "as scikit-learn does)");
      if (s.support == 0)
        report.notes.push_back("recall of " + quoted +
                               " is 0: the data has no sample of it (undefined; set to 0, "
                               "as scikit-learn does)");
      report.macro_precision += s.precision;
      report.macro_recall += s.recall;
      report.macro_f1 += s.f1;
      ++averaged;
    }
    report.per_class.push_back(s);
  }
  report.macro_classes = static_cast<std::int64_t>(averaged);
  if (averaged > 0) {
    report.macro_precision /= static_cast<double>(averaged);
    report.macro_recall /= static_cast<double>(averaged);
    report.macro_f1 /= static_cast<double>(averaged);
  }
  return report;
}

namespace {

// Wider than a screen it helps nobody: --json has it whatever the class count.
constexpr std::size_t kMostClassesInText = 20;
// Beyond this many notes (one a class: a model that never predicts 900 of 1,000 classes),
// the text shows the first few and a count.
constexpr std::size_t kMostNotesInText = 10;

void append_confusion_matrix(const ClassificationReport& report, std::size_t name_width,
                             std::string& out) {
  if (report.per_class.size() > kMostClassesInText) {
    out += "\nconfusion matrix: " + std::to_string(report.per_class.size()) +
           " classes, too wide to print (eval --json has it)\n";
    return;
  }
  out +=
      "\nconfusion matrix (rows: true class, columns: predicted class)\n" + padded("", name_width);
  std::vector<std::size_t> widths;
  for (std::size_t c = 0; c < report.per_class.size(); ++c) {
    std::size_t width = report.per_class[c].name.size();
    for (const auto& counts : report.confusion)
      width = std::max(width, std::to_string(counts[c]).size());
    widths.push_back(width + 2);
    out += padded(report.per_class[c].name, widths.back());
  }
  out += "\n";
  for (std::size_t t = 0; t < report.per_class.size(); ++t) {
    out += padded(report.per_class[t].name, name_width);
    for (std::size_t c = 0; c < widths.size(); ++c)
      out += padded(std::to_string(report.confusion[t][c]), widths[c]);
    out += "\n";
  }
}

void append_notes(const std::vector<std::string>& notes, std::string& out) {
  const std::size_t shown = notes.size() > kMostNotesInText ? kMostNotesInText / 2 : notes.size();
  for (std::size_t i = 0; i < shown; ++i) out += "note: " + notes[i] + "\n";
  if (shown < notes.size())
    out += "note: ... and " + std::to_string(notes.size() - shown) +
           " more notes of these kinds (eval --json lists them all)\n";
}

}  // namespace

std::string format_classification_report(const ClassificationReport& report) {
  std::size_t name_width = std::string("macro avg").size();
  for (const ClassScores& s : report.per_class) name_width = std::max(name_width, s.name.size());
  std::string out = padded("", name_width) + "  precision     recall   f1-score    support\n";
  const auto row = [&](const std::string& name, double p, double r, double f, std::int64_t n) {
    out += padded(name, name_width) + padded(fixed4(p), 11) + padded(fixed4(r), 11) +
           padded(fixed4(f), 11) + padded(std::to_string(n), 11) + "\n";
  };
  for (const ClassScores& s : report.per_class) row(s.name, s.precision, s.recall, s.f1, s.support);
  row("macro avg", report.macro_precision, report.macro_recall, report.macro_f1, report.samples);

  append_confusion_matrix(report, name_width, out);
  append_notes(report.notes, out);
  return out;
}

void write_classification_report(JsonWriter& json, const ClassificationReport& report) {
  json.key("per_class").begin_array();
  for (const ClassScores& s : report.per_class)
    json.begin_object()
        .field("class", s.name)
        .field("precision", s.precision)
        .field("recall", s.recall)
        .field("f1", s.f1)
        .field("support", static_cast<long long>(s.support))
        .end_object();
  json.end_array();
  json.key("macro_avg")
      .begin_object()
      .field("precision", report.macro_precision)
      .field("recall", report.macro_recall)
      .field("f1", report.macro_f1)
      .field("classes_averaged", static_cast<long long>(report.macro_classes))
      .end_object();
  json.key("confusion").begin_object().key("classes").begin_array();
  for (const ClassScores& s : report.per_class) json.value(s.name);
  json.end_array().key("matrix").begin_array();
  for (const auto& counts : report.confusion)
    json.inline_array(std::vector<long long>(counts.begin(), counts.end()));
  json.end_array().end_object();
  if (report.notes.empty()) return;
  json.key("notes").begin_array();
  for (const std::string& note : report.notes) json.value(note);
  json.end_array();
}

double mean_absolute_error(const HostMatrix& outputs, const HostMatrix& targets) {
  if (outputs.rows != targets.rows || outputs.cols != targets.cols)
    throw std::invalid_argument("mean_absolute_error: outputs and targets differ in shape");
  if (outputs.values.empty()) return std::nan("");
  double sum = 0.0;
  for (std::size_t i = 0; i < outputs.values.size(); ++i)
    sum += std::abs(static_cast<double>(outputs.values[i]) - targets.values[i]);
  return sum / static_cast<double>(outputs.values.size());
}

}  // namespace nnrun
