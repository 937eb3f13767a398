// A byte count for a message: "15.1 GiB", "512 bytes".
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace nnrun {

inline std::string approximate_bytes(std::int64_t bytes) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  if (bytes == 1) return "1 byte";
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
  return text;
}

}  // namespace nnrun
