#include "core/train/data_fingerprint.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <vector>

namespace nnrun {
namespace {

// zlib's crc32, continued over a buffer of any size (zlib takes 32-bit lengths).
uLong crc_more(uLong crc, const void* data, std::size_t size) {
  const auto* bytes = static_cast<const Bytef*>(data);
  while (size > 0) {
    const uInt chunk = static_cast<uInt>(std::min<std::size_t>(size, std::size_t{1} << 30));
    crc = crc32(crc, bytes, chunk);
    bytes += chunk;
    size -= chunk;
  }
  return crc;
}

template <typename T>
uLong crc_values(uLong crc, const std::vector<T>& values) {
  return crc_more(crc, values.data(), values.size() * sizeof(T));
}

// Names end with a byte no name holds, so {"ab", "c"} and {"a", "bc"} differ.
uLong crc_names(uLong crc, const std::vector<std::string>& names) {
  for (const std::string& name : names) crc = crc_more(crc, name.c_str(), name.size() + 1);
  return crc_more(crc, "\n", 1);
}

uLong crc_dataset(uLong crc, const Dataset& d) {
  crc = crc_values(crc, d.features.values);
  crc = crc_values(crc, d.labels);
  crc = crc_values(crc, d.targets.values);
  crc = crc_names(crc, d.feature_names);
  return crc_names(crc, d.class_names);
}

}  // namespace

std::string dataset_fingerprint(const Dataset& data) {
  const uLong crc = crc_dataset(crc32(0L, Z_NULL, 0), data);
  char text[24];
  std::snprintf(text, sizeof text, "crc32:%08lx", static_cast<unsigned long>(crc));
  return text;
}

std::string data_fingerprint(const Dataset& train, const Dataset& validation) {
  return dataset_fingerprint(train) + " " + dataset_fingerprint(validation);
}

std::string fingerprint_part(const std::string& fingerprint, int part) {
  const std::size_t space = fingerprint.find(' ');
  if (space == std::string::npos) return {};
  return part == 0 ? fingerprint.substr(0, space) : fingerprint.substr(space + 1);
}

}  // namespace nnrun
