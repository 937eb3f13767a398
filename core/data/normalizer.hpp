// Per-column feature normalization, x' = (x - shift) * multiplier. Fitted on the training
// set only, then applied unchanged to validation, test and predict inputs; the two vectors
// are all a checkpoint needs to store to reproduce it.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/config/config.hpp"
#include "core/data/dataset.hpp"

namespace nnrun {

class Normalizer {
 public:
  Normalizer() = default;  // fits nothing yet: apply() accepts only 0-column data

  // Statistics of train's columns, computed in double:
  //   standard: shift = mean, multiplier = 1 / population std (ddof 0, as scikit-learn's
  //             StandardScaler), giving mean 0 and std 1 on the training set;
  //   minmax:   shift = min, multiplier = 1 / (max - min), mapping training values to [0, 1];
  //   scale:    shift = 0, multiplier = 1 / scale (e.g. 255 for 8-bit pixels);
  //   none:     shift = 0, multiplier = 1.
  // A constant column (min == max) gets multiplier 1: it carries no information in training,
  // dividing by its zero spread would make inf/NaN, and 1 keeps a later value that differs
  // from the constant on its original scale. Throws InputError if scale <= 0 for `scale`.
  static Normalizer fit(Normalization kind, const HostMatrix& train, double scale);

  // Rebuilds a normalizer saved in a checkpoint. Throws InputError if the vectors differ in
  // length or hold a non-finite value.
  static Normalizer from_stats(Normalization kind, std::vector<float> shift,
                               std::vector<float> multiplier);

  // Normalizes data in place, computing (x - shift) * multiplier in double. Throws
  // InputError if its column count differs from the fit, and DataError naming the column
  // (0-based) if a normalized value does not fit a 32-bit float (e.g. a value far outside
  // the training range of a narrow column).
  void apply(HostMatrix& data) const;
  // The same for a data set's features; a DataError names its source and the column.
  void apply(Dataset& data) const;

  Normalization kind() const { return kind_; }
  std::int64_t columns() const { return static_cast<std::int64_t>(shift_.size()); }
  const std::vector<float>& shift() const { return shift_; }
  const std::vector<float>& multiplier() const { return multiplier_; }

 private:
  Normalizer(Normalization kind, std::vector<float> shift, std::vector<float> multiplier)
      : kind_(kind), shift_(std::move(shift)), multiplier_(std::move(multiplier)) {}

  // Normalizes in place; the first value that is not finite afterwards, as {row, column},
  // or {-1, -1} when all are.
  std::pair<std::int64_t, std::int64_t> transform(HostMatrix& data) const;
  // "value 1e+38 does not fit a 32-bit float after standard normalization (...)".
  std::string overflow(const HostMatrix& data, std::int64_t row, std::int64_t column) const;

  Normalization kind_ = Normalization::none;
  std::vector<float> shift_;
  std::vector<float> multiplier_;
};

}  // namespace nnrun
