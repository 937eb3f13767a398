// Loading one configured data source (csv, idx or synthetic) with errors that point at the
// config key naming it, and aligning its classes with the training set's.
#pragma once

#include <string>

#include "core/config/config.hpp"
#include "core/data/dataset.hpp"

namespace nnrun {

// key: where the source sits in the config ("data.train", "data.test", ...). max_classes
// bounds integer labels (idx) when known (0 = not yet known: the training set itself).
// training_label: the training file's label column; a CSV source that names no label of its
// own takes that column wherever its header has it (else its own default, the last column).
Dataset load_source(const Config& config, const DataSource& source, const std::string& key,
                    std::int64_t max_classes, const std::string& training_label = "");

// Re-indexes `data`'s labels to `reference`'s class names (a class the training set lacks is
// an error), and checks the feature count. When both the training source and `source` (the
// one `data` came from) are CSV files, feature columns are matched by header name and put in
// the training order: a column the training set needs and `data` lacks is an error, extra
// columns are dropped. `key` names the source in messages.
void align_with_training_set(const Config& config, const std::string& key, const DataSource& source,
                             const Dataset& reference, Dataset& data);

// Keeps the first `limit` samples after a shuffle seeded by the config's seed.
Dataset take_subset(const Config& config, const Dataset& data, std::int64_t limit);

}  // namespace nnrun
