// Running the nnrun binary from tests: exit code and combined output, plus temp folders.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "tests/temp_dir.hpp"

namespace nnrun::testing {

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// `prefix` goes before the binary, e.g. "env -u OMP_WAIT_POLICY".
inline CommandResult run_nnrun(const std::string& args, const std::string& prefix = "") {
  const std::string command =
      (prefix.empty() ? "" : prefix + " ") + std::string(NNRUN_BINARY) + " " + args + " 2>&1";
  CommandResult r;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.output.append(buf.data(), n);
  const int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

// The number after "key": in nnrun's JSON output (first occurrence at or after `from`).
inline double json_value(const std::string& json, const std::string& key, std::size_t from = 0) {
  const std::size_t at = json.find("\"" + key + "\": ", from);
  REQUIRE_MESSAGE(at != std::string::npos, (key + " in " + json));
  return std::strtod(json.c_str() + at + key.size() + 4, nullptr);
}

// A run's metrics.csv without its seconds column: the only column identical runs may differ in.
inline std::string metrics_without_seconds(const std::string& run_dir) {
  std::string out;
  for (const std::string& line : split(read_file(run_dir + "/metrics.csv"), '\n'))
    out += line.substr(0, line.rfind(',')) + "\n";
  return out;
}

inline std::string source_path(const std::string& relative) {
  return std::string(NNRUN_SOURCE_DIR) + "/" + relative;
}

}  // namespace nnrun::testing
