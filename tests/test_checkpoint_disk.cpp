// Saving when the disk says no: a full disk (a file size limit), a read-only folder, a folder
// in the target's place, and `nnrun train` under `ulimit -f`. The earlier file must survive.
#include <doctest/doctest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <string>
#include <vector>

#include "core/checkpoint/atomic_file.hpp"
#include "core/checkpoint/checkpoint.hpp"
#include "core/errors.hpp"
#include "tests/checkpoint_fixtures.hpp"
#include "tests/cli_runner.hpp"
#include "tests/temp_dir.hpp"

using namespace nnrun;
using namespace nnrun::testing;
using namespace nnrun::testing::ckpt;

namespace {

std::vector<std::string> folder_entries(const std::filesystem::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(folder))
    names.push_back(entry.path().filename().string());
  return names;
}

// write_file_atomically must fail with a RuntimeFailure naming `target`; 0 if it did.
int expect_save_failure(const std::string& target, const std::string& contents,
                        std::string& message) {
  try {
    write_file_atomically(target, contents);
    message = "the write succeeded";
    return 1;
  } catch (const RuntimeFailure& e) {
    message = e.what();
    return message.rfind(target + ": cannot save: ", 0) == 0 ? 0 : 2;
  }
}

}  // namespace

TEST_CASE("checkpoint save onto a full disk fails naming the file and keeps the earlier one") {
  TempDir dir("ckpt_full");
  const std::string target = dir.write("best.ckpt", "the previous checkpoint\n");
  const ChildResult r = run_in_child([&](std::string& message) {
    // Past RLIMIT_FSIZE a write fails with EFBIG, as on a full disk, once SIGXFSZ is ignored.
    std::signal(SIGXFSZ, SIG_IGN);
    const rlimit cap{4096, 4096};
    if (::setrlimit(RLIMIT_FSIZE, &cap) != 0) return 3;
    return expect_save_failure(target, std::string(1 << 16, 'x'), message);
  });
  CHECK_MESSAGE(r.exit_code == 0, r.message);
  CHECK(r.message.find("File too large") != std::string::npos);
  CHECK(read_file(target) == "the previous checkpoint\n");
  CHECK(folder_entries(dir.path()) == std::vector<std::string>{"best.ckpt"});
}

TEST_CASE(
    "checkpoint save into a read-only folder fails naming the file and keeps the earlier one") {
  if (::geteuid() == 0) {
    MESSAGE("skipped: running as root, which ignores folder permissions");
    return;
  }
  TempDir dir("ckpt_readonly");
  const std::string target = dir.write("last.ckpt", "the previous checkpoint\n");
  REQUIRE(::chmod(dir.path().c_str(), 0555) == 0);
  std::string message;
  const int code = expect_save_failure(target, "new contents", message);
  ::chmod(dir.path().c_str(), 0755);
  CHECK_MESSAGE(code == 0, message);
  CHECK(message.find("Permission denied") != std::string::npos);
  CHECK(read_file(target) == "the previous checkpoint\n");
  CHECK(folder_entries(dir.path()) == std::vector<std::string>{"last.ckpt"});
}

TEST_CASE("checkpoint save over a folder fails naming it and leaves no temporary file") {
  TempDir dir("ckpt_over_dir");
  const std::string target = dir.file("best.ckpt");
  std::filesystem::create_directory(target);
  std::string message;
  CHECK_MESSAGE(expect_save_failure(target, "contents", message) == 0, message);
  CHECK(std::filesystem::is_directory(target));
  CHECK(folder_entries(dir.path()) == std::vector<std::string>{"best.ckpt"});
}

TEST_CASE("save_checkpoint then load_checkpoint gives the same checkpoint") {
  TempDir dir("ckpt_roundtrip");
  const Checkpoint original = load_checkpoint(real_run().best);
  save_checkpoint(dir.file("copy.ckpt"), original);
  CHECK(read_file(dir.file("copy.ckpt")) == real_run().bytes);
  CHECK(folder_entries(dir.path()) == std::vector<std::string>{"copy.ckpt"});
}

TEST_CASE("train under a file size limit exits 1 naming the checkpoint and keeps the earlier one") {
  TempDir dir("ckpt_ulimit");
  const std::string config = source_path("configs/iris.yaml");
  // How many bytes one `ulimit -f` block is in the shell popen runs (512 in dash, 1024 in bash).
  const std::string probe = dir.file("probe");
  run_nnrun("--version >/dev/null; (ulimit -f 2; head -c 8192 /dev/zero > " + probe +
            ") 2>/dev/null; :");
  const std::uintmax_t block = std::filesystem::file_size(probe) / 2;
  REQUIRE((block == 512 || block == 1024));

  // A reference run gives each epoch's checkpoint size: it grows by a history row per epoch.
  const std::string reference = dir.file("reference");
  const CommandResult ref = run_nnrun("train " + config + " --epochs 20 -q --set " +
                                      "checkpoint.every_n_epochs=1 --run-dir " + reference);
  REQUIRE_MESSAGE(ref.exit_code == 0, ref.output);
  const auto size_at = [&](int epoch) {
    return std::filesystem::file_size(reference + "/epoch-" + std::to_string(epoch) + ".ckpt");
  };
  // A limit that epoch 3's checkpoint fits under and epoch 19's does not; the other run files
  // are far smaller.
  const std::uintmax_t blocks = (size_at(3) + 64) / block + 1;
  REQUIRE_MESSAGE(blocks * block + 64 < size_at(19), "checkpoints grow too slowly per epoch");

  const std::string run_dir = dir.file("limited");
  // run_nnrun's shell runs the line: set the limit there, then train under it.
  const CommandResult r =
      run_nnrun("--version >/dev/null && ulimit -f " + std::to_string(blocks) + " && " +
                NNRUN_BINARY + " train " + config +
                " --epochs 20 -q --set checkpoint.last_every_seconds=0 --run-dir " + run_dir);
  CHECK_MESSAGE(r.exit_code == 1, r.output);
  CHECK_MESSAGE(r.output.find(run_dir + "/") != std::string::npos, r.output);
  CHECK_MESSAGE(r.output.find(".ckpt: cannot save: ") != std::string::npos, r.output);
  CHECK_MESSAGE(r.output.find("File too large") != std::string::npos, r.output);
  for (const char* name : {"best.ckpt", "last.ckpt"}) {
    CAPTURE(name);
    const Checkpoint c = load_checkpoint(run_dir + "/" + name);
    CHECK(c.epoch >= 3);
    CHECK(c.epoch < 19);
  }
  for (const std::string& name : folder_entries(run_dir))
    CHECK_MESSAGE(name.find(".tmp.") == std::string::npos, name);
  // summary.json still says how far the run got and why it ended (it is far smaller than
  // a checkpoint, so it fits under the limit).
  const std::string summary = read_file(run_dir + "/summary.json");
  CHECK_MESSAGE(summary.find("\"status\": \"failed\"") != std::string::npos, summary);
  CHECK_MESSAGE(summary.find("File too large") != std::string::npos, summary);
  CHECK(json_value(summary, "epochs_run") >= 3);
  // Its best is best.ckpt's, not an epoch whose save failed.
  CHECK(json_value(summary, "best_epoch") == load_checkpoint(run_dir + "/best.ckpt").epoch);
}
