// A private temp folder for a test's files, removed with everything in it at scope exit.
// The pid and a counter in its name keep parallel test processes (ctest -j) apart.
#pragma once

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

namespace nnrun::testing {

class TempDir {
 public:
  explicit TempDir(const std::string& tag = "test") {
    static std::atomic<int> counter{0};
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    path_ = std::filesystem::temp_directory_path() /
            ("nnrun_" + tag + "_" + std::to_string(::getpid()) + "_" + std::to_string(stamp) + "_" +
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
  // The full path of `relative_name` inside the folder (not created).
  std::string file(const std::string& relative_name) const {
    return (path_ / relative_name).string();
  }
  // Writes `text` verbatim (binary, so "\r\n" stays) to `relative_name`, creating folders,
  // and returns the full path.
  std::string write(const std::string& relative_name, const std::string& text) const {
    const auto target = path_ / relative_name;
    std::filesystem::create_directories(target.parent_path());
    std::ofstream(target, std::ios::binary) << text;
    return target.string();
  }

 private:
  std::filesystem::path path_;
};

}  // namespace nnrun::testing
