// eval's classification report and regression MAE: the confusion matrix agrees with the
// accuracy of the training's evaluation pass; per-class scores follow from the matrix.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>

#include "core/train/classification_report.hpp"
#include "tests/cli_runner.hpp"

using namespace nnrun::testing;

namespace {

// The text of the JSON array that follows "key": from '[' to its matching ']'.
std::string json_array(const std::string& json, const std::string& key) {
  const std::size_t begin = json.find('[', json.find("\"" + key + "\": "));
  REQUIRE_MESSAGE(begin != std::string::npos, (key + " in " + json));
  int depth = 0;
  for (std::size_t i = begin; i < json.size(); ++i) {
    depth += json[i] == '[' ? 1 : json[i] == ']' ? -1 : 0;
    if (depth == 0) return json.substr(begin, i - begin + 1);
  }
  FAIL("unbalanced array " << key);
  return "";
}

// "[[1, 2], [3, 4]]" -> rows of numbers.
std::vector<std::vector<double>> matrix_of(const std::string& text) {
  std::vector<std::vector<double>> rows;
  for (std::size_t i = 1; i + 1 < text.size(); ++i) {
    if (text[i] == '[') rows.emplace_back();
    const char c = text[i];
    if ((c >= '0' && c <= '9') && (text[i - 1] < '0' || text[i - 1] > '9')) {
      rows.back().push_back(std::strtod(text.c_str() + i, nullptr));
    }
  }
  return rows;
}

std::string train_iris(const TempDir& dir) {
  const std::string run = dir.file("run");
  const CommandResult r =
      run_nnrun("train " + source_path("configs/iris.yaml") + " -q --epochs 40 --run-dir " + run);
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  return run;
}

}  // namespace

TEST_CASE("eval report: the confusion matrix agrees with accuracy and per-class recall") {
  TempDir dir("eval-report");
  const std::string run = train_iris(dir);
  for (const std::string split : {"val", "train"}) {
    CAPTURE(split);
    const CommandResult eval = run_nnrun("eval " + run + "/best.ckpt --json --split " + split);
    REQUIRE_MESSAGE(eval.exit_code == 0, eval.output);
    const std::string& json = eval.output;
    const std::string classes = json_array(json, "classes");
    CHECK(classes.find("\"setosa\"") < classes.find("\"versicolor\""));
    CHECK(classes.find("\"versicolor\"") < classes.find("\"virginica\""));
    const auto matrix = matrix_of(json_array(json, "matrix"));
    REQUIRE(matrix.size() == 3);
    double total = 0, diagonal = 0;
    for (std::size_t t = 0; t < 3; ++t) {
      REQUIRE(matrix[t].size() == 3);
      for (double n : matrix[t]) total += n;
      diagonal += matrix[t][t];
    }
    CHECK(total == json_value(json, "samples"));
    CHECK(diagonal / total == doctest::Approx(json_value(json, "accuracy")).epsilon(1e-12));
    // per_class entries come in class order; recall = diagonal / row sum, support = row sum.
    std::size_t at = json.find("\"per_class\"");
    const char* names[] = {"setosa", "versicolor", "virginica"};
    for (std::size_t c = 0; c < 3; ++c) {
      at = json.find("\"class\": ", at + 1);
      CHECK(json.compare(at + 9, std::string(names[c]).size() + 2,
                         "\"" + std::string(names[c]) + "\"") == 0);
      const double row = matrix[c][0] + matrix[c][1] + matrix[c][2];
      CHECK(json_value(json, "recall", at) == doctest::Approx(matrix[c][c] / row));
      CHECK(json_value(json, "support", at) == row);
    }
    CHECK(json.find("\"macro_avg\"") != std::string::npos);
  }
  const CommandResult text = run_nnrun("eval " + run + "/best.ckpt");
  REQUIRE_MESSAGE(text.exit_code == 0, text.output);
  CHECK(text.output.find("macro avg") != std::string::npos);
  CHECK(text.output.find("confusion matrix (rows: true class") != std::string::npos);
}

TEST_CASE("classification_report: a class never predicted has precision 0 and a note") {
  // true: a a b b c ; predicted: a b b b b  (c is never predicted; nothing is predicted as c)
  const auto r = nnrun::classification_report({0, 0, 1, 1, 2}, {0, 1, 1, 1, 1}, {"a", "b", "c"});
  REQUIRE(r.per_class.size() == 3);
  CHECK(r.confusion[0] == std::vector<std::int64_t>{1, 1, 0});
  CHECK(r.confusion[2] == std::vector<std::int64_t>{0, 1, 0});
  CHECK(r.per_class[0].precision == 1.0);
  CHECK(r.per_class[0].recall == 0.5);
  CHECK(r.per_class[1].precision == doctest::Approx(0.5));
  CHECK(r.per_class[1].recall == 1.0);
  CHECK(r.per_class[2].precision == 0.0);
  CHECK(r.per_class[2].f1 == 0.0);
  CHECK(r.macro_recall == doctest::Approx(0.5));
  REQUIRE(r.notes.size() == 1);
  CHECK(r.notes[0].find("precision of 'c' is 0") != std::string::npos);
  // A class with no samples and no predictions is left out of the macro averages.
  const auto absent = nnrun::classification_report({0, 1}, {0, 1}, {"a", "b", "c"});
  CHECK(absent.macro_f1 == 1.0);
  CHECK(absent.macro_classes == 2);
  nnrun::JsonWriter json;
  json.begin_object();
  nnrun::write_classification_report(json, absent);
  json.end_object();
  const std::string text = json.str();
  CHECK_MESSAGE(json_value(text, "classes_averaged") == 2, text);
}

TEST_CASE("classification_report at 40 classes: no matrix in text and few notes / JSON rows") {
  // 40 classes, every sample predicted as class 0: 39 classes never predicted, 39 notes.
  std::vector<std::int32_t> labels, predicted;
  std::vector<std::string> names;
  for (int c = 0; c < 40; ++c) {
    names.push_back("class" + std::to_string(c));
    labels.push_back(c);
    predicted.push_back(0);
  }
  const auto r = nnrun::classification_report(labels, predicted, names);
  REQUIRE(r.notes.size() == 39);
  const std::string text = nnrun::format_classification_report(r);
  CHECK(text.find("confusion matrix: 40 classes, too wide to print (eval --json has it)") !=
        std::string::npos);
  CHECK(text.find("rows: true class") == std::string::npos);
  std::size_t note_lines = 0;
  for (std::size_t at = text.find("note: "); at != std::string::npos;
       at = text.find("note: ", at + 1))
    ++note_lines;
  CHECK(note_lines == 6);  // 5 notes and the count of the rest
  CHECK(text.find("note: ... and 34 more notes") != std::string::npos);

  nnrun::JsonWriter json;
  json.begin_object();
  nnrun::write_classification_report(json, r);
  json.end_object();
  const std::string out = json.str();
  // Each matrix row on one line, every note kept.
  CHECK(out.find("[1, 0, 0, 0") != std::string::npos);
  CHECK(out.find("precision of 'class39' is 0") != std::string::npos);
  CHECK(matrix_of(json_array(out, "matrix")).size() == 40);
}
