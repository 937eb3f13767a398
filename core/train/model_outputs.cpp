// Host-side reading of model outputs: per-batch download, argmax, softmax and sigmoid.
#include "core/train/model_outputs.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/tensor_io.hpp"

namespace nnrun {

HostMatrix forward_outputs(Backend& backend, Model& model, Tensor src, std::int64_t batch_size) {
  HostMatrix out;
  out.rows = src.rows;
  out.cols = model.output_width();
  out.values.reserve(static_cast<std::size_t>(out.rows * out.cols));
  for (std::int64_t begin = 0; begin < src.rows; begin += batch_size) {
    const std::int64_t count = std::min(batch_size, src.rows - begin);
    const Tensor output = model.forward(src.row_range(begin, count), ForwardPass{Mode::eval});
    // Exact: the outputs are f32, held as doubles on the way.
    for (const double v : download_values(backend, output))
      out.values.push_back(static_cast<float>(v));
  }
  return out;
}

std::vector<std::int32_t> predicted_classes(const HostMatrix& outputs, LossKind loss) {
  std::vector<std::int32_t> classes(static_cast<std::size_t>(outputs.rows));
  for (std::int64_t i = 0; i < outputs.rows; ++i) {
    if (loss == LossKind::binary_cross_entropy) {
      classes[i] = outputs.at(i, 0) > 0 ? 1 : 0;
      continue;
    }
    std::int64_t argmax = 0;  // the first maximal index, as the backends' losses count
    for (std::int64_t j = 1; j < outputs.cols; ++j)
      if (outputs.at(i, j) > outputs.at(i, argmax)) argmax = j;
    classes[i] = static_cast<std::int32_t>(argmax);
  }
  return classes;
}

std::vector<std::vector<double>> class_probabilities(const HostMatrix& outputs, LossKind loss) {
  std::vector<std::vector<double>> probabilities(static_cast<std::size_t>(outputs.rows));
  for (std::int64_t i = 0; i < outputs.rows; ++i) {
    std::vector<double>& p = probabilities[i];
    if (loss == LossKind::binary_cross_entropy) {
      const double positive = 1.0 / (1.0 + std::exp(-static_cast<double>(outputs.at(i, 0))));
      p = {1.0 - positive, positive};
      continue;
    }
    double max = outputs.at(i, 0);
    for (std::int64_t j = 1; j < outputs.cols; ++j) max = std::max<double>(max, outputs.at(i, j));
    double sum = 0.0;
    for (std::int64_t j = 0; j < outputs.cols; ++j) {
      p.push_back(std::exp(outputs.at(i, j) - max));
      sum += p.back();
    }
    for (double& value : p) value /= sum;
  }
  return probabilities;
}

}  // namespace nnrun
