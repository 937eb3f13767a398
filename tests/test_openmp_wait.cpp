// How nnrun chooses OpenMP's wait policy (app/openmp_env.hpp): the decision on its inputs,
// the /proc/loadavg parsing, and what a run started without any OpenMP variable reports.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "app/openmp_env.hpp"
#include "tests/cli_runner.hpp"

using nnrun::app::choose_short_spin;
using nnrun::app::runnable_tasks;
using nnrun::testing::read_file;
using nnrun::testing::run_nnrun;
using nnrun::testing::source_path;
using nnrun::testing::TempDir;

namespace {
using Samples = std::vector<std::optional<int>>;
}  // namespace

TEST_CASE("openmp wait: the short spin only when nnrun ran alone / never over the user's") {
  CHECK(choose_short_spin(false, Samples{2, 1, 3}));
  CHECK(choose_short_spin(false, Samples{1}));
  CHECK_FALSE(choose_short_spin(false, Samples{2, 2, 3}));
  // Unreadable samples count as busy; a user's GOMP_SPINCOUNT is kept.
  CHECK_FALSE(choose_short_spin(false, Samples{std::nullopt, std::nullopt}));
  CHECK_FALSE(choose_short_spin(false, Samples{}));
  CHECK_FALSE(choose_short_spin(true, Samples{1, 1, 1}));
}

TEST_CASE("openmp wait: the runnable count of a /proc/loadavg line") {
  CHECK(runnable_tasks("0.10 0.20 0.30 1/77 4242") == 1);
  CHECK(runnable_tasks("1.72 1.38 1.20 12/380 31361\n") == 12);
  CHECK(runnable_tasks("") == std::nullopt);
  CHECK(runnable_tasks("0.10 0.20 0.30") == std::nullopt);
  CHECK(runnable_tasks("0.10 0.20 0.30 x/77 1") == std::nullopt);
  CHECK(runnable_tasks("0.10 0.20 0.30 3") == std::nullopt);
  CHECK(runnable_tasks("0.10 0.20 0.30 -1/77 1") == std::nullopt);
}

TEST_CASE("openmp wait: a run started without OpenMP variables says how its threads wait") {
  TempDir dir("openmp-wait");
  const std::string config = source_path("configs/iris.yaml");
  const std::string chosen = dir.file("chosen"), user = dir.file("user");
  // The test runner sets OMP_WAIT_POLICY for its children; unset it as a user would have.
  REQUIRE(run_nnrun("train " + config + " -q --epochs 1 --threads 2 --run-dir " + chosen,
                    "env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT")
              .exit_code == 0);
  const std::string log = read_file(chosen + "/train.log");
  CHECK(log.find("2 threads, OMP_WAIT_POLICY=PASSIVE") != std::string::npos);
  // The short spin depends on what else ran at that moment; when chosen, it is the short one.
  const std::size_t spin = log.find("GOMP_SPINCOUNT=");
  if (spin != std::string::npos) CHECK(log.compare(spin, 19, "GOMP_SPINCOUNT=3000") == 0);

  REQUIRE(run_nnrun("train " + config + " -q --epochs 1 --threads 2 --run-dir " + user,
                    "env -u GOMP_SPINCOUNT OMP_WAIT_POLICY=active")
              .exit_code == 0);
  const std::string user_log = read_file(user + "/train.log");
  CHECK(user_log.find("2 threads, OMP_WAIT_POLICY=active,") != std::string::npos);
  CHECK(user_log.find("GOMP_SPINCOUNT") == std::string::npos);
}
