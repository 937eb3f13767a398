// A fingerprint of the data a run trains and validates on, kept in its checkpoints, so that
// a resume on other data (a file edited or replaced since) is refused instead of quietly
// continuing another run.
#pragma once

#include <string>

#include "core/data/dataset.hpp"

namespace nnrun {

// "crc32:xxxxxxxx" over one set as loaded and split, before normalization (values, labels
// or targets, feature and class names): about 50 ms for Fashion-MNIST's 188 MB.
std::string dataset_fingerprint(const Dataset& data);

// The run's: the training set's, a space, the validation set's.
std::string data_fingerprint(const Dataset& train, const Dataset& validation);

// One part of data_fingerprint's text: 0 the training set's, 1 the validation set's ("" when
// the text has no such part).
std::string fingerprint_part(const std::string& fingerprint, int part);

}  // namespace nnrun
