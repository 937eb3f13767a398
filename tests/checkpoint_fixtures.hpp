// Checkpoint test fixtures: a real checkpoint written by `nnrun train` (iris, 2 epochs), its
// frame taken apart and put back with a correct crc32, and running code in a forked child.
#pragma once

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/checkpoint/checkpoint.hpp"
#include "core/checkpoint/crc32.hpp"
#include "core/errors.hpp"
#include "tests/cli_runner.hpp"
#include "tests/temp_dir.hpp"

namespace nnrun::testing::ckpt {

struct RealRun {
  TempDir dir{"ckpt_real"};
  std::string run_dir = dir.file("run");
  std::string best = run_dir + "/best.ckpt";
  std::string last = run_dir + "/last.ckpt";
  std::string bytes;  // best.ckpt's
};

// Trained once per test process (ctest runs each test case in its own process).
inline const RealRun& real_run() {
  static const std::unique_ptr<RealRun> run = [] {
    auto r = std::make_unique<RealRun>();
    const CommandResult result = run_nnrun("train " + source_path("configs/iris.yaml") +
                                           " --epochs 2 -q --run-dir " + r->run_dir);
    REQUIRE_MESSAGE(result.exit_code == 0, result.output);
    r->bytes = read_file(r->best);
    REQUIRE(r->bytes.size() > 100);
    return r;
  }();
  return *run;
}

constexpr std::size_t kPrefixBytes = 16;

inline std::uint32_t u32_at(const std::string& bytes, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i)
    v |= std::uint32_t{static_cast<unsigned char>(bytes[at + i])} << (8 * i);
  return v;
}

inline std::string u32le(std::uint32_t v) {
  std::string out;
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  return out;
}

struct Parts {
  std::string header;   // the YAML text
  std::string payload;  // the raw tensors
};

inline Parts split_checkpoint(const std::string& bytes) {
  const std::uint32_t header_bytes = u32_at(bytes, 12);
  const std::size_t payload_begin = kPrefixBytes + header_bytes;
  return {bytes.substr(kPrefixBytes, header_bytes),
          bytes.substr(payload_begin, bytes.size() - 4 - payload_begin)};
}

// A checkpoint file around `header` and `payload` with a correct crc32, so that damage in the
// header reaches the header checks. `header_length` overrides the stored header length.
inline std::string frame(const std::string& header, const std::string& payload,
                         std::uint32_t version = 1,
                         std::optional<std::uint32_t> header_length = std::nullopt,
                         const std::string& magic = "NNRUNCKP") {
  std::string out = magic + u32le(version) +
                    u32le(header_length.value_or(static_cast<std::uint32_t>(header.size()))) +
                    header + payload;
  return out + u32le(crc32_of(out.data(), out.size()));
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// `text` with the first `from` replaced by `to`; `from` must occur.
inline std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, "fixture text lacks: " << from);
  return text.replace(at, from.size(), to);
}

// The real iris checkpoint (4 -> 16 -> 3, epoch 2, 8 batches an epoch) with its header's first
// `from` replaced by `to`, framed again with a correct crc32.
inline std::string with_header(const std::string& from, const std::string& to) {
  const Parts parts = split_checkpoint(real_run().bytes);
  return frame(replaced(parts.header, from, to), parts.payload);
}

// The InputError message parsing `bytes` gives; "LOADED" if it loads, and a message saying
// so for any other exception (which a caller's check then rejects).
inline std::string parse_error(const std::string& bytes, const std::string& path) {
  try {
    parse_checkpoint(bytes, path);
    return "LOADED";
  } catch (const InputError& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("NOT AN InputError: ") + e.what();
  }
}

struct ChildResult {
  int exit_code = -1;   // 128 + signal if the child was killed
  std::string message;  // what `fn` put in its argument
};

// Runs `fn` in a forked child, for code that needs process-wide settings of its own
// (resource limits, signal dispositions). `fn` returns the exit code and may fill `message`.
inline ChildResult run_in_child(const std::function<int(std::string& message)>& fn) {
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(pipe_fds[0]);
    std::string message;
    int code = 99;
    try {
      code = fn(message);
    } catch (const std::exception& e) {
      message = std::string("uncaught: ") + e.what();
      code = 98;
    }
    (void)!::write(pipe_fds[1], message.data(), message.size());
    ::_exit(code);
  }
  ::close(pipe_fds[1]);
  ChildResult r;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(pipe_fds[0], buf, sizeof buf)) > 0) r.message.append(buf, std::size_t(n));
  ::close(pipe_fds[0]);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

// `train --resume` of `bytes` (as DIR/last.ckpt) to epoch 3: exit 2 naming the file, and the
// message holds `expected`.
inline void check_resume_refused(const std::string& bytes, const std::string& expected) {
  TempDir dir("resume-state");
  const std::string ckpt = dir.write("run/last.ckpt", bytes);
  const CommandResult r =
      run_nnrun("train " + source_path("configs/iris.yaml") + " -q --epochs 3 --resume " + ckpt);
  CAPTURE(r.output);
  CHECK(r.exit_code == 2);
  CHECK(r.output.find(ckpt + ": ") != std::string::npos);
  CHECK(r.output.find(expected) != std::string::npos);
  CHECK(r.output.find("internal error") == std::string::npos);
  CHECK(r.output.find('\n') == r.output.size() - 1);  // one line
}

}  // namespace nnrun::testing::ckpt
