// min_lr is where a cosine decay ends and the floor of plateau cuts: at or above
// optimizer.lr it would hold or raise the lr, so it is a config error at min_lr.
#include <doctest/doctest.h>

#include "tests/config_fixtures.hpp"

namespace nnrun::testing {
namespace {

std::string with_optimizer(const std::string& optimizer) {
  return std::string(kMinimalConfig) + "optimizer:\n" + optimizer;
}

TEST_CASE("schedule min_lr: must be below lr for cosine and plateau") {
  TempDir dir;
  const std::string file = dir.file("cfg.yaml");
  CHECK(
      config_error(dir, with_optimizer("  lr: 0.01\n  schedule: {type: cosine, min_lr: 0.1}\n")) ==
      file +
          ":8:36: optimizer.schedule.min_lr: min_lr must be less than optimizer.lr, or the "
          "cosine schedule never lowers the lr (min_lr is 0.1, lr is 0.01)");
  CHECK(config_error(dir, with_optimizer("  lr: 0.01\n  schedule: {type: cosine, min_lr: 0.01}\n"))
            .find("min_lr is 0.01, lr is 0.01") != std::string::npos);
  CHECK(
      config_error(dir, with_optimizer("  lr: 0.01\n  schedule: {type: plateau, min_lr: 0.5}\n")) ==
      file +
          ":8:37: optimizer.schedule.min_lr: min_lr must be less than optimizer.lr, or the "
          "plateau schedule never lowers the lr (min_lr is 0.5, lr is 0.01)");
  // The default lr (0.001 for adam) counts too; an lr typed after --set is blamed on min_lr.
  CHECK(config_error(dir, with_optimizer("  schedule: {type: cosine, min_lr: 0.001}\n"))
            .find("optimizer.schedule.min_lr: ") != std::string::npos);
  CHECK(config_error(dir, with_optimizer("  schedule: {type: cosine, min_lr: 0.0005}\n"),
                     {"optimizer.lr=0.0001"})
            .find("optimizer.schedule.min_lr: ") != std::string::npos);
}

TEST_CASE("schedule min_lr: below lr is fine") {
  TempDir dir;
  const Config cfg = load_config_file(dir.write(
      "cfg.yaml", with_optimizer("  lr: 0.01\n  schedule: {type: cosine, min_lr: 0.001}\n")));
  CHECK(cfg.optimizer.schedule.min_lr == 0.001);
  CHECK(load_config_file(dir.write("p.yaml", with_optimizer("  schedule: {type: plateau}\n")))
            .optimizer.schedule.min_lr == 0.0);
}

}  // namespace
}  // namespace nnrun::testing
