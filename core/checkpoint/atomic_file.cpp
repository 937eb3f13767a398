// POSIX implementation of atomic file replacement.
#include "core/checkpoint/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "core/errors.hpp"

namespace nnrun {
namespace {

// Names the target (what the user asked for), then the temporary file involved.
[[noreturn]] void fail(const std::string& path, const std::string& what, int err) {
  throw RuntimeFailure(path + ": cannot save: " + what + ": " + std::strerror(err) +
                       "; any earlier version of the file is untouched");
}

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

}  // namespace

void write_file_atomically(const std::string& path, std::string_view contents) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const std::string temp =
      (folder / ("." + target.filename().string() + ".tmp." + std::to_string(::getpid()))).string();

  FileDescriptor fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (fd.get() < 0) {
    const int err = errno;
    fail(path, "cannot create temporary file " + temp, err);
  }
  const char* p = contents.data();
  std::size_t left = contents.size();
  while (left > 0) {
    const ssize_t n = ::write(fd.get(), p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : EIO;
      ::unlink(temp.c_str());
      fail(path, "writing temporary file " + temp + " failed", err);
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    fail(path, "fsync of temporary file " + temp + " failed", err);
  }
  if (::close(fd.release()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    fail(path, "closing temporary file " + temp + " failed", err);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    fail(path, "cannot rename temporary file " + temp + " into place", err);
  }
  // The rename is durable only once the folder's entry is on disk.
  FileDescriptor dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) ::fsync(dir.get());
}

}  // namespace nnrun
