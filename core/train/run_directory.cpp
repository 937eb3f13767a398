// Run directory preparation: the files a run writes, and moving an earlier run aside.
#include "core/train/run_directory.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <vector>

#include "core/checkpoint/checkpoint.hpp"
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

// dir/previous-N for the first N not yet taken, created.
std::filesystem::path new_previous_folder(const std::string& dir) {
  namespace fs = std::filesystem;
  fs::path previous;
  for (int n = 1;; ++n) {
    previous = fs::path(dir) / ("previous-" + std::to_string(n));
    if (!fs::exists(previous)) break;
  }
  std::error_code ec;
  fs::create_directory(previous, ec);
  if (ec) throw RuntimeFailure(previous.string() + ": cannot create: " + ec.message());
  return previous;
}

void move_into(const std::filesystem::path& file, const std::filesystem::path& folder) {
  std::error_code ec;
  std::filesystem::rename(file, folder / file.filename(), ec);
  if (ec)
    throw RuntimeFailure(file.string() +
                         ": cannot move an earlier run's file aside: " + ec.message());
}

// The epoch a checkpoint file is at; none if it cannot be read (it is then left alone).
std::optional<std::int64_t> checkpoint_epoch(const std::filesystem::path& file) {
  try {
    return load_checkpoint(file.string()).epoch;
  } catch (const InputError&) {
    return std::nullopt;
  }
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

  const fs::path previous = new_previous_folder(dir);
  for (const fs::path& file : earlier) move_into(file, previous);
  return previous.string();
}

DiscardedFiles set_aside_discarded_continuation(const std::string& dir, std::int64_t epoch,
                                                const std::string& resume_path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> later;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || !name.ends_with(".ckpt")) continue;
    std::error_code same_ec;
    if (fs::equivalent(entry.path(), resume_path, same_ec)) continue;  // resumed from: stays
    std::optional<std::int64_t> at;
    if (name.starts_with("epoch-")) {
      // epoch-M.ckpt names its epoch; a name that does not parse is not one of ours.
      const std::string digits = name.substr(6, name.size() - 6 - 5);
      if (digits.empty() || digits.size() > 18 ||
          digits.find_first_not_of("0123456789") != std::string::npos)
        continue;
      at = std::stoll(digits);
    } else if (name == "best.ckpt" || name == "last.ckpt") {
      at = checkpoint_epoch(entry.path());
    }
    if (at && *at > epoch) later.push_back(entry.path());
  }
  if (ec) throw RuntimeFailure(dir + ": cannot list run directory: " + ec.message());
  DiscardedFiles out;
  if (later.empty()) return out;
  std::sort(later.begin(), later.end());
  const fs::path previous = new_previous_folder(dir);
  for (const fs::path& file : later) {
    move_into(file, previous);
    out.files.push_back(file.filename().string());
  }
  // Their record: metrics.csv is rewritten up to the resumed epoch, summary.json at the end.
  for (const char* name : {"metrics.csv", "summary.json"}) {
    const fs::path file = fs::path(dir) / name;
    std::error_code missing;
    if (!fs::is_regular_file(file, missing)) continue;
    fs::copy_file(file, previous / name, ec);
    if (ec)
      throw RuntimeFailure(file.string() +
                           ": cannot copy an earlier run's file aside: " + ec.message());
    out.files.push_back(std::string(name) + " (a copy)");
  }
  out.folder = previous.string();
  return out;
}

}  // namespace nnrun
