// Checkpoints whose frame and header read fine (correct crc32) but whose contents eval and
// predict cannot use: non-finite parameters (a diverged run), a stored config the tensors
// contradict, duplicate names. Each is refused with exit 2 naming the file; `inspect` refuses
// the same contradictions, and shows non-finite values with a warning.
#include <doctest/doctest.h>

#include <cstring>
#include <limits>
#include <string>

#include "core/checkpoint/checkpoint.hpp"
#include "core/checkpoint/inspection.hpp"
#include "tests/checkpoint_fixtures.hpp"
#include "tests/cli_runner.hpp"
#include "tests/temp_dir.hpp"

using namespace nnrun;
using namespace nnrun::testing;
using namespace nnrun::testing::ckpt;

namespace {

// The real checkpoint with the f32 at payload byte `offset` set to `value`. The payload starts
// with layers.0.dense.weight (16 x 4, bytes 0..255), then layers.0.dense.bias (1 x 16).
std::string with_value(std::size_t offset, float value) {
  Parts parts = split_checkpoint(real_run().bytes);
  REQUIRE(offset + 4 <= parts.payload.size());
  std::memcpy(parts.payload.data() + offset, &value, 4);
  return frame(parts.header, parts.payload);
}

const std::string kIris = source_path("datasets/iris.csv");

// predict and eval of `bytes` (as DIR/x.ckpt): exit 2, one line naming the file and `expected`.
void check_predict_and_eval_refuse(const std::string& bytes, const std::string& expected) {
  TempDir dir("ckpt-contents");
  const std::string ckpt = dir.write("x.ckpt", bytes);
  for (const std::string& command :
       {"predict " + ckpt + " --input " + kIris, "eval " + ckpt + " --data " + kIris}) {
    const CommandResult r = run_nnrun(command);
    CAPTURE(command);
    CAPTURE(r.output);
    CHECK(r.exit_code == 2);
    CHECK(r.output.rfind(ckpt + ": " + expected, 0) == 0);
    CHECK(r.output.find('\n') == r.output.size() - 1);  // one line
  }
}

const std::string kHoldsNonFinite = "holds a non-finite value";

}  // namespace

TEST_CASE("predict and eval refuse a checkpoint whose weights hold nan or inf") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  check_predict_and_eval_refuse(with_value(4 * 9, nan),  // row 2, column 1 of the 16 x 4 weights
                                "tensor 'layers.0.dense.weight' " + kHoldsNonFinite +
                                    " (nan at row 2, column 1): the run that wrote it diverged");
  check_predict_and_eval_refuse(
      with_value(256 + 4 * 5, -inf),
      "tensor 'layers.0.dense.bias' " + kHoldsNonFinite + " (-inf at row 0, column 5)");
  check_predict_and_eval_refuse(
      with_value(256 + 4 * 16, inf),  // layer 1's weights
      "tensor 'layers.1.dense.weight' " + kHoldsNonFinite + " (inf at row 0");
}

TEST_CASE("resume refuses a checkpoint whose weights hold nan") {
  check_resume_refused(with_value(0, std::numeric_limits<float>::quiet_NaN()),
                       "tensor 'layers.0.dense.weight' " + kHoldsNonFinite);
}

TEST_CASE("resume refuses a checkpoint whose optimizer state holds nan") {
  // After the 131 parameters: optimizer.adam_m (1 x 131), then optimizer.adam_v.
  constexpr std::size_t kAdamV = 2 * 131 * 4;
  check_resume_refused(
      with_value(kAdamV + 4 * 7, std::numeric_limits<float>::quiet_NaN()),
      "tensor 'optimizer.adam_v' " + kHoldsNonFinite + " (nan at row 0, column 7)");
}

