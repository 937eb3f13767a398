// non_finite_tensors and the checks that refuse them: one pass over the values read.
#include "core/checkpoint/finite_values.hpp"

#include <algorithm>
#include <cmath>

#include "core/errors.hpp"

namespace nnrun {
namespace {

bool finite(float value) {
  return std::isfinite(value);
}

// The index of the first NaN or infinity in `t`, or its size when all are finite.
std::size_t first_non_finite(const CheckpointTensor& t) {
  return static_cast<std::size_t>(std::find_if_not(t.values.begin(), t.values.end(), finite) -
                                  t.values.begin());
}

std::string value_name(float value) {
  if (std::isnan(value)) return "nan";
  return value > 0 ? "inf" : "-inf";
}

// Model parameters are stored as layers.<i>.<layer type>.<weight|bias> (snapshot.cpp).
bool is_parameter(const CheckpointTensor& t) {
  return t.name.starts_with("layers.");
}

template <typename Filter>
void check_finite(const Checkpoint& c, const std::string& path, Filter&& checked) {
  for (const CheckpointTensor& t : c.tensors) {
    if (!checked(t)) continue;
    const std::size_t at = first_non_finite(t);
    if (at == t.values.size()) continue;
    const auto row = static_cast<std::int64_t>(at) / t.cols;
    const auto col = static_cast<std::int64_t>(at) % t.cols;
    throw InputError(path + ": tensor '" + t.name + "' holds a non-finite value (" +
                     value_name(t.values[at]) + " at row " + std::to_string(row) + ", column " +
                     std::to_string(col) +
                     "): the run that wrote it diverged; use an earlier checkpoint (best.ckpt "
                     "keeps the best finite epoch) or train again, e.g. with a lower optimizer.lr");
  }
}

}  // namespace

std::vector<std::string> non_finite_tensors(const Checkpoint& c) {
  std::vector<std::string> names;
  for (const CheckpointTensor& t : c.tensors)
    if (first_non_finite(t) < t.values.size()) names.push_back(t.name);
  return names;
}

void check_parameters_finite(const Checkpoint& c, const std::string& path) {
  check_finite(c, path, is_parameter);
}

void check_all_tensors_finite(const Checkpoint& c, const std::string& path) {
  check_finite(c, path, [](const CheckpointTensor&) { return true; });
}

}  // namespace nnrun
