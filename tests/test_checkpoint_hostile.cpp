// Hostile checkpoints built by hand with a correct crc32, so that they pass the checksum and
// reach the header checks: each must be a one-line InputError naming the file, never a crash,
// an overflow or an allocation larger than the file.
#include <doctest/doctest.h>
#include <sys/resource.h>

#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "core/checkpoint/checkpoint.hpp"
#include "core/errors.hpp"
#include "tests/checkpoint_fixtures.hpp"

using namespace nnrun;
using namespace nnrun::testing;
using namespace nnrun::testing::ckpt;

namespace {

const std::string kPath = "/runs/hostile.ckpt";

struct Hostile {
  std::string header;
  std::string payload;
  Hostile() {
    const Parts parts = split_checkpoint(real_run().bytes);
    header = parts.header;
    payload = parts.payload;
  }
  // The error for the real header with `from` replaced by `to`.
  std::string error_with(const std::string& from, const std::string& to) const {
    return parse_error(frame(replaced(header, from, to), payload), kPath);
  }
};

// The message names the file, says `expected`, and is one line.
void check_error(const std::string& message, const std::string& expected) {
  CAPTURE(message);
  CHECK(message.rfind(kPath + ": ", 0) == 0);
  CHECK(message.find(expected) != std::string::npos);
  CHECK(message.find('\n') == std::string::npos);
}

const std::string kFirstTensor = "rows: 16, cols: 4, offset: 0}";
const std::string kSecondTensor = "rows: 1, cols: 16, offset: 256}";

// Headers that claim far more than the file holds; each must fail before allocating it.
std::vector<std::string> huge_claims(const Hostile& h) {
  return {
      frame(h.header, h.payload, 1, 0xFFFFFFFFu),
      frame(replaced(h.header, kFirstTensor, "rows: 2147483647, cols: 2147483647, offset: 0}"),
            h.payload),
      frame(replaced(h.header, kFirstTensor, "rows: 1, cols: 536870912, offset: 0}"), h.payload),
      frame(replaced(h.header, kSecondTensor, "rows: 1, cols: 16, offset: 9223372036854775807}"),
            h.payload),
  };
}

}  // namespace

TEST_CASE("hand-built checkpoint with a correct crc loads") {
  const Hostile h;
  CHECK(parse_error(frame(h.header, h.payload), kPath) == "LOADED");
}

TEST_CASE("hostile checkpoint frame is an input error") {
  const Hostile h;
  check_error(parse_error(frame(h.header, h.payload, 1, 0xFFFFFFFFu), kPath),
              "its header claims 4294967295 bytes");
  check_error(parse_error(frame(h.header, h.payload, 1, 0), kPath), "header is empty");
  check_error(parse_error(frame(h.header, h.payload, 1, h.header.size() / 2), kPath), "");
  check_error(parse_error(frame(h.header, h.payload, 1, h.header.size() + 8), kPath), "");
  check_error(parse_error(frame(h.header, h.payload, 2), kPath),
              "format version 2 was written by a newer nnrun; this build reads up to version 1");
  std::string newer_corrupt = frame(h.header, h.payload, 7);
  newer_corrupt.back() = static_cast<char>(newer_corrupt.back() ^ 1);
  check_error(parse_error(newer_corrupt, kPath),
              "written by a newer nnrun (or the file is corrupt)");
  check_error(parse_error(frame(h.header, h.payload, 0), kPath), "format version 0 is invalid");
  check_error(parse_error(frame(h.header, h.payload, 1, std::nullopt, "NNRUNCKQ"), kPath),
              "not an nnrun checkpoint (bad magic number)");
  check_error(parse_error(frame(h.header, h.payload + "extra"), kPath),
              "tensors take " + std::to_string(h.payload.size()));
}

