// Reference backend: memory is plain aligned host memory.
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>

#include "backends/reference/reference_backend.hpp"

namespace nnrun {

void* ReferenceBackend::allocate(std::size_t bytes) {
  const std::size_t rounded = (bytes + 63) / 64 * 64;
  void* p = std::aligned_alloc(64, rounded == 0 ? 64 : rounded);
  if (!p) throw std::bad_alloc();
  return p;
}

void ReferenceBackend::release(void* ptr) noexcept {
  std::free(ptr);
}

void ReferenceBackend::upload(Tensor dst, const void* host_src) {
  std::memcpy(dst.data, host_src, dst.bytes());
}

void ReferenceBackend::download(Tensor src, void* host_dst) {
  std::memcpy(host_dst, src.data, src.bytes());
}

void ReferenceBackend::fill_zero(Tensor dst) {
  std::memset(dst.data, 0, dst.bytes());
}

void ReferenceBackend::gather_rows(Tensor src, Tensor index, Tensor dst) {
  if (src.dtype != dst.dtype || src.cols != dst.cols || index.size() != dst.rows)
    throw std::invalid_argument("gather_rows: shape mismatch");
  const auto* idx = static_cast<const std::int32_t*>(index.data);
  const std::size_t row_bytes = static_cast<std::size_t>(src.cols) * dtype_size(src.dtype);
  for (std::int64_t i = 0; i < dst.rows; ++i) {
    if (idx[i] < 0 || idx[i] >= src.rows) throw std::out_of_range("gather_rows: bad index");
    std::memcpy(static_cast<char*>(dst.data) + i * row_bytes,
                static_cast<const char*>(src.data) + idx[i] * row_bytes, row_bytes);
  }
}

}  // namespace nnrun
