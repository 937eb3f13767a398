// Misspelt or missing commands are named, with a hint and the list of commands; `nnrun help`
// prints the help.
#include <doctest/doctest.h>

#include "tests/cli_runner.hpp"

namespace nnrun::testing {
namespace {

const std::string kCommands = "commands: train, eval, predict, inspect, check";

TEST_CASE("cli: an unknown command is named with a did-you-mean hint / exit 2") {
  const CommandResult typo = run_nnrun("chek cfg.yaml");
  CHECK(typo.exit_code == 2);
  CHECK(typo.output ==
        "nnrun: unknown command 'chek' (did you mean 'check'?); " + kCommands + "\n");
  const CommandResult bogus = run_nnrun("bogus");
  CHECK(bogus.exit_code == 2);
  CHECK(bogus.output == "nnrun: unknown command 'bogus'; " + kCommands + "\n");
  const CommandResult option = run_nnrun("--bogus");
  CHECK(option.exit_code == 2);
  CHECK(option.output ==
        "nnrun: unknown option '--bogus'; a command comes first; " + kCommands + "\n");
  const CommandResult none = run_nnrun("");
  CHECK(none.exit_code == 2);
  CHECK(none.output.find(kCommands) != std::string::npos);
}

TEST_CASE("cli: nnrun help prints the help / help COMMAND that command's") {
  const CommandResult help = run_nnrun("help");
  CHECK(help.exit_code == 0);
  CHECK(help.output == run_nnrun("--help").output);
  CHECK(help.output.find("Usage: nnrun") != std::string::npos);
  const CommandResult train = run_nnrun("help train");
  CHECK(train.exit_code == 0);
  CHECK(train.output.find("--resume") != std::string::npos);
  const CommandResult typo = run_nnrun("help chek");
  CHECK(typo.exit_code == 2);
  CHECK(typo.output.find("did you mean 'check'?") != std::string::npos);
}

}  // namespace
}  // namespace nnrun::testing