TEST_CASE("hostile checkpoint tensor shapes and offsets are input errors") {
  const Hostile h;
  const std::string dim = "expected a whole number in [0, 2147483647]";
  check_error(h.error_with(kFirstTensor, "rows: 4611686018427387904, cols: 4, offset: 0}"),
              "tensors[0].rows: " + dim);
  check_error(h.error_with(kFirstTensor, "rows: 16, cols: 99999999999999999999999, offset: 0}"),
              "tensors[0].cols: " + dim);
  check_error(h.error_with(kFirstTensor, "rows: -16, cols: 4, offset: 0}"), "tensors[0].rows");
  check_error(h.error_with(kFirstTensor, "rows: 1.5, cols: 4, offset: 0}"), "tensors[0].rows");
  check_error(h.error_with(kFirstTensor, "rows: [16], cols: 4, offset: 0}"), "tensors[0].rows");
  check_error(h.error_with(kFirstTensor, "rows: 2147483647, cols: 2147483647, offset: 0}"),
              "'layers.0.dense.weight' (2147483647 x 2147483647 at offset 0) needs");
  check_error(h.error_with(kSecondTensor, "rows: 1, cols: 16, offset: 99999999}"),
              "starts past the end of the payload");
  check_error(h.error_with(kSecondTensor, "rows: 1, cols: 16, offset: -4}"), "tensors[1].offset");
  check_error(h.error_with(kSecondTensor, "rows: 1, cols: 16, offset: 252}"),
              "overlaps the tensor before it, which ends at 256");
  check_error(h.error_with(kSecondTensor, "rows: 1, cols: 16, offset: 260}"), "leaves a gap");
  check_error(h.error_with(kSecondTensor, "rows: 1, cols: 17, offset: 256}"), "overlaps");
  check_error(h.error_with(kFirstTensor, "rows: 0, cols: 4, offset: 0}"), "leaves a gap");
  check_error(h.error_with("name: layers.0.dense.bias", "name: layers.0.dense.weight"),
              "a second tensor named 'layers.0.dense.weight'");
  check_error(h.error_with("dtype: f32, rows: 16", "dtype: f64, rows: 16"),
              "has dtype 'f64'; this build reads only f32");
  check_error(h.error_with("name: layers.0.dense.weight,", "name: '',"), "tensors[0].name: empty");
  check_error(h.error_with("- {name: layers.0.dense.weight", "- 5\n  - {name: x"),
              "tensors[0]: expected a mapping");
  check_error(h.error_with("tensors:\n", "tensors: 5\nlisted:\n"), "tensors: expected a list");
}

TEST_CASE("hostile checkpoint header fields are input errors") {
  const Hostile h;
  // history is a text block: one line of 7 numbers per epoch.
  check_error(h.error_with("history: |\n  1 ", "history: |\n  1 2 "),
              "history line 1: expected 7 numbers");
  check_error(h.error_with("history: |\n  1 ", "history: |\n  one "),
              "history line 1: expected 7 numbers");
  check_error(h.error_with("history: |\n  1 ", "history: |\n  1 2 3 4 5 6 7 8\n  1 "),
              "history line 1: expected 7 numbers");
  check_error(h.error_with("history: |\n", "history: {}\nlisted: |\n"),
              "history: expected a single value");
  check_error(h.error_with("epoch: 2\n", "epoch: two\n"), "epoch: expected a whole number");
  check_error(h.error_with("epoch: 2\n", "epoch: -2\n"), "epoch: expected a whole number");
  check_error(h.error_with("step: 16\n", ""), "step: missing");
  check_error(h.error_with("input_width: 4\n", "input_width: 0\n"), "input_width");
  check_error(h.error_with("task: classification", "task: clustering"), "task: expected");
  check_error(h.error_with("format_version: 1", "format_version: 2"),
              "does not match the file's version 1");
  check_error(h.error_with("format: nnrun-checkpoint", "format: other"),
              "not an nnrun checkpoint (header format field)");
  check_error(h.error_with("metrics:\n", "metrics:\n  [a]: 1\n"), "metrics: expected names");
  check_error(h.error_with("  lr: 0.01\n", "  lr: fast\n"), "metrics.lr: expected a number");
  check_error(h.error_with("status: finished", "status: [a, b]"), "status: expected a single");
  check_error(h.error_with("class_names: [", "class_names: [[x], "), "class_names");
  check_error(h.error_with("config: |", "configuration: |"), "config: missing");
  // Values from a closed set, and fields that must agree with each other.
  check_error(h.error_with("status: finished", "status: exploded"), "status: expected running");
  check_error(h.error_with("backend: cpu", "backend: tpu"), "backend: expected cpu");
  check_error(h.error_with("feature_names: [", "feature_names: [extra, "),
              "feature_names: holds 5 names for input_width 4");
  check_error(h.error_with("class_names: [setosa, versicolor, virginica]", "class_names: [setosa]"),
              "class_names: a classification checkpoint names at least 2 classes");
}

