// Reference dense (fully-connected) layer and activations.
#include <cmath>
#include <stdexcept>

#include "backends/reference/reference_backend.hpp"
#include "backends/reference/typed.hpp"

namespace nnrun {
using reference::dispatch_float;
using reference::ptr;

void ReferenceBackend::dense_forward(Tensor src, Tensor weights, Tensor bias, Tensor dst) {
  const std::int64_t n = src.rows, in = src.cols, out = weights.rows;
  if (weights.cols != in || bias.size() != out || dst.rows != n || dst.cols != out)
    throw std::invalid_argument("dense_forward: shape mismatch");
  dispatch_float(src.dtype, [&](auto zero) {
    using T = decltype(zero);
    const T *x = ptr<T>(src), *w = ptr<T>(weights), *b = ptr<T>(bias);
    T* y = ptr<T>(dst);
    for (std::int64_t i = 0; i < n; ++i)
      for (std::int64_t o = 0; o < out; ++o) {
        T acc = b[o];
        for (std::int64_t k = 0; k < in; ++k) acc += x[i * in + k] * w[o * in + k];
        y[i * out + o] = acc;
      }
  });
}

void ReferenceBackend::dense_backward(Tensor src, Tensor weights, Tensor ddst, Tensor dsrc,
                                      Tensor dweights, Tensor dbias) {
  const std::int64_t n = src.rows, in = src.cols, out = weights.rows;
  if (ddst.rows != n || ddst.cols != out || dweights.size() != out * in || dbias.size() != out ||
      (!dsrc.empty() && (dsrc.rows != n || dsrc.cols != in)))
    throw std::invalid_argument("dense_backward: shape mismatch");
  dispatch_float(src.dtype, [&](auto zero) {
    using T = decltype(zero);
    const T *x = ptr<T>(src), *w = ptr<T>(weights), *dy = ptr<T>(ddst);
    T *dw = ptr<T>(dweights), *db = ptr<T>(dbias);
    if (!dsrc.empty()) {
      T* dx = ptr<T>(dsrc);
      for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t k = 0; k < in; ++k) {
          T acc = 0;
          for (std::int64_t o = 0; o < out; ++o) acc += dy[i * out + o] * w[o * in + k];
          dx[i * in + k] = acc;
        }
    }
    for (std::int64_t o = 0; o < out; ++o) {
      T bias_acc = 0;
      for (std::int64_t i = 0; i < n; ++i) bias_acc += dy[i * out + o];
      db[o] = bias_acc;
      for (std::int64_t k = 0; k < in; ++k) {
        T acc = 0;
        for (std::int64_t i = 0; i < n; ++i) acc += dy[i * out + o] * x[i * in + k];
        dw[o * in + k] = acc;
      }
    }
  });
}

namespace {

constexpr double kInvSqrt2 = 0.70710678118654752440;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;

template <typename T>
T activate(const ActivationParams& a, T x) {
  switch (a.kind) {
    case Activation::none:
      return x;
    case Activation::relu:
      return x > 0 ? x : T(0);
    case Activation::leaky_relu:
      return x > 0 ? x : T(a.alpha) * x;
    case Activation::elu:
      return x > 0 ? x : T(a.alpha) * std::expm1(x);
    case Activation::gelu:
      return T(0.5) * x * (T(1) + std::erf(x * T(kInvSqrt2)));
    case Activation::sigmoid:
      return T(1) / (T(1) + std::exp(-x));
    case Activation::tanh:
      return std::tanh(x);
  }
  return x;
}

// d activate / d x at x (y = activate(x)).
template <typename T>
T derivative(const ActivationParams& a, T x, T y) {
  switch (a.kind) {
    case Activation::none:
      return T(1);
    case Activation::relu:
      return x > 0 ? T(1) : T(0);
    case Activation::leaky_relu:
      return x > 0 ? T(1) : T(a.alpha);
    case Activation::elu:
      return x > 0 ? T(1) : T(a.alpha) * std::exp(x);
    case Activation::gelu:
      return T(0.5) * (T(1) + std::erf(x * T(kInvSqrt2))) +
             x * T(kInvSqrt2Pi) * std::exp(T(-0.5) * x * x);
    case Activation::sigmoid:
      return y * (T(1) - y);
    case Activation::tanh:
      return T(1) - y * y;
  }
  return T(1);
}

}  // namespace

void ReferenceBackend::activation_forward(ActivationParams act, Tensor src, Tensor dst) {
  if (src.size() != dst.size()) throw std::invalid_argument("activation_forward: shape mismatch");
  dispatch_float(src.dtype, [&](auto zero) {
    using T = decltype(zero);
    const T* x = ptr<T>(src);
    T* y = ptr<T>(dst);
    for (std::int64_t i = 0; i < src.size(); ++i) y[i] = activate<T>(act, x[i]);
  });
}

void ReferenceBackend::activation_backward(ActivationParams act, Tensor src, Tensor dst,
                                           Tensor ddst, Tensor dsrc) {
  if (src.size() != dst.size() || ddst.size() != src.size() || dsrc.size() != src.size())
    throw std::invalid_argument("activation_backward: shape mismatch");
  dispatch_float(src.dtype, [&](auto zero) {
    using T = decltype(zero);
    const T *x = ptr<T>(src), *y = ptr<T>(dst), *dy = ptr<T>(ddst);
    T* dx = ptr<T>(dsrc);
    for (std::int64_t i = 0; i < src.size(); ++i) dx[i] = dy[i] * derivative<T>(act, x[i], y[i]);
  });
}

}  // namespace nnrun