TEST_CASE("inspect shows a checkpoint with non-finite weights with a warning") {
  TempDir dir("ckpt-contents-inspect");
  const std::string ckpt =
      dir.write("nan.ckpt", with_value(256, std::numeric_limits<float>::quiet_NaN()));
  const CommandResult text = run_nnrun("inspect " + ckpt);
  CAPTURE(text.output);
  CHECK(text.exit_code == 0);
  CHECK(text.output.rfind("WARNING: non-finite values (NaN or infinity) in layers.0.dense.bias: " +
                              std::string("the run diverged; eval, predict and train --resume "
                                          "refuse this checkpoint\n"),
                          0) == 0);
  CHECK(contains(text.output, "layers.0.dense.bias          1 x 16  NON-FINITE VALUES\n"));
  CHECK(contains(text.output, "layers.0.dense.weight        16 x 4\n"));
  CHECK(contains(text.output, "checksum: OK"));

  const CommandResult json = run_nnrun("inspect --json " + ckpt);
  CAPTURE(json.output);
  CHECK(json.exit_code == 0);
  CHECK(contains(json.output, "\"non_finite_tensors\": [\n    \"layers.0.dense.bias\"\n  ]"));

  // NaN only in the optimizer's state: the weights still serve eval and predict.
  const std::string state = dir.write(
      "state.ckpt", with_value(2 * 131 * 4 + 4 * 7, std::numeric_limits<float>::quiet_NaN()));
  const CommandResult state_text = run_nnrun("inspect " + state);
  CHECK(state_text.output.rfind("WARNING: non-finite values (NaN or infinity) in "
                                "optimizer.adam_v: train --resume refuses this checkpoint; eval "
                                "and predict can use its weights\n",
                                0) == 0);
  CHECK(run_nnrun("eval " + state + " --data " + kIris).exit_code == 0);

  const CommandResult clean = run_nnrun("inspect --json " + real_run().best);
  CHECK(contains(clean.output, "\"non_finite_tensors\": []"));
  CHECK(!contains(run_nnrun("inspect " + real_run().best).output, "WARNING"));
}

TEST_CASE("a diverged run's last checkpoint is refused by predict and eval and shown by inspect") {
  TempDir dir("ckpt-diverged");
  const std::string run_dir = dir.file("run");
  const CommandResult train =
      run_nnrun("train " + source_path("configs/iris.yaml") +
                " -q --epochs 3 --set optimizer.lr=1e30 --run-dir " + run_dir);
  REQUIRE_MESSAGE(train.exit_code == 0, train.output);  // on_nan: stop
  const std::string last = run_dir + "/last.ckpt";
  const CheckpointInspection inspected = inspect_checkpoint(last);
  REQUIRE(inspected.checkpoint.status == "diverged");
  // Its weights are finite (about 1e30) but overflow in the forward pass: inf - inf.
  CHECK(inspected.non_finite_tensors.empty());
  const std::string cause = ": the run that wrote it diverged: non-finite loss in epoch 1";
  const CommandResult predict = run_nnrun("predict " + last + " --input " + kIris);
  CAPTURE(predict.output);
  CHECK(predict.exit_code == 2);
  CHECK(predict.output.rfind(last + ": the model's outputs for input row 1 are not finite" + cause,
                             0) == 0);
  const CommandResult eval = run_nnrun("eval " + last + " --data " + kIris);
  CAPTURE(eval.output);
  CHECK(eval.exit_code == 2);
  CHECK(eval.output.rfind(last + ": the model's loss on " + kIris + " is not finite (nan)" + cause,
                          0) == 0);
}

TEST_CASE("predict and eval refuse finite weights whose outputs overflow") {
  Parts parts = split_checkpoint(real_run().bytes);
  const float huge = 1e30f;
  for (std::size_t at = 0; at < 256 + 64 + 192; at += 4)  // both layers' weights and layer 0's bias
    std::memcpy(parts.payload.data() + at, &huge, 4);
  TempDir dir("ckpt-overflow");
  const std::string ckpt = dir.write("x.ckpt", frame(parts.header, parts.payload));
  const std::string cause = ": its weights overflow on this input (did the run diverge?)\n";
  const CommandResult predict = run_nnrun("predict " + ckpt + " --input " + kIris);
  CHECK(predict.exit_code == 2);
  CHECK(predict.output.rfind(ckpt + ": the model's outputs for input row ", 0) == 0);
  CHECK(predict.output.ends_with(" are not finite" + cause));
  const CommandResult eval = run_nnrun("eval " + ckpt + " --data " + kIris);
  CHECK(eval.exit_code == 2);
  CHECK(eval.output == ckpt + ": the model's loss on " + kIris + " is not finite (nan)" + cause);
  CHECK(run_nnrun("inspect " + ckpt).exit_code == 0);
}

