// Dispatch from a runtime dtype to a template instantiation, for the reference loops.
#pragma once

#include <stdexcept>
#include <string>

#include "core/tensor.hpp"

namespace nnrun::reference {

template <typename T>
T* ptr(Tensor t) {
  return static_cast<T*>(t.data);
}

template <typename Fn>
void dispatch_float(DType dtype, Fn&& fn) {
  switch (dtype) {
    case DType::f32:
      fn(float{});
      return;
    case DType::f64:
      fn(double{});
      return;
    default:
      throw std::invalid_argument("reference backend: unsupported dtype " +
                                  std::string(dtype_name(dtype)));
  }
}

}  // namespace nnrun::reference
