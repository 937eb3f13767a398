// Driving nnrun's shell scripts from tests as a user runs them: shell quoting, running a
// script of this checkout with this build's binary, a tiny sweep config, and readers for the
// CSV and plot files the scripts write.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "tests/cli_runner.hpp"

namespace nnrun::testing::scripts {

// A word for the shell: single-quoted, with embedded single quotes spliced in.
inline std::string q(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Runs `command` with /bin/sh -c, stdout and stderr together.
inline CommandResult run_shell(const std::string& command) {
  CommandResult r;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return r;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) r.output.append(buf, n);
  const int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

// A script of this checkout, run with this build's nnrun binary.
inline std::string script(const std::string& name, const std::string& args) {
  return "NNRUN=" + q(NNRUN_BINARY) + " " + q(source_path("scripts/" + name)) + " " + args;
}

inline bool have_gnuplot() {
  return std::system("command -v gnuplot >/dev/null 2>&1") == 0;
}

// Two moons and one hidden tanh layer of `units` (2 inputs, 2 classes): 5 * units + 2
// parameters. Three epochs of 64 points: a run takes a fraction of a second.
inline std::string write_tiny_config(const TempDir& dir) {
  return dir.write("tiny.yaml", R"(seed: 3
data:
  train: {format: synthetic, generator: moons, samples: 64, noise: 0.2}
  validation: {format: synthetic, generator: moons, samples: 32, noise: 0.2}
  normalize: standard
model:
  layers:
    - dense: {units: 4, activation: tanh}
    - dense: {units: 2}
loss: cross_entropy
optimizer: {type: adam, lr: 0.02}
training: {epochs: 3, batch_size: 16}
)");
}

// One CSV line's fields: commas split, double quotes group (with "" for a quote).
inline std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

inline std::vector<std::vector<std::string>> read_csv(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  for (const std::string& line : split(read_file(path), '\n')) rows.push_back(csv_fields(line));
  return rows;
}

inline bool is_png(const std::string& path) {
  const std::string bytes = read_file(path);
  return bytes.size() > 1000 && bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0;
}

inline bool is_svg(const std::string& path) {
  const std::string text = read_file(path);
  return text.size() > 1000 && text.find("<svg") != std::string::npos;
}

inline const std::string kUnitsKey = "'model.layers[0].dense.units'";
inline const std::string kHeader =
    "value,parameters,best_train_error,best_val_error,final_train_error,final_val_error,"
    "best_epoch,epochs_run,stop_reason";

}  // namespace nnrun::testing::scripts
