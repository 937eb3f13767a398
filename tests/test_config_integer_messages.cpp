// Integer keys: a whole number written as a float ("2.0", "1e2") is told apart from a
// fraction and from a digit string too long for int64.
#include <doctest/doctest.h>

#include "tests/config_fixtures.hpp"

namespace nnrun::testing {
namespace {

TEST_CASE("integer keys: 2.0 and 1e2 need no decimal point or exponent") {
  TempDir dir;
  const std::string file = dir.file("cfg.yaml");
  const auto epochs = [&](const std::string& value) {
    return config_error(dir, std::string(kMinimalConfig) + "training:\n  epochs: " + value + "\n");
  };
  const std::string hint = "expected an integer (without a decimal point or exponent), got ";
  CHECK(epochs("2.0") == file + ":7:11: training.epochs: " + hint + "2.0");
  CHECK(epochs("1e2") == file + ":7:11: training.epochs: " + hint + "1e2");
  CHECK(epochs("1e30") == file + ":7:11: training.epochs: " + hint + "1e30");
  CHECK(epochs("10.5") == file + ":7:11: training.epochs: expected an integer, got 10.5");
  CHECK(epochs("99999999999999999999") ==
        file + ":7:11: training.epochs: integer out of range, got 99999999999999999999");
  CHECK(epochs("-99999999999999999999") ==
        file + ":7:11: training.epochs: integer out of range, got -99999999999999999999");
  CHECK(config_error(dir, kMinimalConfig, {"seed=1e3"}) == "--set seed=1e3: seed: " + hint + "1e3");
}

}  // namespace
}  // namespace nnrun::testing
