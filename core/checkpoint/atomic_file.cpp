// POSIX implementation of atomic file replacement.
#include "core/checkpoint/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>
#include <vector>

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

// Writes all of `contents` to `fd`; the errno of a failed write (EIO for a zero-byte one).
int write_all(int fd, std::string_view contents);

// Every piece in order, as one file's contents.
int write_all(int fd, std::span<const std::string_view> pieces) {
  for (const std::string_view piece : pieces)
    if (const int err = write_all(fd, piece); err != 0) return err;
  return 0;
}

int write_all(int fd, std::string_view contents) {
  const char* p = contents.data();
  std::size_t left = contents.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? errno : EIO;
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return 0;
}

// The file `path` names once every symbolic link in its last component is followed (as
// open() would): renaming over that, not over the link, keeps the link and updates what it
// points to. A link into a missing file gives that file's path; a loop fails with ELOOP.
std::string final_target(const std::string& path) {
  namespace fs = std::filesystem;
  fs::path current(path);
  for (int hops = 0;; ++hops) {
    struct stat st {};
    if (::lstat(current.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return current.string();
    if (hops == 40) fail(path, "too many levels of symbolic links", ELOOP);
    std::vector<char> buf(static_cast<std::size_t>(st.st_size > 0 ? st.st_size : 255) + 1);
    const ssize_t n = ::readlink(current.c_str(), buf.data(), buf.size());
    if (n < 0) {
      const int err = errno;
      fail(path, "cannot read symbolic link " + current.string(), err);
    }
    if (static_cast<std::size_t>(n) == buf.size()) continue;  // grew meanwhile: read it again
    const fs::path link(std::string(buf.data(), static_cast<std::size_t>(n)));
    current = link.is_absolute() ? link : current.parent_path() / link;
  }
}

// A FIFO, a terminal, /dev/null or /dev/stdout: written into, as `>` in a shell would.
// Replacing it by a renamed regular file would destroy the node (as root, even in /dev).
void write_in_place(const std::string& path, const std::string& target,
                    std::span<const std::string_view> contents) {
  FileDescriptor fd(::open(target.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) {
    const int err = errno;
    fail(path, "cannot open " + target + " for writing", err);
  }
  if (const int err = write_all(fd.get(), contents); err != 0)
    fail(path, "writing " + target + " failed", err);
  if (::close(fd.release()) != 0) {
    const int err = errno;
    fail(path, "closing " + target + " failed", err);
  }
}

// `target` is missing or a regular file: replaced by a renamed temporary file in its folder,
// with `mode` (the replaced file's permissions, or -1 for a new file's default).
void replace_atomically(const std::string& path, const std::string& target,
                        std::span<const std::string_view> contents, int mode) {
  namespace fs = std::filesystem;
  const fs::path target_path(target);
  const fs::path folder = target_path.has_parent_path() ? target_path.parent_path() : fs::path(".");
  const std::string temp =
      (folder / ("." + target_path.filename().string() + ".tmp." + std::to_string(::getpid())))
          .string();

  FileDescriptor fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (fd.get() < 0) {
    const int err = errno;
    fail(path, "cannot create temporary file " + temp, err);
  }
  if (const int err = write_all(fd.get(), contents); err != 0) {
    ::unlink(temp.c_str());
    fail(path, "writing temporary file " + temp + " failed", err);
  }
  // A replaced file keeps its permissions (best effort: not owned by us, fchmod may refuse).
  if (mode >= 0) (void)::fchmod(fd.get(), static_cast<mode_t>(mode));
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
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    fail(path, "cannot rename temporary file " + temp + " into place", err);
  }
  // The rename is durable only once the folder's entry is on disk.
  FileDescriptor dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) ::fsync(dir.get());
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view contents) {
  write_file_atomically(path, std::span<const std::string_view>(&contents, 1));
}

void write_file_atomically(const std::string& path, std::span<const std::string_view> contents) {
  // What the kernel finds at `path` first: /dev/stdout on a pipe links to "pipe:[N]", which
  // is no path to follow by hand, yet opening /dev/stdout itself writes into the pipe.
  struct stat found {};
  if (::stat(path.c_str(), &found) == 0 && !S_ISREG(found.st_mode) && !S_ISDIR(found.st_mode))
    return write_in_place(path, path, contents);
  const std::string target = final_target(path);
  struct stat st {};
  if (::stat(target.c_str(), &st) != 0) {
    replace_atomically(path, target, contents, -1);  // a new file (or a failure naming why)
    return;
  }
  if (S_ISDIR(st.st_mode)) fail(path, target + " is a folder", EISDIR);
  // A file its owner made read-only is not replaced behind their back (rename would: it only
  // needs the folder to be writable), as `>` in a shell would refuse it too.
  if (S_ISREG(st.st_mode) && ::access(target.c_str(), W_OK) != 0) {
    const int err = errno;
    fail(path, "cannot replace " + target, err);
  }
  if (S_ISREG(st.st_mode))
    replace_atomically(path, target, contents, static_cast<int>(st.st_mode & 07777));
  else
    write_in_place(path, target, contents);
}

}  // namespace nnrun
