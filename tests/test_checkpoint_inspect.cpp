// `nnrun inspect` and inspect_checkpoint: a real checkpoint shown in text and JSON, and a
// corrupt one still shown but marked "CHECKSUM MISMATCH" with exit code 2.
#include <doctest/doctest.h>

#include <string>

#include "core/checkpoint/inspection.hpp"
#include "core/errors.hpp"
#include "tests/checkpoint_fixtures.hpp"
#include "tests/cli_runner.hpp"
#include "tests/temp_dir.hpp"

using namespace nnrun;
using namespace nnrun::testing;
using namespace nnrun::testing::ckpt;

namespace {

// The real checkpoint with the first `from` in it replaced (same length), crc left stale.
std::string corrupted(const std::string& from, const std::string& to) {
  REQUIRE(from.size() == to.size());
  return replaced(real_run().bytes, from, to);
}

}  // namespace

TEST_CASE("inspect shows the checkpoint architecture metrics tensors and config") {
  const RealRun& run = real_run();
  const CommandResult r = run_nnrun("inspect " + run.best);
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  for (const std::string& part :
       {"checkpoint   " + run.best, std::string("format       version 1, written by nnrun "),
        std::string("backend      "), std::string("status       "), std::string("epoch        2"),
        std::string("task         classification"), std::string("input width  4"),
        std::string("classes      setosa, versicolor, virginica"),
        std::string("label column species\n"), std::string("data         crc32:"),
        std::string("0  dense    4 -> 16          relu                  80"),
        std::string("1  dense    16 -> 3          none                  51"),
        std::string("total                                          131"),
        std::string("  val_loss"), std::string("  layers.0.dense.weight        16 x 4"),
        std::string("  optimizer.adam_m             1 x 131"), std::string("config:\n  "),
        std::string("  model:\n"), std::string("checksum: OK\n")})
    CHECK_MESSAGE(contains(r.output, part), part);
  CHECK(!contains(r.output, "MISMATCH"));
}

TEST_CASE("inspect json of a checkpoint has layers metrics tensors and checksum_ok") {
  const RealRun& run = real_run();
  const CommandResult r = run_nnrun("inspect --json " + run.best);
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  CHECK(r.output.front() == '{');
  for (const std::string& part :
       {std::string("\"checkpoint\": \"") + run.best + "\"", std::string("\"format_version\": 1"),
        std::string("\"epoch\": 2"), std::string("\"task\": \"classification\""),
        std::string("\"class_names\": [\n    \"setosa\""), std::string("\"layers\": [\n    {"),
        std::string("\"label_column\": \"species\""), std::string("\"data_fingerprint\": \"crc32:"),
        std::string("\"layer\": \"dense\""), std::string("\"parameters\": 80"),
        std::string("\"total_parameters\": 131"), std::string("\"metrics\": {\n    \"val_loss\": "),
        std::string("\"name\": \"normalizer.shift\""), std::string("\"config\": \"# nnrun"),
        std::string("\"checksum_ok\": true")})
    CHECK_MESSAGE(contains(r.output, part), part);
}

TEST_CASE("inspect of a checkpoint whose checksum fails shows it marked corrupt and exits 2") {
  TempDir dir("ckpt_inspect");
  const std::string& bytes = real_run().bytes;
  std::string flipped = bytes;
  flipped[bytes.size() - 10] = static_cast<char>(flipped[bytes.size() - 10] ^ 0x01);
  const std::string file = dir.write("flipped.ckpt", flipped);

  const CommandResult text = run_nnrun("inspect " + file);
  CHECK(text.exit_code == 2);
  CHECK(text.output.rfind("CHECKSUM MISMATCH: the file is corrupt", 0) == 0);
  CHECK(contains(text.output, "epoch        2"));
  CHECK(contains(text.output, "layers.0.dense.weight"));
  CHECK(contains(text.output, "checksum: CHECKSUM MISMATCH: the file is corrupt (stored "));
  CHECK(contains(text.output, file + ": CHECKSUM MISMATCH: the file is corrupt"));
  CHECK(!contains(text.output, "checksum: OK"));

  const CommandResult json = run_nnrun("inspect --json " + file);
  CHECK(json.exit_code == 2);
  CHECK(contains(json.output, "\"checksum_ok\": false"));
  CHECK(contains(json.output, "\"total_parameters\": 131"));
  CHECK(contains(json.output, file + ": CHECKSUM MISMATCH"));
}

TEST_CASE("inspect_checkpoint reports a failed checksum instead of throwing") {
  TempDir dir("ckpt_inspect_core");
  const CheckpointInspection good = inspect_checkpoint(real_run().best);
  CHECK(good.checksum_ok);
  CHECK(good.total_parameters == 131);
  CHECK(good.layers.size() == 2);
  CHECK(good.file_bytes == real_run().bytes.size());

  // A changed unit count in the stored config: the layer table cannot be rebuilt either.
  const std::string bad_config = dir.write("config.ckpt", corrupted("units: 16", "units: q6"));
  const CheckpointInspection r = inspect_checkpoint(bad_config);
  CHECK_FALSE(r.checksum_ok);
  CHECK(r.stored_crc != r.computed_crc);
  CHECK(r.layers.empty());
  CHECK(contains(r.config_error, bad_config + " (stored config)"));
  CHECK(r.checkpoint.epoch == 2);
  const CommandResult cli = run_nnrun("inspect " + bad_config);
  CHECK(cli.exit_code == 2);
  CHECK(contains(cli.output, "layers: unavailable: " + bad_config + " (stored config)"));

  // Damage the header's own checks catch too is one error that names the checksum first.
  const std::string& bytes = real_run().bytes;
  const std::string cut = dir.write("cut.ckpt", bytes.substr(0, bytes.size() - 100));
  try {
    inspect_checkpoint(cut);
    FAIL("a cut checkpoint was inspected");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).rfind(cut + ": checkpoint is corrupt or truncated (checksum "
                                            "mismatch) and cannot be read: ",
                                      0) == 0);
  }
  const CommandResult missing = run_nnrun("inspect " + dir.file("none.ckpt"));
  CHECK(missing.exit_code == 2);
  CHECK(missing.output == dir.file("none.ckpt") + ": checkpoint file not found\n");
}
