// The stratified validation split holds out round(fraction * size) rows in all, like the
// unstratified one, spread over the classes by largest remainder.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/data/split.hpp"
#include "core/errors.hpp"

using namespace nnrun;

namespace {

// A classification set whose class k has sizes[k] rows (in class order); feature = row id.
Dataset with_class_sizes(const std::vector<int>& sizes) {
  Dataset data;
  data.task = Task::classification;
  data.features.cols = 1;
  for (std::size_t k = 0; k < sizes.size(); ++k) {
    data.class_names.push_back(std::to_string(k));
    for (int i = 0; i < sizes[k]; ++i) {
      data.features.values.push_back(static_cast<float>(data.features.rows++));
      data.labels.push_back(static_cast<std::int32_t>(k));
    }
  }
  return data;
}

std::vector<std::int64_t> per_class(const Dataset& data, std::size_t classes) {
  std::vector<std::int64_t> counts(classes, 0);
  for (const std::int32_t label : data.labels) ++counts[static_cast<std::size_t>(label)];
  return counts;
}

// Rows that seed 42 held out of 3 x 50 rows at 0.2 when each class was rounded on its own.
const std::vector<std::int64_t> kIrisRowsSeed42 = {
    0,  16, 19, 21, 22, 33,  35,  36,  48,  49,  53,  57,  60,  61,  63,
    77, 81, 87, 88, 97, 104, 108, 109, 126, 127, 130, 141, 146, 148, 149};

}  // namespace

TEST_CASE("split: stratified total is round(fraction * size) with remainders by class index") {
  // 8 rows, 4 classes of 2, 0.25: 2 held out (rounding each class's 0.5 gave 4).
  const TrainValidation eight =
      split_train_validation(with_class_sizes({2, 2, 2, 2}), 0.25, true, 1);
  CHECK(eight.validation.size() == 2);
  CHECK(per_class(eight.validation, 4) == std::vector<std::int64_t>{1, 1, 0, 0});
  CHECK(eight.train.size() == 6);

  // 4 rows, 2 classes of 2, 0.2: 1 held out, as unstratified (rounding each 0.4 gave 0).
  const Dataset four = with_class_sizes({2, 2});
  CHECK(split_train_validation(four, 0.2, false, 1).validation.size() == 1);
  const TrainValidation stratified = split_train_validation(four, 0.2, true, 1);
  CHECK(stratified.validation.size() == 1);
  CHECK(per_class(stratified.validation, 2) == std::vector<std::int64_t>{1, 0});

  // Largest remainders win: shares 1.5, 0.9, 0.6 -> 1 + 1 + 1 = round(3.0).
  const TrainValidation uneven = split_train_validation(with_class_sizes({5, 3, 2}), 0.3, true, 1);
  CHECK(per_class(uneven.validation, 3) == std::vector<std::int64_t>{1, 1, 1});
}

TEST_CASE("split: stratification never takes a class's last training row") {
  // 0.5 of 8 = 4; the single-row classes must keep their row, so class 3 gives all 4.
  const TrainValidation parts =
      split_train_validation(with_class_sizes({1, 1, 1, 5}), 0.5, true, 3);
  CHECK(parts.validation.size() == 4);
  CHECK(per_class(parts.validation, 4) == std::vector<std::int64_t>{0, 0, 0, 4});
  CHECK(per_class(parts.train, 4) == std::vector<std::int64_t>{1, 1, 1, 1});
}

TEST_CASE("split: Iris-shaped 3 x 50 at 0.2 still holds out 10 per class and the same rows") {
  const Dataset iris = with_class_sizes({50, 50, 50});
  const TrainValidation parts = split_train_validation(iris, 0.2, true, 42);
  CHECK(per_class(parts.validation, 3) == std::vector<std::int64_t>{10, 10, 10});
  std::vector<std::int64_t> rows;
  for (const float id : parts.validation.features.values) rows.push_back(static_cast<int>(id));
  CHECK(rows == kIrisRowsSeed42);
}
