// Tests for core/data: CSV loading and its error messages and the seeded stratified
// validation split (normalization: test_normalizer.cpp). Fixtures go to a fresh temp folder.
#include <doctest/doctest.h>

#include <unistd.h>
#include "tests/temp_dir.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "core/data/csv_reader.hpp"
#include "core/data/split.hpp"
#include "core/errors.hpp"
#include "core/train/data_pipeline.hpp"
#include "tests/temp_dir.hpp"

using namespace nnrun;
namespace fs = std::filesystem;

using nnrun::testing::TempDir;

namespace {

const std::string iris_path = NNRUN_SOURCE_DIR "/datasets/iris.csv";

// The DataError message load_csv gives, or a marker when it throws none.
std::string load_error(const std::string& path, const std::string& label = "",
                       Task task = Task::classification) {
  try {
    load_csv(path, label, task);
  } catch (const DataError& error) {
    return error.what();
  }
  return "<no DataError>";
}

// Iris with each sample's row number as its only feature, so a split shows which rows went
// where (Iris itself has duplicate rows).
Dataset iris_with_row_ids() {
  Dataset dataset = load_csv(iris_path, "species", Task::classification);
  dataset.features.cols = 1;
  dataset.features.values.resize(static_cast<std::size_t>(dataset.size()));
  for (std::int64_t row = 0; row < dataset.size(); ++row) dataset.features.at(row, 0) = row;
  return dataset;
}

std::vector<std::int64_t> row_ids(const Dataset& part) {
  return {part.features.values.begin(), part.features.values.end()};
}

}  // namespace

TEST_CASE("load_csv: string labels become sorted class names") {
  TempDir dir;
  const auto path = dir.write("a.csv", "x,y,species\n1,2,versicolor\n3,4,setosa\n5,6,versicolor\n");
  const Dataset data = load_csv(path, "species", Task::classification);
  CHECK(data.size() == 3);
  CHECK(data.features.cols == 2);
  CHECK(data.features.values == std::vector<float>{1, 2, 3, 4, 5, 6});
  CHECK(data.feature_names == std::vector<std::string>{"x", "y"});
  CHECK(data.class_names == std::vector<std::string>{"setosa", "versicolor"});
  CHECK(data.labels == std::vector<std::int32_t>{1, 0, 1});
  CHECK(data.source == path);
}

TEST_CASE("load_csv: integer labels sort numerically / label by index or last column") {
  TempDir dir;
  const auto path = dir.write("d.csv", "digit,p,q\n10,1,2\n2,3,4\n0,5,6\n2,7,8\n");
  const Dataset by_index = load_csv(path, "0", Task::classification);
  CHECK(by_index.class_names == std::vector<std::string>{"0", "2", "10"});
  CHECK(by_index.labels == std::vector<std::int32_t>{2, 1, 0, 1});
  CHECK(by_index.feature_names == std::vector<std::string>{"p", "q"});
  CHECK(by_index.features.values == std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8});

  const Dataset last = load_csv(path, "", Task::classification);  // q: 2, 4, 6, 8
  CHECK(last.feature_names == std::vector<std::string>{"digit", "p"});
  CHECK(last.class_names == std::vector<std::string>{"2", "4", "6", "8"});
}

TEST_CASE("load_csv: decimal labels sort by value and equal values are one class") {
  TempDir dir;
  const auto path = dir.write("d.csv", "a,y\n1,1.0\n2,10.0\n3,2.0\n4,+1\n5,2.5\n");
  const Dataset data = load_csv(path, "y", Task::classification);
  CHECK(data.class_names == std::vector<std::string>{"1", "2", "2.5", "10"});
  CHECK(data.labels == std::vector<std::int32_t>{0, 3, 1, 0, 2});
  const auto zeros = dir.write("z.csv", "a,y\n1,-0.0\n2,0\n3,0.5\n");
  CHECK(load_csv(zeros, "y", Task::classification).class_names ==
        std::vector<std::string>{"0", "0.5"});
  const auto plus = dir.write("p.csv", "a,y\n1,+1\n2,1\n3,2\n");  // integers: 1 and +1 alike
  CHECK(load_csv(plus, "y", Task::classification).class_names ==
        std::vector<std::string>{"1", "2"});
}

