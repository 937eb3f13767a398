// Class indices and names for text labels, independent of row order: what a CSV's label
// column becomes for classification.
#pragma once

#include <string>
#include <vector>

#include "core/data/dataset.hpp"

namespace nnrun {

// Sets dataset.labels (one index per text) and dataset.class_names. Names are sorted so the
// mapping depends only on the set of labels; integer labels sort by value ("2" before "10"),
// decimal ones too ("10.0" after "2.0", equal values one class).
void assign_classes(const std::vector<std::string>& texts, Dataset& dataset);

}  // namespace nnrun
