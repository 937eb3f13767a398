// What `nnrun inspect` shows: a checkpoint read as far as it can be, with its layer table
// (from the stored config) and whether its crc32 holds.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/checkpoint/checkpoint.hpp"
#include "core/model/model_summary.hpp"

namespace nnrun {

struct CheckpointInspection {
  std::string path;
  std::uint64_t file_bytes = 0;
  Checkpoint checkpoint;
  bool checksum_ok = false;
  std::uint32_t stored_crc = 0;
  std::uint32_t computed_crc = 0;
  std::vector<LayerRow> layers;  // from the stored config and input width
  std::int64_t total_parameters = 0;
  // Set, and `layers` left empty, when the checksum failed and the stored config cannot be
  // read or contradicts the tensors (check_model_tensors); with a good checksum either is an
  // InputError, as it is for eval and predict.
  std::string config_error;
  // Tensors holding a NaN or an infinity (a diverged run's weights): shown, with a warning,
  // since inspect is how one looks at such a file; eval and predict refuse it.
  std::vector<std::string> non_finite_tensors;
};

// Throws InputError naming the file when it cannot be read as a checkpoint at all. A file
// whose only fault is its checksum is returned with checksum_ok = false: the caller must
// say so, since none of its contents can be trusted.
CheckpointInspection inspect_checkpoint(const std::string& path);

}  // namespace nnrun
