// Helpers for the config tests: a private temp folder for fixture files, and a way to
// capture the exact message a failing load produces.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <doctest/doctest.h>

#include "core/config/config_loader.hpp"
#include "core/errors.hpp"
#include "tests/temp_dir.hpp"

namespace nnrun::testing {

// A config that is valid on its own: tests append or substitute the part under test.
inline const char* const kMinimalConfig =
    "data:\n"
    "  train: {path: data.csv}\n"
    "model:\n"
    "  layers:\n"
    "    - dense: {units: 3}\n";

// The what() of the InputError (or ConfigError) that loading throws; fails the test
// when loading succeeds.
inline std::string load_error(const std::string& path,
                              const std::vector<std::string>& overrides = {}) {
  try {
    load_config_file(path, overrides);
  } catch (const InputError& error) {
    return error.what();
  }
  FAIL("expected the config to be rejected: " << path);
  return {};
}

// The same for a fixture written to `dir` as cfg.yaml; the message prefix is its path.
inline std::string config_error(const TempDir& dir, const std::string& yaml,
                                const std::vector<std::string>& overrides = {}) {
  return load_error(dir.write("cfg.yaml", yaml), overrides);
}

}  // namespace nnrun::testing
