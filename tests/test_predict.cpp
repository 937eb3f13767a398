// nnrun predict end to end: rows and probabilities, agreement with eval's accuracy, input
// columns matched by name, missing columns, --output, source mappings and regression.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "tests/cli_runner.hpp"

using namespace nnrun::testing;

namespace {

std::string train_iris(const TempDir& dir) {
  const std::string run = dir.file("run");
  const CommandResult r =
      run_nnrun("train " + source_path("configs/iris.yaml") + " -q --epochs 40 --run-dir " + run);
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  return run;
}

// Correctly classified samples of a split, from eval's accuracy and sample count.
long long eval_correct(const std::string& checkpoint, const std::string& split) {
  const CommandResult r = run_nnrun("eval " + checkpoint + " --json --split " + split);
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  return std::llround(json_value(r.output, "accuracy") * json_value(r.output, "samples"));
}

// A CSV text with its columns picked (and reordered) by name.
std::string pick_columns(const std::string& csv, const std::vector<std::string>& names) {
  const std::vector<std::string> lines = split(csv, '\n');
  const std::vector<std::string> header = split(lines[0], ',');
  std::vector<std::size_t> index;
  for (const std::string& name : names)
    index.push_back(std::find(header.begin(), header.end(), name) - header.begin());
  std::string out;
  for (const std::string& line : lines) {
    const std::vector<std::string> cells = split(line, ',');
    for (std::size_t i = 0; i < index.size(); ++i) out += (i ? "," : "") + cells.at(index[i]);
    out += "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("predict on iris.csv: 150 rows whose accuracy is eval's on train and val together") {
  TempDir dir("predict-iris");
  const std::string ckpt = train_iris(dir) + "/best.ckpt";
  const std::string iris = source_path("datasets/iris.csv");
  const CommandResult r = run_nnrun("predict " + ckpt + " --input " + iris);
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  const std::vector<std::string> rows = split(r.output, '\n');
  REQUIRE(rows.size() == 151);
  CHECK(rows[0] == "predicted,p_setosa,p_versicolor,p_virginica");
  const std::vector<std::string> truth = split(read_file(iris), '\n');
  const char* names[] = {"setosa", "versicolor", "virginica"};
  long long correct = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const std::vector<std::string> cells = split(rows[i], ',');
    REQUIRE(cells.size() == 4);
    double sum = 0, best = -1;
    std::string most_likely;
    for (std::size_t c = 0; c < 3; ++c) {
      const double p = std::strtod(cells[c + 1].c_str(), nullptr);
      CHECK(p >= 0);
      sum += p;
      if (p > best) best = p, most_likely = names[c];
    }
    CHECK(std::abs(sum - 1.0) < 1e-6);  // 9 digits: within f32 rounding of the softmax
    CHECK(cells[0] == most_likely);
    if (cells[0] == split(truth[i], ',').back()) ++correct;
  }
  // Every sample of iris.csv is in the training or the validation split.
  CHECK(correct == eval_correct(ckpt, "train") + eval_correct(ckpt, "val"));
  CHECK(correct >= 135);
}

TEST_CASE("predict matches feature columns by name and writes --output") {
  TempDir dir("predict-columns");
  const std::string ckpt = train_iris(dir) + "/best.ckpt";
  const std::string iris_text = read_file(source_path("datasets/iris.csv"));
  const std::string iris = dir.write("iris.csv", iris_text);
  const CommandResult plain = run_nnrun("predict " + ckpt + " --input " + iris);
  REQUIRE_MESSAGE(plain.exit_code == 0, plain.output);

  const std::string shuffled =
      dir.write("shuffled.csv", pick_columns(iris_text, {"species", "petal_width", "sepal_length",
                                                         "petal_length", "sepal_width"}));
  CHECK(run_nnrun("predict " + ckpt + " --input " + shuffled).output == plain.output);
  const std::string features_only = dir.write(
      "features.csv",
      pick_columns(iris_text, {"sepal_width", "sepal_length", "petal_width", "petal_length"}));
  CHECK(run_nnrun("predict " + ckpt + " --input " + features_only).output == plain.output);
  const std::string mapping = "'{format: csv, path: " + iris + "}'";
  CHECK(run_nnrun("predict " + ckpt + " --input " + mapping).output == plain.output);

  const std::string missing = dir.write(
      "missing.csv", pick_columns(iris_text, {"sepal_length", "sepal_width", "petal_length"}));
  const CommandResult bad = run_nnrun("predict " + ckpt + " --input " + missing);
  CHECK(bad.exit_code == 2);
  CHECK(bad.output.find("petal_width") != std::string::npos);
  CHECK(bad.output.find(missing) != std::string::npos);

  const std::string out = dir.file("out/predictions.csv");
  std::filesystem::create_directories(dir.file("out"));
  const CommandResult written =
      run_nnrun("predict " + ckpt + " --input " + iris + " --output " + out);
  REQUIRE_MESSAGE(written.exit_code == 0, written.output);
  CHECK(read_file(out) == plain.output);
}

TEST_CASE("predict with a regression checkpoint prints the outputs") {
  TempDir dir("predict-line");
  const std::string config = dir.write(
      "line.yaml",
      "data:\n"
      "  train: {format: synthetic, generator: line, samples: 200, slope: 2, intercept: 1, "
      "noise: 0.1}\n"
      "  validation: {split: 0.2}\n"
      "model:\n  layers:\n    - dense: {units: 1}\n"
      "loss: mse\n"
      "optimizer: {type: adam, lr: 0.05}\n"
      "training: {epochs: 80, batch_size: 20}\n");
  const std::string run = dir.file("run");
  REQUIRE(run_nnrun("train " + config + " -q --run-dir " + run).exit_code == 0);
  // Normalization is applied: the raw x values 0 and 1 give about 1 and 3.
  const std::string input = dir.write("x.csv", "x,unused\n0,7\n1,7\n");
  const CommandResult r = run_nnrun("predict " + run + "/best.ckpt --input " + input);
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  const std::vector<std::string> rows = split(r.output, '\n');
  REQUIRE(rows.size() == 3);
  CHECK(rows[0] == "prediction");
  CHECK(std::strtod(rows[1].c_str(), nullptr) == doctest::Approx(1.0).epsilon(0.1));
  CHECK(std::strtod(rows[2].c_str(), nullptr) == doctest::Approx(3.0).epsilon(0.1));
  // A source mapping, as eval's --data takes.
  const CommandResult mapped =
      run_nnrun("predict " + run +
                "/best.ckpt --input '{format: synthetic, generator: line, samples: 25, noise: 0}'");
  REQUIRE_MESSAGE(mapped.exit_code == 0, mapped.output);
  CHECK(split(mapped.output, '\n').size() == 26);
}