TEST_CASE("load_csv: a compressed or UTF-16 file says what it is") {
  TempDir dir;
  const auto gz = dir.write("d.csv.gz", std::string("\x1f\x8b\x08\x00rest", 8));
  const auto utf16 = dir.write("u.csv", std::string("\xff\xfe"
                                                    "a\0,\0y\0",
                                                    8));
  for (const auto& [path, expected] :
       {std::pair{gz, ": is gzip-compressed"}, std::pair{utf16, ": is UTF-16 text"}}) {
    try {
      load_csv(path, "y", Task::classification);
      FAIL("loaded " << path);
    } catch (const DataError& e) {
      CHECK(std::string(e.what()).rfind(path + expected, 0) == 0);
    }
  }
}

TEST_CASE("load_csv: regression targets") {
  TempDir dir;
  const auto path = dir.write("r.csv", "x,y\n1,0.5\n2,-1.5e2\n");
  const Dataset data = load_csv(path, "y", Task::regression);
  CHECK(data.task == Task::regression);
  CHECK(data.targets.rows == 2);
  CHECK(data.targets.cols == 1);
  CHECK(data.targets.values == std::vector<float>{0.5f, -150.0f});
  CHECK(data.labels.empty());
  CHECK(data.class_names.empty());
}

TEST_CASE("load_csv: quoting / CRLF / BOM / spaces and blank lines") {
  TempDir dir;
  const std::string text =
      "\xEF\xBB\xBF\"first, name\", b ,label\r\n"
      "\" 1.5 \",  +2 ,\"say \"\"hi\"\"\"\r\n"
      "3,4,\"two\r\nlines\"\r\n"
      "\r\n"
      "5 ,6e0,  plain  \r\n"
      "\r\n\r\n";
  const Dataset data = load_csv(dir.write("q.csv", text), "label", Task::classification);
  CHECK(data.feature_names == std::vector<std::string>{"first, name", "b"});
  CHECK(data.features.values == std::vector<float>{1.5f, 2, 3, 4, 5, 6});
  CHECK(data.class_names == std::vector<std::string>{"plain", "say \"hi\"", "two\r\nlines"});
  CHECK(data.labels == std::vector<std::int32_t>{1, 2, 0});
}

TEST_CASE("load_csv: integer cells read exactly as the general number parser reads them") {
  // Up to 9 digits take a fast path; longer ones, decimals and signs other than '-' do not.
  // Both must give the float that from_chars' double, rounded once, gives.
  const std::vector<std::string> cells = {"0",          "-0",          "007",        "255",
                                          " 42 ",       "+5",          "-12",        "16777217",
                                          "123456789",  "-999999999",  "1234567890", "2147483648",
                                          "0000000001", "-0000000001", "1e3",        "0.5"};
  std::string text = "x,label\n";
  for (const std::string& cell : cells) text += cell + ",a\n";
  TempDir dir;
  const Dataset data = load_csv(dir.write("ints.csv", text), "label", Task::classification);
  REQUIRE(data.features.values.size() == cells.size());
  for (std::size_t i = 0; i < cells.size(); ++i) {
    CAPTURE(cells[i]);
    std::string trimmed = cells[i];
    trimmed.erase(0, trimmed.find_first_not_of(' '));
    trimmed.erase(trimmed.find_last_not_of(' ') + 1);
    if (trimmed.front() == '+') trimmed.erase(0, 1);
    const float expected = static_cast<float>(std::stod(trimmed));
    const float got = data.features.values[i];
    CHECK(std::memcmp(&got, &expected, sizeof got) == 0);  // bit for bit: -0 stays -0
  }
}

