// Typed errors. Library code throws; app/ maps them to exit codes (see ExitCode).
#pragma once

#include <stdexcept>
#include <string>

namespace nnrun {

enum class ExitCode : int { ok = 0, runtime = 1, usage = 2 };

// Bad user input: config, data, checkpoint, command line. Exit code 2.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A location in a YAML file. line/column are 1-based; 0 means unknown.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

// "file:line:col: key.path: message"
class ConfigError : public InputError {
 public:
  ConfigError(const SourceLocation& where, const std::string& key_path, const std::string& message)
      : InputError(format(where, key_path, message)), where_(where), key_path_(key_path) {}
  const SourceLocation& where() const { return where_; }
  const std::string& key_path() const { return key_path_; }

 private:
  static std::string format(const SourceLocation& w, const std::string& key,
                            const std::string& msg) {
    std::string s = w.file;
    if (w.line > 0)
      s.append(":").append(std::to_string(w.line)).append(":").append(std::to_string(w.column));
    s.append(": ");
    if (!key.empty()) s.append(key).append(": ");
    return s.append(msg);
  }
  SourceLocation where_;
  std::string key_path_;
};

// A data file that cannot be used: "file:line: message" or "file: message". Exit code 2.
class DataError : public InputError {
 public:
  using InputError::InputError;
};

// Something failed while running (I/O, a library call). Exit code 1.
class RuntimeFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace nnrun
