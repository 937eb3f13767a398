// zlib's crc32 over a buffer of any size (zlib itself takes 32-bit lengths).
#pragma once

#include <zlib.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace nnrun {

// `crc` continued over more data (a first piece's crc32_of starts it).
inline std::uint32_t crc32_more(std::uint32_t crc, const char* data, std::size_t size) {
  uLong value = crc;
  while (size > 0) {
    const uInt chunk = static_cast<uInt>(std::min<std::size_t>(size, std::size_t{1} << 30));
    value = crc32(value, reinterpret_cast<const Bytef*>(data), chunk);
    data += chunk;
    size -= chunk;
  }
  return static_cast<std::uint32_t>(value);
}

inline std::uint32_t crc32_of(const char* data, std::size_t size) {
  return crc32_more(static_cast<std::uint32_t>(crc32(0L, Z_NULL, 0)), data, size);
}

}  // namespace nnrun