TEST_CASE("load_csv: many blank lines after few wide rows load as before") {
  // The rows are reserved from the line count, bounded by the bytes a row needs at least:
  // 2,000 columns and a million blank lines must not reserve two billion floats.
  std::string header, row;
  for (int c = 0; c < 2000; ++c) {
    header += "c" + std::to_string(c) + ",";
    row += std::to_string(c % 7) + ",";
  }
  TempDir dir;
  const std::string text =
      header + "label\n" + row + "a\n" + row + "b\n" + std::string(1000000, '\n');
  const Dataset data = load_csv(dir.write("blank.csv", text), "label", Task::classification);
  CHECK(data.size() == 2);
  CHECK(data.features.cols == 2000);
  CHECK(data.features.values.capacity() < 1000 * 2000);
}

TEST_CASE("release_samples frees the values of every set and keeps their shapes and names") {
  PreparedData data;
  data.train = load_csv(iris_path, "species", Task::classification);
  data.validation = data.train;
  data.test = data.train;
  release_samples(data);
  for (const Dataset* d : {&data.train, &data.validation, &*data.test}) {
    CHECK(d->features.values.capacity() == 0);  // freed, not only emptied
    CHECK(d->labels.capacity() == 0);
    CHECK(d->size() == 150);
    CHECK(d->features.cols == 4);
    CHECK(d->class_names.size() == 3);
  }
}

TEST_CASE("load_csv: every error names the file and line") {
  TempDir dir;
  const auto check = [&](const std::string& text, const std::string& expected,
                         const std::string& label = "", Task task = Task::classification) {
    const auto path = dir.write("e.csv", text);
    CHECK(load_error(path, label, task) == path + expected);
  };
  CHECK(load_error(dir.file("missing.csv")) == dir.file("missing.csv") + ": file not found");
  CHECK(load_error(dir.path().string()) ==
        dir.path().string() + ": is a directory, expected a CSV file");
  check("", ":1: file is empty; expected a header row");
  check("a,b\n\n", ":1: no data rows after the header");
  check("a,b,c,d,e\n1,2,3,4,x\n1,2,3,4\n", ":3: row has 4 fields, header has 5");
  check("sepal_width,y\nabc,a\n", ":2: column 'sepal_width': \"abc\" is not a number");
  check("a,y\n1,p\n1.5.2,q\n", ":3: column 'a': \"1.5.2\" is not a number");
  check("a,y\n1,p\n\n nan ,q\n", ":4: column 'a': \"nan\" is not a finite number");
  check("a,y\n-inf,p\n", ":2: column 'a': \"-inf\" is not a finite number");
  check("a,y\n1e39,p\n", ":2: column 'a': \"1e39\" is out of range for a 32-bit float");
  check("a,y\n,p\n", ":2: column 'a': empty cell, expected a number");
  check("a,y\n1, \n", ":2: column 'y': empty label");
  check("a,b,c\n1,2,3\n", ":1: no column 'species'; columns are: a, b, c", "species");
  check("a,species\n1,x\n",
        ":1: no column 'specis' (did you mean 'species'?); columns are: a, species", "specis");
  check("a,b,c\n1,2,3\n",
        ":1: label column index 3 is out of range: the header has 3 columns (0 to 2)", "3");
  check("a,b,a\n1,2,3\n", ":1: duplicate column name 'a' (columns 0 and 2, counting from 0)");
  check("y\n1\n2\n", ":1: no feature columns besides the label");
  check("a,y\n1,2\n3,big\n", ":3: column 'y': \"big\" is not a number", "y", Task::regression);
  // A line break inside quotes counts, so the ragged row is reported on its real line.
  check("a,y\n1,\"x\ny\"\n2\n", ":4: row has 1 fields, header has 2");
  check("a,y\n1,\"open\n", ":2: quoted field is never closed");
  check("a,y\n1,\"p\"q\n", ":2: unexpected text after a closing quote");
}

TEST_CASE("load_csv: an unreadable file") {
  if (geteuid() == 0) return;  // root reads files whatever their mode
  TempDir dir;
  const auto path = dir.write("locked.csv", "a,b\n1,2\n");
  fs::permissions(path, fs::perms::none);
  CHECK(load_error(path) == path + ": cannot open for reading: Permission denied");
}

