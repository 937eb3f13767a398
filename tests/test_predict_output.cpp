// predict --output onto what is not a plain file: a symbolic link (the file it points to is
// replaced, the link stays), a FIFO and a character device (written into, never replaced
// by a regular file). The device node is a private one made in a temp folder, so that a
// broken build cannot replace /dev/null.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/checkpoint/atomic_file.hpp"
#include "core/errors.hpp"
#include "tests/checkpoint_fixtures.hpp"
#include "tests/cli_runner.hpp"

using namespace nnrun;
using namespace nnrun::testing;
using namespace nnrun::testing::ckpt;

namespace {

struct Prediction {
  std::string checkpoint = real_run().best;
  std::string input = source_path("datasets/iris.csv");
  std::string expected;  // what predict prints to stdout
  Prediction() {
    const CommandResult r = run_nnrun("predict " + checkpoint + " --input " + input);
    REQUIRE_MESSAGE(r.exit_code == 0, r.output);
    expected = r.output;
  }
  CommandResult to(const std::string& output) const {
    return run_nnrun("predict " + checkpoint + " --input " + input + " --output " + output);
  }
};

mode_t file_type(const std::string& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st.st_mode & S_IFMT;
}

}  // namespace

TEST_CASE("predict --output through a symbolic link replaces the file it points to") {
  const Prediction p;
  TempDir dir("predict-symlink");
  const std::string target = dir.write("data/target.csv", "old contents\n");
  const std::string link = dir.file("link.csv");
  std::filesystem::create_symlink("data/target.csv", link);  // relative, as ln -s makes them
  const std::string chained = dir.file("chained.csv");
  std::filesystem::create_symlink(link, chained);

  const CommandResult r = p.to(chained);
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  CHECK(file_type(chained) == S_IFLNK);
  CHECK(file_type(link) == S_IFLNK);
  CHECK(read_file(target) == p.expected);
  // A dangling link: the file it names is created.
  const std::string dangling = dir.file("dangling.csv");
  std::filesystem::create_symlink("data/new.csv", dangling);
  REQUIRE(p.to(dangling).exit_code == 0);
  CHECK(file_type(dangling) == S_IFLNK);
  CHECK(read_file(dir.file("data/new.csv")) == p.expected);
  for (const auto& entry : std::filesystem::directory_iterator(dir.file("data")))
    CHECK_MESSAGE(entry.path().filename().string().find(".tmp.") == std::string::npos,
                  entry.path());
}

TEST_CASE("predict --output into a FIFO writes into it and leaves it a FIFO") {
  const Prediction p;
  TempDir dir("predict-fifo");
  const std::string fifo = dir.file("out.fifo");
  REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
  // Opened for reading first (non-blocking), so predict's open for writing cannot block; the
  // predictions (a few KB) fit the pipe's buffer. A build that renames over the FIFO leaves
  // this reader with nothing instead of hanging.
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  REQUIRE(reader >= 0);
  const CommandResult r = p.to(fifo);
  std::string received;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(reader, buf, sizeof buf)) > 0) received.append(buf, std::size_t(n));
  ::close(reader);
  CHECK_MESSAGE(r.exit_code == 0, r.output);
  CHECK(file_type(fifo) == S_IFIFO);
  CHECK(received == p.expected);
}

TEST_CASE("predict --output onto a character device writes into it and keeps the node") {
  TempDir dir("predict-chardev");
  const std::string node = dir.file("null");
  if (::mknod(node.c_str(), S_IFCHR | 0666, ::makedev(1, 3)) != 0) {  // like /dev/null
    MESSAGE("skipped: cannot make a device node here (needs root)");
    return;
  }
  const Prediction p;
  const CommandResult r = p.to(node);
  CHECK_MESSAGE(r.exit_code == 0, r.output);
  CHECK(file_type(node) == S_IFCHR);
}

TEST_CASE("an atomic replace keeps the replaced file's permissions") {
  TempDir dir("atomic-mode");
  const std::string target = dir.write("out.csv", "old\n");
  REQUIRE(::chmod(target.c_str(), 0600) == 0);
  write_file_atomically(target, "new\n");
  struct stat st {};
  REQUIRE(::stat(target.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  CHECK(read_file(target) == "new\n");
}

TEST_CASE("a read-only file is not replaced behind its owner's back") {
  TempDir dir("atomic-read-only");
  const std::string target = dir.write("out.csv", "old\n");
  REQUIRE(::chmod(target.c_str(), 0444) == 0);
  if (::geteuid() == 0) {
    // root may write any file (as `>` would); check as nobody when su is there.
    if (std::system("command -v su >/dev/null 2>&1") != 0) {
      MESSAGE("running as root without su: the read-only refusal is not checked");
      return;
    }
    REQUIRE(::chmod(dir.path().c_str(), 0777) == 0);
    const std::string command =
        "su nobody -s /bin/sh -c \"" + std::string(NNRUN_BINARY) + " predict " + real_run().best +
        " --input " + source_path("datasets/iris.csv") + " --output " + target + "\" 2>&1";
    REQUIRE(::chmod(real_run().best.c_str(), 0644) == 0);
    const int status = std::system(command.c_str());
    CHECK(WEXITSTATUS(status) == 1);
    CHECK(read_file(target) == "old\n");
    return;
  }
  CHECK_THROWS_AS(write_file_atomically(target, "new\n"), RuntimeFailure);
  CHECK(read_file(target) == "old\n");
}
