// Loads an image set in the IDX layout of MNIST and Fashion-MNIST (an images file and a
// labels file, each raw or gzip-compressed) into a classification Dataset.
#pragma once

#include <cstdint>
#include <string>

#include "core/data/dataset.hpp"

namespace nnrun {

// images_path: IDX with type code 0x08 (unsigned byte) and 3 dimensions (count, rows, cols).
// labels_path: IDX with type code 0x08 and 1 dimension (count), one class index per image.
// Either file may be gzip-compressed; that is detected from its first bytes (1f 8b), not
// from its name. Concatenated gzip members are accepted, as gunzip accepts them.
//
// Result: features = count x (rows * cols) holding the raw pixel values 0..255 as floats
// (not normalized: the pipeline's normalizer does that), labels as int32, task
// classification, class_names "0".."K-1" with K = max_classes when it is > 0, else the
// largest label + 1; feature_names "px0".."px<rows*cols-1>"; source = images_path.
//
// Throws DataError "file: message" (expected vs found) for a missing or unreadable file, a
// bad magic number, type code or number of dimensions, a zero or absurdly large dimension
// product, a payload shorter or longer than the header says, truncated or corrupt gzip data
// (including a gzip CRC or length mismatch, or bytes after the last gzip member), image and
// label counts that differ, and a label >= max_classes. Every header check, and the label
// check, happens before the feature matrix is allocated. max_classes < 0 is a programming
// error (std::invalid_argument).
Dataset load_idx(const std::string& images_path, const std::string& labels_path,
                 std::int64_t max_classes);

}  // namespace nnrun