TEST_CASE("inspect refuses a stored config that the tensors contradict as eval does") {
  TempDir dir("ckpt-contents-config");
  const std::string wide_message =
      "tensor 'layers.0.dense.weight' is 16x4 but the stored config's model needs 100000x4";
  const std::string wide = with_header("- dense: {units: 16,", "- dense: {units: 100000,");
  const std::string classes_message = "the model has 3 outputs but the checkpoint names 2 classes";
  const std::string two_classes = with_header("class_names: [setosa, versicolor, virginica]",
                                              "class_names: [setosa, versicolor]");
  const std::string shift_message = "tensor 'normalizer.shift' is 2x2 but input_width 4 needs 1x4";
  const std::string square_shift =
      with_header("name: normalizer.shift, dtype: f32, rows: 1, cols: 4",
                  "name: normalizer.shift, dtype: f32, rows: 2, cols: 2");
  for (const auto& [bytes, message] :
       {std::pair{wide, wide_message}, std::pair{two_classes, classes_message},
        std::pair{square_shift, shift_message}}) {
    CAPTURE(message);
    check_predict_and_eval_refuse(bytes, message);
    const std::string ckpt = dir.write("bad.ckpt", bytes);
    for (const std::string flags : {"", "--json "}) {
      const CommandResult r = run_nnrun("inspect " + flags + ckpt);
      CAPTURE(r.output);
      CHECK(r.exit_code == 2);
      CHECK(r.output == ckpt + ": " + message + "\n");  // no table from the stored config
    }
  }
}

TEST_CASE("inspect of a corrupt checkpoint whose config the tensors contradict shows no layers") {
  TempDir dir("ckpt-contents-corrupt");
  std::string bytes = with_header("- dense: {units: 16,", "- dense: {units: 100000,");
  bytes.back() = static_cast<char>(bytes.back() ^ 1);  // the stored crc32 no longer holds
  const std::string ckpt = dir.write("bad.ckpt", bytes);
  const CheckpointInspection r = inspect_checkpoint(ckpt);
  CHECK_FALSE(r.checksum_ok);
  CHECK(r.layers.empty());
  CHECK(r.total_parameters == 0);
  CHECK(contains(r.config_error, "needs 100000x4"));
  const CommandResult cli = run_nnrun("inspect " + ckpt);
  CHECK(cli.exit_code == 2);
  CHECK(!contains(cli.output, "100000 "));
  CHECK(contains(cli.output, "layers: unavailable: " + ckpt + ": tensor 'layers.0.dense.weight'"));
}

TEST_CASE("duplicate class or feature names in a checkpoint header are refused") {
  const std::string path = "/runs/dup.ckpt";
  const std::string classes = with_header("class_names: [setosa, versicolor, virginica]",
                                          "class_names: [setosa, versicolor, setosa]");
  CHECK(parse_error(classes, path) ==
        path + ": checkpoint header: class_names[2]: duplicate name 'setosa' (also item 0)");
  const std::string features = with_header("feature_names: [sepal_length, sepal_width,",
                                           "feature_names: [sepal_length, sepal_length,");
  CHECK(parse_error(features, path) ==
        path +
            ": checkpoint header: feature_names[1]: duplicate name 'sepal_length' (also item 0)");
  check_predict_and_eval_refuse(classes, "checkpoint header: class_names[2]: duplicate name");
  TempDir dir("ckpt-contents-dup");
  const CommandResult r = run_nnrun("inspect " + dir.write("dup.ckpt", features));
  CHECK(r.exit_code == 2);
  CHECK(contains(r.output, "feature_names[1]: duplicate name 'sepal_length'"));
}
