// Helpers for the IDX reader tests: writing small IDX files raw and gzip-compressed, and
// catching load_idx's DataError message.
#pragma once

#include <doctest/doctest.h>
#include <zlib.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/data/idx_reader.hpp"
#include "core/errors.hpp"
#include "tests/temp_dir.hpp"

// Own namespace: these inline names must not collide with other test helpers.
namespace nnrun::testing::idx {

inline std::string big_endian32(std::uint32_t value) {
  return {char(value >> 24), char(value >> 16), char(value >> 8), char(value)};
}

// magic 00 00 type ndims, the dimensions, then the payload as given.
inline std::string idx_bytes(unsigned char type, const std::vector<std::uint32_t>& dims,
                             const std::string& payload) {
  std::string bytes{'\0', '\0', char(type), char(dims.size())};
  for (const std::uint32_t dim : dims) bytes += big_endian32(dim);
  return bytes + payload;
}

// count images of rows x cols with varied pixel values (0 and 255 included).
inline std::string image_file(std::uint32_t count, std::uint32_t rows, std::uint32_t cols) {
  std::string pixels;
  for (std::uint32_t i = 0; i < count * rows * cols; ++i) pixels += char((i * 37 + i / 5) % 256);
  pixels[0] = char(255);
  return idx_bytes(0x08, {count, rows, cols}, pixels);
}

inline std::string label_file(const std::vector<unsigned char>& labels) {
  return idx_bytes(0x08, {std::uint32_t(labels.size())}, std::string(labels.begin(), labels.end()));
}

inline std::string write_gzip(const TempDir& dir, const std::string& name,
                              const std::string& bytes) {
  const std::string path = dir.file(name);
  gzFile out = gzopen(path.c_str(), "wb");
  REQUIRE(out != nullptr);
  REQUIRE(gzwrite(out, bytes.data(), unsigned(bytes.size())) == int(bytes.size()));
  REQUIRE(gzclose(out) == Z_OK);
  return path;
}

inline std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The DataError message load_idx gives, or a marker when it throws none.
inline std::string load_error(const std::string& images, const std::string& labels,
                              std::int64_t max_classes = 0) {
  try {
    load_idx(images, labels, max_classes);
  } catch (const DataError& error) {
    return error.what();
  }
  return "<no DataError>";
}

// Three 2 x 2 images labelled 0, 2, 1, written raw.
struct SmallSet {
  TempDir dir{"idx"};
  std::string images = dir.write("images.idx", image_file(3, 2, 2));
  std::string labels = dir.write("labels.idx", label_file({0, 2, 1}));
};

}  // namespace nnrun::testing::idx
