// Weight initialization schemes (He et al. 2015; Glorot & Bengio 2010).
#include "core/model/initializer.hpp"

#include <cmath>

#include "core/util/philox.hpp"

namespace nnrun {

std::vector<double> initial_weights(const InitSpec& init, std::int64_t fan_in, std::int64_t fan_out,
                                    std::uint64_t seed, std::uint32_t layer_index) {
  Philox rng(seed, RngStream::init, layer_index);
  std::vector<double> w(static_cast<std::size_t>(fan_in * fan_out));
  const double in = static_cast<double>(fan_in), out = static_cast<double>(fan_out);
  auto uniform = [&](double limit) {
    for (double& x : w) x = (2.0 * rng.next_uniform() - 1.0) * limit;
  };
  auto normal = [&](double std) {
    for (double& x : w) x = rng.next_normal() * std;
  };
  using K = InitSpec::Kind;
  switch (init.kind) {
    case K::he_uniform:
      uniform(std::sqrt(6.0 / in));
      break;
    case K::he_normal:
      normal(std::sqrt(2.0 / in));
      break;
    case K::xavier_uniform:
      uniform(std::sqrt(6.0 / (in + out)));
      break;
    case K::xavier_normal:
      normal(std::sqrt(2.0 / (in + out)));
      break;
    case K::normal:
      normal(init.std);
      break;
  }
  return w;
}

}  // namespace nnrun
