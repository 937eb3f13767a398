// Tensor: a non-owning, 2-D, row-major view of memory that a Backend owns.
// Core code never dereferences `data`: on the CUDA backend it is a device pointer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace nnrun {

enum class DType : std::uint8_t { f32, f64, i32 };

constexpr std::size_t dtype_size(DType t) {
  switch (t) {
    case DType::f32:
      return 4;
    case DType::f64:
      return 8;
    case DType::i32:
      return 4;
  }
  return 0;
}

constexpr std::string_view dtype_name(DType t) {
  switch (t) {
    case DType::f32:
      return "f32";
    case DType::f64:
      return "f64";
    case DType::i32:
      return "i32";
  }
  return "?";
}

struct Tensor {
  void* data = nullptr;
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  DType dtype = DType::f32;

  std::int64_t size() const { return rows * cols; }
  std::size_t bytes() const { return static_cast<std::size_t>(size()) * dtype_size(dtype); }
  bool empty() const { return data == nullptr || size() == 0; }

  // Rows [begin, begin + count): contiguous because storage is row-major.
  Tensor row_range(std::int64_t begin, std::int64_t count) const {
    return {static_cast<char*>(data) + begin * cols * dtype_size(dtype), count, cols, dtype};
  }
  // A rows x cols view starting `offset` elements in: how layers see the flat arenas.
  Tensor flat_view(std::int64_t offset, std::int64_t view_rows, std::int64_t view_cols) const {
    return {static_cast<char*>(data) + offset * dtype_size(dtype), view_rows, view_cols, dtype};
  }
};

}  // namespace nnrun
