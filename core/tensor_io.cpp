// Host <-> backend transfers with dtype conversion.
#include "core/tensor_io.hpp"

#include <cstring>
#include <stdexcept>
#include <type_traits>

namespace nnrun {
namespace {

template <typename T>
constexpr bool holds(DType dtype) {
  return (std::is_same_v<T, float> && dtype == DType::f32) ||
         (std::is_same_v<T, double> && dtype == DType::f64) ||
         (std::is_same_v<T, std::int32_t> && dtype == DType::i32);
}

template <typename From>
void upload_converted(Backend& backend, Tensor dst, std::span<const From> values) {
  if (static_cast<std::int64_t>(values.size()) != dst.size())
    throw std::invalid_argument("upload_values: size mismatch");
  // The same type: straight from the caller's values. A converted copy of a whole data set
  // was a transient second copy at the peak (Fashion-MNIST: 179 MiB).
  if (holds<From>(dst.dtype)) return backend.upload(dst, values.data());
  switch (dst.dtype) {
    case DType::f32: {
      std::vector<float> host(values.begin(), values.end());
      backend.upload(dst, host.data());
      return;
    }
    case DType::f64: {
      std::vector<double> host(values.begin(), values.end());
      backend.upload(dst, host.data());
      return;
    }
    case DType::i32: {
      std::vector<std::int32_t> host(values.begin(), values.end());
      backend.upload(dst, host.data());
      return;
    }
  }
}

}  // namespace

void upload_values(Backend& backend, Tensor dst, std::span<const double> values) {
  upload_converted(backend, dst, values);
}
void upload_values(Backend& backend, Tensor dst, std::span<const float> values) {
  upload_converted(backend, dst, values);
}
void upload_values(Backend& backend, Tensor dst, std::span<const std::int32_t> values) {
  upload_converted(backend, dst, values);
}

std::vector<float> download_floats(Backend& backend, Tensor src) {
  if (src.dtype != DType::f32) {
    const std::vector<double> values = download_values(backend, src);
    return {values.begin(), values.end()};
  }
  std::vector<float> out(static_cast<std::size_t>(src.size()));
  backend.download(src, out.data());
  return out;
}

std::vector<double> download_values(Backend& backend, Tensor src) {
  std::vector<char> raw(src.bytes());
  backend.download(src, raw.data());
  std::vector<double> out(static_cast<std::size_t>(src.size()));
  for (std::size_t i = 0; i < out.size(); ++i) {
    switch (src.dtype) {
      case DType::f32: {
        float v;
        std::memcpy(&v, raw.data() + i * 4, 4);
        out[i] = v;
        break;
      }
      case DType::f64:
        std::memcpy(&out[i], raw.data() + i * 8, 8);
        break;
      case DType::i32: {
        std::int32_t v;
        std::memcpy(&v, raw.data() + i * 4, 4);
        out[i] = v;
        break;
      }
    }
  }
  return out;
}

}  // namespace nnrun
