// Seeded synthetic data sets (line, polynomial, moons, spirals, blobs) for examples and tests.
// Same spec => bit-identical data: every random draw comes from Philox(seed, RngStream::data).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/config/config.hpp"
#include "core/data/dataset.hpp"

namespace nnrun {

// The generator names generate_synthetic knows, in the order messages list them.
const std::vector<std::string>& synthetic_generators();

// Builds the data set `spec` describes; spec.seed must already be resolved.
//
// Regression (1 feature "x", 1 target, Task::regression; rows in draw order):
//   line:       x ~ U[x_min, x_max], y = slope * x + intercept + N(0, noise^2)
//   polynomial: x ~ U[x_min, x_max], y = sum_k coefficients[k] * x^k + N(0, noise^2)
//   The formula is evaluated in double on x as stored (already rounded to float), so with
//   noise 0 a target equals float(formula(x)) exactly.
//
// Classification (labels int32 in [0, K), class_names "0".."K-1", features "x0".."x{d-1}"):
//   Samples are spread over the K classes as evenly as possible (the first samples % K
//   classes get one more), generated class by class, then the rows are shuffled with the
//   seed so any later split sees mixed classes.
//   moons (K = 2, d = 2): scikit-learn's make_moons. Along each half circle t is evenly
//     spaced over [0, pi] (like sklearn's linspace, t = 0 for a class of one sample):
//     class 0 (outer) at (cos t, sin t), class 1 (inner) at (1 - cos t, 0.5 - sin t).
//     N(0, noise^2) is added to each coordinate. Only the noise and the shuffle are random.
//   spirals (K = classes >= 2, d = 2): arm k at t evenly spaced over [0, 1]: radius t,
//     angle 2 pi k / K + 2 pi t (one full turn), so arms are rotated copies of each other.
//     N(0, noise^2) is added to each coordinate.
//   blobs (K = classes >= 2, d = features >= 1): like make_blobs, point = center[k] +
//     N(0, spread^2) per coordinate, centers from blob_centers(spec). `noise` is not used.
//
// Invalid settings (the config loader checks these first; this is defense in depth) throw
// std::invalid_argument: unknown generator, samples < 1, classes < 2 (spirals, blobs),
// !(x_min < x_max) (line, polynomial), empty coefficients (polynomial), features < 1 (blobs),
// negative or non-finite noise, negative or non-finite spread (blobs).
//
// centers_seed seeds what defines the distribution rather than the sample: the blob centers
// (the other generators' shapes have no random part). Sources meant to come from the same
// distribution (train, validation, test) pass the same centers_seed and differ in spec.seed.
// The one-argument form uses spec.seed for both.
Dataset generate_synthetic(const SyntheticSpec& spec, std::uint64_t centers_seed);
Dataset generate_synthetic(const SyntheticSpec& spec);

// The blob centers, classes x features: each coordinate uniform in [-5, 5], rounded to float;
// generate_synthetic uses exactly these. They come from their own sub-stream, so they
// depend only on centers_seed, classes and features (more classes keep the earlier classes'
// centers). Throws like generate_synthetic for settings blobs would reject.
HostMatrix blob_centers(const SyntheticSpec& spec, std::uint64_t centers_seed);
HostMatrix blob_centers(const SyntheticSpec& spec);  // centers_seed = spec.seed

}  // namespace nnrun
