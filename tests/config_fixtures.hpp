// Helpers for the config tests: a private temp folder for fixture files, and a way to
// capture the exact message a failing load produces.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <doctest/doctest.h>

#include "core/config/config_loader.hpp"
#include "core/errors.hpp"

namespace nnrun::testing {

// A fresh folder under the system temp dir, removed with everything in it at scope exit;
// the pid in its name keeps parallel test processes (ctest -j) apart.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    path_ = std::filesystem::temp_directory_path() /
            ("nnrun_config_test_" + std::to_string(::getpid()) + "_" + std::to_string(stamp) + "_" +
             std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  const std::filesystem::path& path() const { return path_; }

  // Writes `text` to `relative_name` (folders created) and returns the full path.
  std::string write(const std::string& relative_name, const std::string& text) const {
    const auto file = path_ / relative_name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    return file.string();
  }

 private:
  std::filesystem::path path_;
};

// A config that is valid on its own: tests append or substitute the part under test.
inline const char* const kMinimalConfig =
    "data:\n"
    "  train: {path: data.csv}\n"
    "model:\n"
    "  layers:\n"
    "    - dense: {units: 3}\n";

// The what() of the InputError (or ConfigError) that loading throws; fails the test
// when loading succeeds.
inline std::string load_error(const std::string& path,
                              const std::vector<std::string>& overrides = {}) {
  try {
    load_config_file(path, overrides);
  } catch (const InputError& error) {
    return error.what();
  }
  FAIL("expected the config to be rejected: " << path);
  return {};
}

// The same for a fixture written to `dir` as cfg.yaml; the message prefix is its path.
inline std::string config_error(const TempDir& dir, const std::string& yaml,
                                const std::vector<std::string>& overrides = {}) {
  return load_error(dir.write("cfg.yaml", yaml), overrides);
}

}  // namespace nnrun::testing
