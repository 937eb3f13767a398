// Benchmark for load_csv: a CSV of the Fashion-MNIST training set (written once from the
// Debian package's IDX files, integer pixels 0..255 and a label column: about 130 MB), or
// a CSV given, loaded several times; reports wall time and throughput.
//   nnrun_bench_load_csv [runs (default 5)] [file.csv [label]]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/data/csv_reader.hpp"
#include "core/data/idx_reader.hpp"
#include "core/errors.hpp"

namespace {

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t middle = values.size() / 2;
  return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

// Fashion-MNIST's training images as CSV text: pixel0..pixel783,label, one row an image.
std::string write_fashion_csv() {
  const std::string folder = "/usr/share/datasets/fashion-mnist/";
  const nnrun::Dataset data = nnrun::load_idx(folder + "train-images-idx3-ubyte.gz",
                                              folder + "train-labels-idx1-ubyte.gz", 0);
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("nnrun_bench_fashion_train." + std::to_string(::getpid()) + ".csv"))
                               .string();
  std::ofstream out(path, std::ios::binary);
  for (std::int64_t c = 0; c < data.features.cols; ++c) out << "pixel" << c << ",";
  out << "label\n";
  for (std::int64_t i = 0; i < data.size(); ++i) {
    for (std::int64_t c = 0; c < data.features.cols; ++c)
      out << static_cast<int>(data.features.at(i, c)) << ",";
    out << data.class_names[static_cast<std::size_t>(data.labels[static_cast<std::size_t>(i)])]
        << "\n";
  }
  if (!out.flush()) throw nnrun::RuntimeFailure(path + ": cannot write the benchmark CSV");
  return path;
}

// Removes the generated file however the benchmark ends.
struct RemovedAtExit {
  std::string path;
  ~RemovedAtExit() {
    std::error_code ignored;
    if (!path.empty()) std::filesystem::remove(path, ignored);
  }
};

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::atoi(argv[1]) : 5;
  if (runs < 1 || argc > 4) {
    std::fprintf(stderr, "usage: %s [runs (default 5)] [file.csv [label]]\n", argv[0]);
    return 2;
  }
  try {
    const bool generated = argc < 3;
    const std::string path = generated ? write_fashion_csv() : argv[2];
    const RemovedAtExit cleanup{generated ? path : ""};
    const std::string label = argc > 3 ? argv[3] : "";
    const double bytes = static_cast<double>(std::filesystem::file_size(path));
    std::vector<double> seconds;
    std::int64_t rows = 0, cols = 0;
    for (int run = 0; run < runs; ++run) {
      const auto start = std::chrono::steady_clock::now();
      const nnrun::Dataset data = nnrun::load_csv(path, label, nnrun::Task::classification);
      seconds.push_back(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      rows = data.size();
      cols = data.features.cols;
    }
    const double best = *std::min_element(seconds.begin(), seconds.end());
    std::printf("load_csv: %s (%.1f MB)\n", path.c_str(), bytes / 1e6);
    std::printf("rows %lld x %lld features, %d runs\n", static_cast<long long>(rows),
                static_cast<long long>(cols), runs);
    std::printf("wall time   best %.3f s   median %.3f s\n", best, median(seconds));
    std::printf("throughput  %.0f rows/s   %.0f MB/s of text (best run)\n", rows / best,
                bytes / best / 1e6);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return 2;
  }
  return 0;
}
