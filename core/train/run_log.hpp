// What a run says: to the console (unless quiet) and, once the run directory exists, to
// train.log as well, so the log is exactly what the console showed.
#pragma once

#include <memory>
#include <string>

namespace spdlog {
class logger;
namespace sinks {
class sink;
}
}  // namespace spdlog

namespace nnrun {

class RunLog {
 public:
  explicit RunLog(bool quiet);
  RunLog(const RunLog&) = delete;  // its logger's error handler points at this object
  RunLog& operator=(const RunLog&) = delete;
  ~RunLog();
  // Starts copying every line to this file (truncated first, or appended to on resume).
  void attach_file(const std::string& path, bool append = false);
  void line(const std::string& text);
  // To train.log only (if attached): what main() prints to stderr, such as the error that
  // ended the run, so that the log still holds everything the console showed.
  void file_line(const std::string& text);
  void flush();

 private:
  std::shared_ptr<spdlog::logger> logger_;
  std::shared_ptr<spdlog::sinks::sink> file_;
  bool write_failed_ = false;  // said once
};

}  // namespace nnrun
