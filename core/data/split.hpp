// Holding out a validation set from the training data: seeded, reproducible, and stratified
// by class so a small validation set still sees every class in its usual proportion.
#pragma once

#include <cstdint>

#include "core/data/dataset.hpp"

namespace nnrun {

struct TrainValidation {
  Dataset train;
  Dataset validation;
};

// Moves round(fraction * size) rows into validation. round() is std::llround: halves go
// up, so 0.5 x 5 rows gives 3. Stratifying a classification set spreads that total over
// the classes by largest remainder: each class gives the whole part of fraction * its size,
// the rows left go one each to the classes with the largest fractional parts (ties: lower
// class index first), and no class gives up its last row (Iris: 150 rows, 3 x 50, 0.2 ->
// 10 + 10 + 10 = 30; 8 rows, 4 x 2, 0.25 -> 2, from classes 0 and 1).
// Which rows move is decided by a seeded Fisher-Yates shuffle (Philox, RngStream::split),
// so the same seed always gives the same split; both parts keep the original row order.
// stratify is ignored for regression. Throws InputError if fraction is not in (0, 1) or
// either part would be empty.
TrainValidation split_train_validation(const Dataset& all, double fraction, bool stratify,
                                       std::uint64_t seed);

}  // namespace nnrun
