// Fitting and applying per-column normalization. Sums run in double so a 60,000-row column
// of floats keeps its mean and spread accurate before they are stored as floats.
#include "core/data/normalizer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/errors.hpp"
#include "core/names.hpp"

namespace nnrun {

namespace {

struct ColumnStats {
  double min = 0.0;
  double max = 0.0;
  double mean = 0.0;
  double population_std = 0.0;
};

// Two passes (mean, then squared deviations) rather than sum of squares, which loses all
// precision when the mean is large compared with the spread.
ColumnStats column_stats(const HostMatrix& data, std::int64_t column) {
  ColumnStats stats;
  if (data.rows == 0) return stats;
  stats.min = stats.max = data.at(0, column);
  double sum = 0.0;
  for (std::int64_t row = 0; row < data.rows; ++row) {
    const double value = data.at(row, column);
    stats.min = std::min(stats.min, value);
    stats.max = std::max(stats.max, value);
    sum += value;
  }
  stats.mean = sum / static_cast<double>(data.rows);
  double squared_deviations = 0.0;
  for (std::int64_t row = 0; row < data.rows; ++row) {
    const double deviation = data.at(row, column) - stats.mean;
    squared_deviations += deviation * deviation;
  }
  stats.population_std = std::sqrt(squared_deviations / static_cast<double>(data.rows));
  return stats;
}

// 1 / spread, or 1 where there is no usable spread: a constant column (spread 0), or one
// so narrow that the inverse overflows a float. See the header for why 1.
float inverse_or_one(double spread) {
  const auto inverse = static_cast<float>(1.0 / spread);
  return spread > 0.0 && std::isfinite(inverse) ? inverse : 1.0f;
}

}  // namespace

Normalizer Normalizer::fit(Normalization kind, const HostMatrix& train, double scale) {
  const auto columns = static_cast<std::size_t>(train.cols);
  std::vector<float> shift(columns, 0.0f);
  std::vector<float> multiplier(columns, 1.0f);
  if (kind == Normalization::scale) {
    if (!(scale > 0.0) || !std::isfinite(scale)) {
      throw InputError("normalize: scale must be a positive number, got " + std::to_string(scale));
    }
    const auto inverse = static_cast<float>(1.0 / scale);
    if (!std::isfinite(inverse) || inverse == 0.0f) {
      throw InputError("normalize: scale " + std::to_string(scale) +
                       " is out of range: 1 / scale must be a finite, nonzero 32-bit float");
    }
    std::fill(multiplier.begin(), multiplier.end(), inverse);
  } else if (kind == Normalization::standard || kind == Normalization::minmax) {
    for (std::size_t column = 0; column < columns; ++column) {
      const ColumnStats stats = column_stats(train, static_cast<std::int64_t>(column));
      if (kind == Normalization::standard) {
        shift[column] = static_cast<float>(stats.mean);
        multiplier[column] = inverse_or_one(stats.population_std);
      } else {
        shift[column] = static_cast<float>(stats.min);
        multiplier[column] = inverse_or_one(stats.max - stats.min);
      }
    }
  }
  return Normalizer(kind, std::move(shift), std::move(multiplier));
}

Normalizer Normalizer::from_stats(Normalization kind, std::vector<float> shift,
                                  std::vector<float> multiplier) {
  if (shift.size() != multiplier.size()) {
    throw InputError("normalization statistics: " + std::to_string(shift.size()) + " shifts but " +
                     std::to_string(multiplier.size()) + " multipliers");
  }
  const auto finite = [](float value) { return std::isfinite(value); };
  if (!std::all_of(shift.begin(), shift.end(), finite) ||
      !std::all_of(multiplier.begin(), multiplier.end(), finite)) {
    throw InputError("normalization statistics hold a non-finite value");
  }
  return Normalizer(kind, std::move(shift), std::move(multiplier));
}

namespace {

// In double, so x - shift of two large floats (3e38 - -3e38) does not overflow on the way;
// only a result that does not fit a float is a problem, reported rather than trained on.
float normalized(float value, float shift, float multiplier) {
  return static_cast<float>((static_cast<double>(value) - static_cast<double>(shift)) *
                            static_cast<double>(multiplier));
}

// Normalizes a row in place; false when a value does not stay finite. Branch-free, so that it
// vectorizes: with an exit at the first bad value the pass ran scalar (perf: 13 % of loading
// Fashion-MNIST).
bool normalize_row(float* __restrict values, const float* __restrict shift,
                   const float* __restrict multiplier, std::int64_t cols) {
  int overflow = 0;
  for (std::int64_t c = 0; c < cols; ++c) {
    values[c] = normalized(values[c], shift[c], multiplier[c]);
    overflow |= !(std::fabs(values[c]) <= std::numeric_limits<float>::max());
  }
  return overflow == 0;
}

}  // namespace

// Rows that overflow are left as they were, so that the message can quote the value.
std::pair<std::int64_t, std::int64_t> Normalizer::transform(HostMatrix& data) const {
  if (data.cols != columns()) {
    throw InputError("normalization was fitted on " + std::to_string(columns()) +
                     " feature columns, but the data has " + std::to_string(data.cols));
  }
  if (kind_ == Normalization::none) return {-1, -1};
  std::vector<float> original(static_cast<std::size_t>(data.cols));
  for (std::int64_t row = 0; row < data.rows; ++row) {
    float* values = data.values.data() + row * data.cols;
    std::copy(values, values + data.cols, original.begin());
    if (normalize_row(values, shift_.data(), multiplier_.data(), data.cols)) continue;
    std::copy(original.begin(), original.end(), values);
    for (std::int64_t column = 0; column < data.cols; ++column)
      if (!std::isfinite(normalized(values[column], shift_[column], multiplier_[column])))
        return {row, column};
  }
  return {-1, -1};
}

std::string Normalizer::overflow(const HostMatrix& data, std::int64_t row,
                                 std::int64_t column) const {
  std::ostringstream text;
  text << "value " << data.at(row, column) << " does not fit a 32-bit float after "
       << normalization_name(kind_) << " normalization (x - " << shift_[column] << ") * "
       << multiplier_[column] << ", fitted on the training data";
  return text.str();
}

void Normalizer::apply(HostMatrix& data) const {
  const auto [row, column] = transform(data);
  if (row >= 0)
    throw DataError("feature column " + std::to_string(column) + ": " +
                    overflow(data, row, column));
}

void Normalizer::apply(Dataset& data) const {
  const auto [row, column] = transform(data.features);
  if (row < 0) return;
  const auto index = static_cast<std::size_t>(column);
  const std::string name =
      index < data.feature_names.size() ? data.feature_names[index] : std::to_string(column);
  throw DataError(data.source + ": column '" + name + "': " + overflow(data.features, row, column));
}

}  // namespace nnrun
