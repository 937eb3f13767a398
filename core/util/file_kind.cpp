#include "core/util/file_kind.hpp"

#include <filesystem>
#include <system_error>

namespace nnrun {

bool names_open_stream(const std::string& path) {
  return path == "/dev/stdin" || path.starts_with("/dev/fd/") || path.starts_with("/proc/self/fd/");
}

std::string non_regular_file_kind(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (!fs::exists(status) || fs::is_regular_file(status)) return "";
  if (fs::is_directory(status)) return "a directory";
  if (names_open_stream(path)) return "";
  switch (status.type()) {
    case fs::file_type::fifo:
      return "a named pipe";
    case fs::file_type::character:
      return "a character device";
    case fs::file_type::block:
      return "a block device";
    case fs::file_type::socket:
      return "a socket";
    default:
      return "a special file";
  }
}

}  // namespace nnrun
