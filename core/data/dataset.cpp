// Dataset operations that do not depend on where the data came from: row selection,
// used by the validation split and by anything that needs a subset of samples.
#include "core/data/dataset.hpp"

#include <algorithm>
#include <stdexcept>

namespace nnrun {

namespace {

// Copies the given rows of src, in that order. An empty matrix (e.g. the targets of a
// classification set) stays empty rather than turning into rows x 0.
HostMatrix select_rows(const HostMatrix& src, const std::vector<std::int64_t>& rows) {
  HostMatrix dst;
  if (src.rows == 0 && src.cols == 0) return dst;
  dst.rows = static_cast<std::int64_t>(rows.size());
  dst.cols = src.cols;
  dst.values.resize(static_cast<std::size_t>(dst.rows * dst.cols));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto begin = src.values.begin() + rows[i] * src.cols;
    std::copy(begin, begin + src.cols,
              dst.values.begin() + static_cast<std::int64_t>(i) * src.cols);
  }
  return dst;
}

}  // namespace

Dataset Dataset::select(const std::vector<std::int64_t>& rows) const {
  // An out-of-range row is a bug in the caller, not bad user data, hence std::out_of_range.
  for (const std::int64_t row : rows) {
    if (row < 0 || row >= size()) {
      throw std::out_of_range("Dataset::select: row " + std::to_string(row) + " is outside [0, " +
                              std::to_string(size()) + ")");
    }
  }
  Dataset subset;
  subset.task = task;
  subset.features = select_rows(features, rows);
  if (!labels.empty()) {
    subset.labels.reserve(rows.size());
    for (const std::int64_t row : rows) subset.labels.push_back(labels[row]);
  }
  subset.targets = select_rows(targets, rows);
  subset.feature_names = feature_names;
  subset.class_names = class_names;
  subset.label_name = label_name;
  subset.sample_shape = sample_shape;
  subset.source = source;
  return subset;
}

}  // namespace nnrun