TEST_CASE("load_csv: the shipped Iris data") {
  const Dataset iris = load_csv(iris_path, "species", Task::classification);
  CHECK(iris.size() == 150);
  CHECK(iris.features.cols == 4);
  CHECK(iris.feature_names ==
        std::vector<std::string>{"sepal_length", "sepal_width", "petal_length", "petal_width"});
  CHECK(iris.class_names == std::vector<std::string>{"setosa", "versicolor", "virginica"});
  for (std::int32_t label = 0; label < 3; ++label) {
    CHECK(std::count(iris.labels.begin(), iris.labels.end(), label) == 50);
  }
  CHECK(iris.features.at(0, 0) == doctest::Approx(5.1));  // first row: 5.1,3.5,1.4,0.2,setosa
}

TEST_CASE("split: stratified Iris keeps 10 of each class / disjoint and complete") {
  const Dataset all = iris_with_row_ids();
  const TrainValidation parts = split_train_validation(all, 0.2, true, 42);
  CHECK(parts.train.size() == 120);
  CHECK(parts.validation.size() == 30);
  for (std::int32_t label = 0; label < 3; ++label) {
    const auto& labels = parts.validation.labels;
    CHECK(std::count(labels.begin(), labels.end(), label) == 10);
  }
  const auto train_ids = row_ids(parts.train);
  const auto validation_ids = row_ids(parts.validation);
  CHECK(std::is_sorted(train_ids.begin(), train_ids.end()));  // original order kept
  CHECK(std::is_sorted(validation_ids.begin(), validation_ids.end()));
  std::set<std::int64_t> seen(train_ids.begin(), train_ids.end());
  seen.insert(validation_ids.begin(), validation_ids.end());
  CHECK(seen.size() == 150);  // 120 + 30 distinct rows: disjoint, and together all rows
  for (std::size_t i = 0; i < validation_ids.size(); ++i) {
    CHECK(parts.validation.labels[i] == all.labels[validation_ids[i]]);  // labels follow rows
  }

  CHECK(row_ids(split_train_validation(all, 0.2, true, 42).validation) == validation_ids);
  CHECK(row_ids(split_train_validation(all, 0.2, true, 43).validation) != validation_ids);
}

TEST_CASE("split: unstratified and regression round the whole set / empty parts are errors") {
  Dataset all;
  all.task = Task::regression;
  all.features = {10, 1, std::vector<float>(10, 1.0f)};
  all.targets = {10, 1, std::vector<float>(10, 2.0f)};
  const TrainValidation parts = split_train_validation(all, 0.25, true, 7);
  CHECK(parts.validation.size() == 3);  // round(2.5) = 3: halves round up
  CHECK(parts.train.size() == 7);
  CHECK(parts.train.targets.rows == 7);
  CHECK_THROWS_AS(split_train_validation(all, 0.01, false, 7), InputError);  // round(0.1) = 0
  CHECK_THROWS_AS(split_train_validation(all, 0.99, false, 7), InputError);  // round(9.9) = 10
  CHECK_THROWS_AS(split_train_validation(all, 0.0, false, 7), InputError);
  CHECK_THROWS_AS(split_train_validation(all, 1.0, false, 7), InputError);
}

TEST_CASE("split: a label with a class a row points at a continuous target") {
  Dataset all;
  all.source = "reg.csv";
  all.features = {8, 1, std::vector<float>(8, 1.0f)};
  for (int i = 0; i < 8; ++i) {
    all.labels.push_back(i);
    all.class_names.push_back(std::to_string(100.5 + i));
  }
  std::string message;
  try {
    split_train_validation(all, 0.25, true, 7);
  } catch (const InputError& e) {
    message = e.what();
  }
  CHECK(message ==
        "reg.csv: validation split 0.25 of 8 rows leaves the validation set empty (stratified, "
        "with 8 classes for 8 rows: is the label a continuous target? then use loss: mse)");
}
