// Precision around a run. A checkpoint trained with bf16 products holds f32 weights: eval and
// predict run it where bf16 products cannot (the reference backend here), with f32 products
// and a note saying so. summary.json names the precision a run trained with.
#include <doctest/doctest.h>
#include <oneapi/dnnl/dnnl.h>

#include <string>
#include <vector>

#include "backends/onednn/onednn_backend.hpp"
#include "tests/cli_runner.hpp"

using namespace nnrun::testing;

TEST_CASE("a bf16 checkpoint evaluates and predicts on the f32-only reference backend") {
  if (!nnrun::OneDnnBackend::bf16_supported()) {
    MESSAGE("this CPU has no bf16 products: a bf16 run cannot be trained to test this");
    return;
  }
  TempDir dir("bf16-ckpt");
  const std::string run = dir.file("run");
  REQUIRE(run_nnrun("train " + source_path("configs/iris.yaml") +
                    " -q --epochs 5 --set precision=bf16 --run-dir " + run)
              .exit_code == 0);
  const std::string note = "was trained with bf16 products; bf16 runs on the cpu backend";
  const CommandResult eval = run_nnrun("eval " + run + "/best.ckpt --backend reference --json");
  CHECK_MESSAGE(eval.exit_code == 0, eval.output);
  CHECK(eval.output.find(note) != std::string::npos);
  const CommandResult on_cpu = run_nnrun("eval " + run + "/best.ckpt --json");
  REQUIRE(on_cpu.exit_code == 0);
  CHECK(on_cpu.output.find(note) == std::string::npos);  // bf16 where it runs
  // f32 products of the same weights: close to the bf16 evaluation, not equal.
  CHECK(json_value(eval.output, "loss") ==
        doctest::Approx(json_value(on_cpu.output, "loss")).epsilon(0.02));

  const std::string input =
      dir.write("in.csv", "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n");
  const CommandResult predict =
      run_nnrun("predict " + run + "/best.ckpt --backend reference --input " + input);
  CHECK_MESSAGE(predict.exit_code == 0, predict.output);
  CHECK(predict.output.find("setosa,") != std::string::npos);
}

TEST_CASE("summary.json names the precision of the dense products and the library versions") {
  TempDir dir("summary-precision");
  std::vector<std::string> precisions = {"f32"};
  if (nnrun::OneDnnBackend::bf16_supported()) precisions.push_back("bf16");
  for (const std::string& precision : precisions) {
    CAPTURE(precision);
    const std::string run = dir.file(precision);
    REQUIRE(run_nnrun("train " + source_path("configs/iris.yaml") + " -q --epochs 1" +
                      " --set precision=" + precision + " --run-dir " + run)
                .exit_code == 0);
    const std::string summary = read_file(run + "/summary.json");
    CHECK(summary.find("\"precision\": \"" + precision + "\"") != std::string::npos);
    CHECK(summary.find("\"stop_reason\": \"completed its 1 epoch\"") != std::string::npos);
    // versions: nnrun's and the math library's (dnnl_version()), e.g. "oneDNN": "2.6.3".
    const dnnl_version_t* v = dnnl_version();
    const std::string onednn = "\"oneDNN\": \"" + std::to_string(v->major) + "." +
                               std::to_string(v->minor) + "." + std::to_string(v->patch) + "\"";
    CHECK_MESSAGE(summary.find(onednn) != std::string::npos, summary);
  }
}
