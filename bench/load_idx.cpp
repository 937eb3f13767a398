// Benchmark for load_idx: loads the Fashion-MNIST training set (gzip IDX) several times and
// reports wall time, throughput and peak memory against the "2x float data + 100 MB" budget.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "core/data/idx_reader.hpp"
#include "core/errors.hpp"

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

// Peak resident set size of this process so far; Linux reports ru_maxrss in KiB.
double peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) * 1024.0;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t middle = values.size() / 2;
  return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string folder = "/usr/share/datasets/fashion-mnist/";
  const int runs = argc > 1 ? std::atoi(argv[1]) : 5;
  const std::string images = argc > 3 ? argv[2] : folder + "train-images-idx3-ubyte.gz";
  const std::string labels = argc > 3 ? argv[3] : folder + "train-labels-idx1-ubyte.gz";
  if (runs < 1 || argc == 3 || argc > 4) {
    std::fprintf(stderr, "usage: %s [runs (default 5)] [images.idx[.gz] labels.idx[.gz]]\n",
                 argv[0]);
    return 2;
  }
  if (!std::filesystem::exists(images) || !std::filesystem::exists(labels)) {
    std::fprintf(stderr, "not found: %s or %s\n", images.c_str(), labels.c_str());
    return 2;
  }

  const double baseline_rss = peak_rss_bytes();
  std::vector<double> seconds;
  std::int64_t samples = 0;
  std::int64_t pixels = 0;
  for (int run = 0; run < runs; ++run) {
    const auto start = std::chrono::steady_clock::now();
    try {
      // Scoped to the iteration: each load starts with the previous data set freed.
      const nnrun::Dataset data = nnrun::load_idx(images, labels, 0);
      samples = data.size();
      pixels = data.features.cols;
    } catch (const nnrun::DataError& error) {
      std::fprintf(stderr, "%s\n", error.what());
      return 2;
    }
    seconds.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }

  const double best = *std::min_element(seconds.begin(), seconds.end());
  const double typical = median(seconds);
  // Decompressed bytes: both 16/8-byte headers, one byte per pixel, one per label.
  const double decompressed = 16.0 + 8.0 + static_cast<double>(samples) * (pixels + 1);
  // What the result must hold: float32 features and int32 labels.
  const double float_data = static_cast<double>(samples) * (pixels + 1) * 4.0;
  const double budget = 2.0 * float_data + 100.0 * kMiB;
  const double peak = peak_rss_bytes();

  std::printf("load_idx: %s\n          %s\n", images.c_str(), labels.c_str());
  std::printf("samples %lld x %lld pixels, %d runs\n", static_cast<long long>(samples),
              static_cast<long long>(pixels), runs);
  std::printf("wall time   best %.3f s   median %.3f s\n", best, typical);
  std::printf("throughput  %.0f samples/s   %.0f MB/s decompressed (best run)\n", samples / best,
              decompressed / best / 1e6);
  std::printf("peak RSS    %.1f MiB (before loading %.1f MiB)\n", peak / kMiB, baseline_rss / kMiB);
  std::printf("float data  %.1f MiB   peak / data = %.2f\n", float_data / kMiB, peak / float_data);
  std::printf("budget      2 x data + 100 MiB = %.1f MiB: %s\n", budget / kMiB,
              peak <= budget ? "within" : "EXCEEDED");
  return peak <= budget ? 0 : 1;
}
