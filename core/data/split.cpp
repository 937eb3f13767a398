// The seeded train/validation split. Each class (or the whole set) is shuffled with its own
// Philox sub-stream, so one class's size never changes which rows another class gives up.
#include "core/data/split.hpp"

#include <cmath>
#include <sstream>
#include <string>
#include <utility>

#include "core/errors.hpp"
#include "core/util/philox.hpp"

namespace nnrun {

namespace {

// Fisher-Yates driven by a counter-based generator: the result depends only on the seed,
// the sub-stream and the input order, never on the platform's std::shuffle.
void seeded_shuffle(std::vector<std::int64_t>& rows, Philox& rng) {
  for (std::size_t i = rows.size(); i > 1; --i) {
    const std::size_t j = static_cast<std::size_t>(rng.next_below(i));
    std::swap(rows[i - 1], rows[j]);
  }
}

// Marks round(fraction * group size) randomly chosen rows of the group for validation.
void pick_validation_rows(std::vector<std::int64_t> group, double fraction, Philox rng,
                          std::vector<bool>& in_validation) {
  const auto count =
      static_cast<std::size_t>(std::llround(fraction * static_cast<double>(group.size())));
  seeded_shuffle(group, rng);
  for (std::size_t i = 0; i < count && i < group.size(); ++i) in_validation[group[i]] = true;
}

// "iris.csv: validation split 0.2 of 150 rows"; the fraction as the user wrote it, not
// std::to_string's "0.200000".
std::string describe(const Dataset& all, double fraction) {
  std::ostringstream text;
  if (!all.source.empty()) text << all.source << ": ";
  text << "validation split " << fraction << " of " << all.size() << " rows";
  return text.str();
}

}  // namespace

TrainValidation split_train_validation(const Dataset& all, double fraction, bool stratify,
                                       std::uint64_t seed) {
  if (!(fraction > 0.0 && fraction < 1.0)) {
    throw InputError(describe(all, fraction) + ": the fraction must be between 0 and 1");
  }
  const std::int64_t total = all.size();
  std::vector<bool> in_validation(static_cast<std::size_t>(total), false);

  const bool by_class = stratify && all.task == Task::classification && !all.labels.empty();
  if (by_class) {
    // Rows of each class in original order; class c shuffles with sub-stream c.
    std::vector<std::vector<std::int64_t>> rows_of_class(all.class_names.size());
    for (std::int64_t row = 0; row < total; ++row) {
      const auto label = static_cast<std::size_t>(all.labels[row]);
      if (label >= rows_of_class.size()) rows_of_class.resize(label + 1);
      rows_of_class[label].push_back(row);
    }
    for (std::size_t label = 0; label < rows_of_class.size(); ++label) {
      const Philox rng(seed, RngStream::split, static_cast<std::uint32_t>(label));
      pick_validation_rows(std::move(rows_of_class[label]), fraction, rng, in_validation);
    }
  } else {
    std::vector<std::int64_t> rows(static_cast<std::size_t>(total));
    for (std::int64_t row = 0; row < total; ++row) rows[row] = row;
    pick_validation_rows(std::move(rows), fraction, Philox(seed, RngStream::split), in_validation);
  }

  std::vector<std::int64_t> train_rows;
  std::vector<std::int64_t> validation_rows;
  for (std::int64_t row = 0; row < total; ++row) {
    (in_validation[row] ? validation_rows : train_rows).push_back(row);
  }
  if (validation_rows.empty()) {
    throw InputError(describe(all, fraction) + " leaves the validation set empty");
  }
  if (train_rows.empty()) {
    throw InputError(describe(all, fraction) + " leaves the training set empty");
  }
  return {all.select(train_rows), all.select(validation_rows)};
}

}  // namespace nnrun
