// Source loading: dispatch by format, file checks at the config key, class alignment.
#include "core/train/source_loader.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <numeric>
#include <sstream>
#include <string>

#include "core/config/data_builder.hpp"
#include "core/data/csv_reader.hpp"
#include "core/data/idx_reader.hpp"
#include "core/data/synthetic.hpp"
#include "core/model/loss.hpp"
#include "core/names.hpp"
#include "core/util/file_kind.hpp"
#include "core/util/philox.hpp"

namespace nnrun {
namespace {

// A missing data file is reported at the config key that names it.
void require_file(const Config& config, const std::string& key, const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) throw config.error_at(key, "file not found: " + path);
  if (fs::is_directory(status)) throw config.error_at(key, "is a directory, not a file: " + path);
  // A FIFO would wait for a writer and a device such as /dev/urandom never ends.
  if (const std::string kind = non_regular_file_kind(path); !kind.empty())
    throw config.error_at(key, "is not a regular file (" + kind + "): " + path);
}

bool is_regression_generator(const std::string& generator) {
  return generator == "line" || generator == "polynomial";
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::string list;
  for (const std::string& name : names) list += (list.empty() ? "'" : ", '") + name + "'";
  return list;
}

// Puts data's feature columns in the training set's order, found by header name; columns the
// training set does not use are dropped (as predict --input does), a missing one is an error.
void match_columns_by_name(const Config& config, const std::string& key, const Dataset& reference,
                           Dataset& data) {
  std::map<std::string, std::int64_t> column_of;
  for (std::size_t c = 0; c < data.feature_names.size(); ++c)
    column_of[data.feature_names[c]] = static_cast<std::int64_t>(c);
  std::vector<std::int64_t> source_column;
  std::vector<std::string> missing;
  for (const std::string& name : reference.feature_names) {
    const auto it = column_of.find(name);
    if (it == column_of.end()) {
      missing.push_back(name);
    } else {
      source_column.push_back(it->second);
    }
  }
  if (!missing.empty())
    throw config.error_at(key, data.source + " has no column " + quoted_list(missing) +
                                   "; the training data's features are " +
                                   quoted_list(reference.feature_names));
  if (data.feature_names == reference.feature_names) return;
  HostMatrix reordered{data.features.rows, static_cast<std::int64_t>(source_column.size()), {}};
  reordered.values.reserve(static_cast<std::size_t>(reordered.rows * reordered.cols));
  for (std::int64_t row = 0; row < data.features.rows; ++row)
    for (const std::int64_t column : source_column)
      reordered.values.push_back(data.features.at(row, column));
  data.features = std::move(reordered);
  data.feature_names = reference.feature_names;
}

// The seed of what a synthetic distribution is (blob centers), shared by every source of a
// config so validation and test come from the training set's distribution: the training
// source's own seed, which keeps the training data what it always was. When train is not
// synthetic, the seed a synthetic train source would get, so validation and test still agree.
std::uint64_t distribution_seed(const Config& config) {
  return config.data.train.format == "synthetic"
             ? config.data.train.synthetic.seed
             : default_synthetic_seed(config.seed, SourceRole::train);
}

std::string number(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

// The settings that decide a generator's value range, for the overflow message.
std::string range_settings(const SyntheticSpec& spec) {
  std::string text = "noise " + number(spec.noise);
  if (spec.generator == "line" || spec.generator == "polynomial")
    text += ", x_min " + number(spec.x_min) + ", x_max " + number(spec.x_max);
  if (spec.generator == "line")
    text += ", slope " + number(spec.slope) + ", intercept " + number(spec.intercept);
  if (spec.generator == "polynomial") {
    text += ", coefficients [";
    for (std::size_t k = 0; k < spec.coefficients.size(); ++k)
      text += (k ? ", " : "") + number(spec.coefficients[k]);
    text += "]";
  }
  if (spec.generator == "blobs") text += ", spread " + number(spec.spread);
  return text;
}

// Settings that are each valid can still overflow together (x_max - x_min = 2e308, slope *
// x > 3.4e38): such data would only make training diverge, so it is a config error.
void require_finite(const Config& config, const std::string& key, const SyntheticSpec& spec,
                    const Dataset& data) {
  const auto finite = [](const HostMatrix& m) {
    return std::all_of(m.values.begin(), m.values.end(), [](float v) { return std::isfinite(v); });
  };
  const bool features_ok = finite(data.features);
  if (features_ok && finite(data.targets)) return;
  throw config.error_at(key, "generator '" + spec.generator + "' makes " +
                                 (features_ok ? "targets" : "features") +
                                 " that overflow a 32-bit float (beyond +-3.4e38) with these "
                                 "settings: " +
                                 range_settings(spec));
}

// Training idx labels set the class count, so one stray label (200 among 0..9) would surface
// as a model width problem; say which labels file holds it instead, when the config already
// fixes the count (class_names, or the last layer's units for a classification loss).
void require_labels_fit(const Config& config, const std::string& key, const DataSource& source,
                        const Dataset& data) {
  const std::size_t last = config.model.layers.empty() ? 0 : config.model.layers.size() - 1;
  std::int64_t classes = 0;
  std::string why;
  std::string fix;
  if (!config.data.class_names.empty()) {
    classes = static_cast<std::int64_t>(config.data.class_names.size());
    why = "data.class_names names " + std::to_string(classes) + " classes";
  } else if (config.loss == LossKind::cross_entropy && !config.model.layers.empty()) {
    classes = config.model.layers[last].units;
    why = "the last layer (model.layers[" + std::to_string(last) + "].dense.units) has " +
          std::to_string(classes) + " outputs";
    fix = ", or that layer needs " + std::to_string(data.num_classes()) + " units";
  } else if (config.loss == LossKind::binary_cross_entropy) {
    classes = 2;
    why = "binary_cross_entropy needs labels 0 and 1";
  }
  if (classes <= 0 || data.num_classes() <= classes) return;
  const std::int64_t largest = data.num_classes() - 1;
  std::int64_t count = 0;
  for (const std::int32_t label : data.labels) count += label >= classes ? 1 : 0;
  throw config.error_at(key + ".labels",
                        source.labels + ": largest label is " + std::to_string(largest) + " (" +
                            std::to_string(count) + " of " + std::to_string(data.labels.size()) +
                            " labels are >= " + std::to_string(classes) + "), but " + why +
                            ": labels must be 0 to " + std::to_string(classes - 1) + fix);
}

}  // namespace

Dataset load_source(const Config& config, const DataSource& source, const std::string& key,
                    std::int64_t max_classes, const std::string& training_label) {
  const Task task = task_of(config.loss);
  if (source.format == "csv") {
    require_file(config, key + ".path", source.path);
    return load_csv(source.path, source.label, task, source.label.empty() ? training_label : "");
  }
  if (source.format == "idx") {
    require_file(config, key + ".images", source.images);
    require_file(config, key + ".labels", source.labels);
    if (task != Task::classification)
      throw config.error_at(
          "loss", "idx data has class labels; use cross_entropy, not " + loss_name(config.loss));
    Dataset data = load_idx(source.images, source.labels, max_classes);
    if (max_classes == 0) require_labels_fit(config, key, source, data);
    return data;
  }
  if (source.format == "synthetic") {
    const bool regression = is_regression_generator(source.synthetic.generator);
    if (regression != (task == Task::regression))
      throw config.error_at(
          "loss", "generator '" + source.synthetic.generator + "' makes " +
                      (regression ? "regression targets: use loss mse"
                                  : "class labels: use cross_entropy or binary_cross_entropy") +
                      ", not " + loss_name(config.loss));
    Dataset data = generate_synthetic(source.synthetic, distribution_seed(config));
    require_finite(config, key, source.synthetic, data);
    return data;
  }
  throw config.error_at(key + ".format", "unknown data format '" + source.format + "'");
}

namespace {
std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::string text;
  for (const std::int64_t d : shape) text += (text.empty() ? "" : "x") + std::to_string(d);
  return text;
}
}  // namespace