TEST_CASE("hostile yaml in a checkpoint header is an input error") {
  const Hostile h;
  const auto error = [&](const std::string& header) {
    return parse_error(frame(header, h.payload), kPath);
  };
  check_error(error("a: " + std::string(100000, '[') + std::string(100000, ']')),
              "levels of nesting");
  check_error(error(std::string(100000, '{')), "");
  std::string block;
  for (int i = 0; i < 2000; ++i) block += std::string(2 * i, ' ') + "- \n";
  check_error(error(block), "");
  check_error(error("a: &x [1, 2]\nb: *x\n"), "an anchor");
  std::string laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'j'; ++c)
    laughs += std::string(1, c) + ": &" + c + " [*" + char(c - 1) + ", *" + char(c - 1) + "]\n";
  check_error(error(laughs), "an anchor");
  check_error(error(replaced(h.header, "history: |\n", "history: *nothing\nx: |\n")), "");
  check_error(error("[1, 2, 3]\n"), "not a YAML mapping");
  check_error(error("just text\n"), "not a YAML mapping");
  check_error(error(h.header + "---\nformat: again\n"), "more than one YAML document");
  check_error(error("a: \"unterminated\n"), "");
  check_error(error("a: b: c\n"), "cannot be read (line 1): illegal map value");
  check_error(error(std::string("a: \xff\xfe\x00\x01 b\n", 10)), "");
  check_error(error("tensors: [!!binary x]\n"), "");
}

TEST_CASE("checkpoint header with random edits and a correct crc loads or is an input error") {
  const Hostile h;
  std::mt19937_64 rng(7);
  const char alphabet[] = "-[]{}:,'\"&*!|>#? \n0123456789aez.";
  int loaded = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::string header = h.header;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = rng() % header.size();
      const char c = alphabet[rng() % (sizeof alphabet - 1)];
      switch (rng() % 3) {
        case 0:
          header[at] = c;
          break;
        case 1:
          header.insert(header.begin() + at, c);
          break;
        default:
          header.erase(at, 1 + rng() % 8);
      }
    }
    const std::string message = parse_error(frame(header, h.payload), kPath);
    if (message == "LOADED") {
      ++loaded;
      continue;
    }
    CAPTURE(header);
    CHECK_MESSAGE(message.rfind(kPath + ": ", 0) == 0, message);
  }
  MESSAGE(loaded << " of 3000 edited headers still loaded (edits inside the config text)");
}

TEST_CASE("hostile checkpoint claims allocate nothing near their size") {
  const Hostile h;
  const std::vector<std::string> files = huge_claims(h);
  // Headroom over what the process maps now; any claim honoured would need gigabytes.
  std::size_t mapped = 0;
  std::ifstream("/proc/self/statm") >> mapped;
  const rlim_t limit = mapped * static_cast<rlim_t>(::sysconf(_SC_PAGESIZE)) + (512u << 20);
  const ChildResult r = run_in_child([&](std::string& message) {
    const rlimit cap{limit, limit};
    if (::setrlimit(RLIMIT_AS, &cap) != 0) return 2;
    for (const std::string& bytes : files) {
      message = parse_error(bytes, kPath);
      if (message.rfind(kPath + ": ", 0) != 0) return 1;
    }
    return 0;
  });
  CHECK_MESSAGE(r.exit_code == 0, r.message);
}
