// Run directory preparation: the files a run writes, and moving an earlier run aside.
#include "core/train/run_directory.hpp"

#include <filesystem>
#include <vector>

#include "core/errors.hpp"

namespace nnrun {
namespace {

bool is_run_file(const std::string& name) {
  static const char* const kFiles[] = {"config.yaml",  "metrics.csv", "train.log",
                                       "summary.json", "best.ckpt",   "last.ckpt"};
  for (const char* f : kFiles)
    if (name == f) return true;
  return name.starts_with("epoch-") && name.ends_with(".ckpt");
}

}  // namespace

void remove_stale_temporaries(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> stale;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.front() == '.' && name.find(".tmp.") != std::string::npos)
      stale.push_back(entry.path());
  }
  for (const fs::path& p : stale) fs::remove(p, ec);
}

std::string prepare_run_directory(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw RuntimeFailure(dir + ": cannot create run directory: " + ec.message());

  std::vector<fs::path> earlier;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec))
    if (entry.is_regular_file() && is_run_file(entry.path().filename().string()))
      earlier.push_back(entry.path());
  remove_stale_temporaries(dir);
  if (ec) throw RuntimeFailure(dir + ": cannot list run directory: " + ec.message());
  if (earlier.empty()) return "";

  fs::path previous;
  for (int n = 1;; ++n) {
    previous = fs::path(dir) / ("previous-" + std::to_string(n));
    if (!fs::exists(previous)) break;
  }
  fs::create_directory(previous, ec);
  if (ec) throw RuntimeFailure(previous.string() + ": cannot create: " + ec.message());
  for (const fs::path& file : earlier) {
    fs::rename(file, previous / file.filename(), ec);
    if (ec)
      throw RuntimeFailure(file.string() +
                           ": cannot move an earlier run's file aside: " + ec.message());
  }
  return previous.string();
}

}  // namespace nnrun
