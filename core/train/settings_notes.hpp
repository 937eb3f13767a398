// Notes on settings that are valid but surely not meant: a batch larger than the data, more
// threads than CPUs, rules that can never fire within training.epochs. The run goes on; the
// log says so, since nothing else would show it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/config/config.hpp"

namespace nnrun {

// "note: ..." lines, in the order the log prints them.
std::vector<std::string> settings_notes(const Config& config, std::int64_t training_samples,
                                        const std::string& backend_name);

}  // namespace nnrun
