// The seeded train/validation split. Each class (or the whole set) is shuffled with its own
// Philox sub-stream, so one class's size never changes which rows another class gives up.
#include "core/data/split.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

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

// round(fraction * count), halves up.
std::size_t rounded_share(double fraction, std::size_t count) {
  return static_cast<std::size_t>(std::llround(fraction * static_cast<double>(count)));
}

// How many rows each class gives up: round(fraction * total) in all, as without
// stratification. Each class first gets the whole part of its share fraction * size, the
// rest go one each to the largest fractional parts (ties: lower class index first). A class
// never gives up its last row (fraction < 1 keeps the whole parts below the size); its turn
// passes to the next class in that order.
std::vector<std::size_t> validation_counts(const std::vector<std::vector<std::int64_t>>& classes,
                                           double fraction, std::size_t total) {
  std::vector<std::size_t> counts(classes.size(), 0);
  std::vector<double> remainder(classes.size(), 0.0);
  std::size_t assigned = 0;
  for (std::size_t c = 0; c < classes.size(); ++c) {
    const double share = fraction * static_cast<double>(classes[c].size());
    counts[c] = static_cast<std::size_t>(std::floor(share));
    remainder[c] = share - std::floor(share);
    assigned += counts[c];
  }
  std::vector<std::size_t> order(classes.size());
  for (std::size_t c = 0; c < order.size(); ++c) order[c] = c;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  // One pass hands out the remainders; a class that must keep its last row passes its turn
  // on, so further passes go on while rows are owed and some class can still give one.
  bool gave = true;
  while (assigned < total && gave) {
    gave = false;
    for (const std::size_t c : order) {
      if (assigned >= total) break;
      if (counts[c] + 1 < classes[c].size()) {
        ++counts[c];
        ++assigned;
        gave = true;
      }
    }
  }
  return counts;
}

// Marks `count` randomly chosen rows of the group for validation.
void pick_validation_rows(std::vector<std::int64_t> group, std::size_t count, Philox rng,
                          std::vector<bool>& in_validation) {
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
    const std::vector<std::size_t> counts =
        validation_counts(rows_of_class, fraction, rounded_share(fraction, in_validation.size()));
    for (std::size_t label = 0; label < rows_of_class.size(); ++label) {
      const Philox rng(seed, RngStream::split, static_cast<std::uint32_t>(label));
      pick_validation_rows(std::move(rows_of_class[label]), counts[label], rng, in_validation);
    }
  } else {
    std::vector<std::int64_t> rows(static_cast<std::size_t>(total));
    for (std::int64_t row = 0; row < total; ++row) rows[row] = row;
    const std::size_t count = rounded_share(fraction, rows.size());
    pick_validation_rows(std::move(rows), count, Philox(seed, RngStream::split), in_validation);
  }

  std::vector<std::int64_t> train_rows;
  std::vector<std::int64_t> validation_rows;
  for (std::int64_t row = 0; row < total; ++row) {
    (in_validation[row] ? validation_rows : train_rows).push_back(row);
  }
  if (validation_rows.empty()) {
    // Stratification keeps a training row of every class: with (nearly) one row a class, as
    // when a continuous target is read as class labels, nothing is left to hold out.
    const bool label_looks_continuous =
        by_class && 2 * static_cast<std::int64_t>(all.class_names.size()) > total;
    throw InputError(describe(all, fraction) + " leaves the validation set empty" +
                     (label_looks_continuous
                          ? " (stratified, with " + std::to_string(all.class_names.size()) +
                                " classes for " + std::to_string(total) +
                                " rows: is the label a continuous target? then use loss: mse)"
                          : ""));
  }
  if (train_rows.empty()) {
    throw InputError(describe(all, fraction) + " leaves the training set empty");
  }
  return {all.select(train_rows), all.select(validation_rows)};
}

}  // namespace nnrun
