// In-memory data sets on the host, before they are uploaded to a backend.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nnrun {

// Row-major float matrix on the host.
struct HostMatrix {
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::vector<float> values;

  float& at(std::int64_t r, std::int64_t c) { return values[r * cols + c]; }
  float at(std::int64_t r, std::int64_t c) const { return values[r * cols + c]; }
};

enum class Task { classification, regression };

struct Dataset {
  Task task = Task::classification;
  HostMatrix features;               // samples x features
  std::vector<std::int32_t> labels;  // classification: one class index per sample
  HostMatrix targets;                // regression: samples x outputs
  std::vector<std::string> feature_names;
  std::vector<std::string> class_names;    // classification: index -> name
  std::string label_name;                  // CSV: the label column's header name, else empty
  std::vector<std::int64_t> sample_shape;  // idx: rows and columns of an image, else empty
  std::string source;                      // file it came from, for messages

  std::int64_t size() const { return features.rows; }
  std::int64_t num_classes() const { return static_cast<std::int64_t>(class_names.size()); }
  // A new data set holding the given rows, in that order.
  Dataset select(const std::vector<std::int64_t>& rows) const;
};

}  // namespace nnrun
