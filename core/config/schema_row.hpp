// Internal to the schema table (schema.cpp, schema_data.cpp): the builder that table rows
// are written with, and the ranges they share.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "core/config/schema.hpp"

namespace nnrun::schema_rows {

// Bounds in table rows: {min, max, min_exclusive, max_exclusive, max_is_limit}.
inline const ValueRange kNonNegative{0.0, std::nullopt, false, false};
inline const ValueRange kPositive{0.0, std::nullopt, true, false};
inline const ValueRange kAtLeastOne{1.0, std::nullopt, false, false};
inline const ValueRange kAtLeastTwo{2.0, std::nullopt, false, false};
inline const ValueRange kUnitInterval{0.0, 1.0, false, true};  // [0, 1): momentum, betas
inline const ValueRange kOpenUnit{0.0, 1.0, true, true};       // (0, 1): validation split
inline const ValueRange kUpToOne{0.0, 1.0, true, false};       // (0, 1]: decay factors

// Upper bounds on sizes, far above any net nnrun is for (MNIST: 784 features, 10 classes),
// yet low enough that products of two sizes (a weight matrix: units x units, a data set:
// samples x features) stay far below 2^63, so no size computation downstream can overflow.
// What is in range but too large for the machine ends as "out of memory", exit 1.
inline constexpr double kMaxWidth = 16777216.0;      // 2^24: units, features, classes
inline constexpr double kMaxSamples = 2147483647.0;  // 2^31 - 1: rows of a generated data set
inline constexpr double kMaxThreads = 65536.0;       // OpenMP takes an int; no CPU has more
inline const ValueRange kWidth{1.0, kMaxWidth, false, false, true};
inline const ValueRange kClassCount{2.0, kMaxWidth, false, false, true};
inline const ValueRange kSampleCount{1.0, kMaxSamples, false, false, true};
inline const ValueRange kThreadCount{0.0, kMaxThreads, false, false, true};

// The metrics a run logs, by the names monitors take; and how a monitor compares.
inline const std::vector<std::string_view> kMetrics{"val_loss",   "val_error",   "val_accuracy",
                                                    "train_loss", "train_error", "train_accuracy"};
inline const std::vector<std::string_view> kMonitorModes{"auto", "min", "max"};

// One table row: path, type and help, then only the attributes the row needs.
class Row {
 public:
  Row(std::string_view path, ValueType type, std::string_view help) {
    spec_.path = path;
    spec_.type = type;
    spec_.help = help;
  }
  Row& choices(std::vector<std::string_view> names) { return set(spec_.choices, names); }
  Row& range(const ValueRange& bounds) { return set(spec_.range, bounds); }
  Row& fallback(std::string_view yaml) { return set(spec_.default_value, yaml); }
  Row& required() { return set(spec_.required, true); }
  Row& only_when(std::string_view sibling, std::vector<std::string_view> values) {
    return set(spec_.only_when, KeyCondition{sibling, std::move(values)});
  }
  Row& aliases(std::vector<std::string_view> names) { return set(spec_.aliases, names); }
  Row& form(std::string_view name) { return set(spec_.form, name); }
  operator KeySpec() const { return spec_; }  // NOLINT: rows are written as specs

 private:
  template <typename Field, typename Value>
  Row& set(Field& field, Value value) {
    field = std::move(value);
    return *this;
  }
  KeySpec spec_;
};

// The rows of the `data` section, in table order (schema_data.cpp).
std::vector<KeySpec> data_rows();

// The rows of the `optimizer` section with its schedule, in table order
// (schema_optimizer.cpp).
std::vector<KeySpec> optimizer_rows();

}  // namespace nnrun::schema_rows