void align_with_training_set(const Config& config, const std::string& key, const DataSource& source,
                             const Dataset& reference, Dataset& data) {
  // Names from two CSV headers say which column is which; generated names (px0.., x0..)
  // say nothing beyond position, so those sets only have to agree in width.
  if (config.data.train.format == "csv" && source.format == "csv")
    match_columns_by_name(config, key, reference, data);
  if (data.features.cols != reference.features.cols)
    throw config.error_at(key, data.source + " has " + std::to_string(data.features.cols) +
                                   " features but the training data has " +
                                   std::to_string(reference.features.cols));
  // Images of another shape with as many pixels (8x2 for 4x4) would line up pixel by pixel
  // with the wrong ones.
  if (!data.sample_shape.empty() && !reference.sample_shape.empty() &&
      data.sample_shape != reference.sample_shape)
    throw config.error_at(key, data.source + " holds " + shape_text(data.sample_shape) +
                                   " images but the training data " +
                                   shape_text(reference.sample_shape) + " ones");
  if (data.task == Task::regression) {
    if (data.targets.cols != reference.targets.cols)
      throw config.error_at(key, data.source + " has " + std::to_string(data.targets.cols) +
                                     " target columns but the training data has " +
                                     std::to_string(reference.targets.cols));
    return;
  }
  // Classes are matched by name: a CSV file's string labels are indexed by its own sorted
  // names, which differ from the training set's when a class is missing.
  std::map<std::string, std::int32_t> index_of;
  for (std::size_t i = 0; i < reference.class_names.size(); ++i)
    index_of[reference.class_names[i]] = static_cast<std::int32_t>(i);
  std::vector<std::int32_t> remap(data.class_names.size());
  for (std::size_t i = 0; i < data.class_names.size(); ++i) {
    const auto it = index_of.find(data.class_names[i]);
    if (it == index_of.end())
      throw config.error_at(key, data.source + " has class '" + data.class_names[i] +
                                     "', which the training data does not have");
    remap[i] = it->second;
  }
  for (std::int32_t& label : data.labels) label = remap[static_cast<std::size_t>(label)];
  data.class_names = reference.class_names;
}

Dataset take_subset(const Config& config, const Dataset& data, std::int64_t limit) {
  if (limit > data.size())
    throw config.error_at("data.train.limit", "limit is " + std::to_string(limit) +
                                                  " but the training data has only " +
                                                  std::to_string(data.size()) + " samples");
  std::vector<std::int64_t> rows(static_cast<std::size_t>(data.size()));
  std::iota(rows.begin(), rows.end(), 0);
  Philox rng(config.seed, RngStream::subset);
  for (std::size_t i = rows.size(); i > 1; --i) std::swap(rows[i - 1], rows[rng.next_below(i)]);
  rows.resize(static_cast<std::size_t>(limit));
  return data.select(rows);
}

}  // namespace nnrun
