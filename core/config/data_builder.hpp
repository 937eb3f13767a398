// Builds the `data` section of a Config: the train, validation and test sources with their
// paths resolved and synthetic seeds derived, plus normalization and class names.
#pragma once

#include <cstdint>
#include <string>

#include "core/config/config.hpp"
#include "core/config/config_section.hpp"
#include "core/config/config_source.hpp"

namespace nnrun {

// Which source a synthetic seed is derived for.
enum class SourceRole : std::uint64_t { train = 1, validation = 2, test = 3 };

// A synthetic source's seed when the config gives none: (seed * 1000003 + role) mod 2^63,
// so train, validation and test draw different data, reproducibly. Fits a YAML integer, so
// the resolved config can write it.
std::uint64_t default_synthetic_seed(std::uint64_t seed, SourceRole role);

// `data` must have passed validation. `seed` is the config's top-level seed.
DataConfig build_data(const Section& data, const ConfigSource& source, const std::string& base_dir,
                      std::uint64_t seed);

}  // namespace nnrun
