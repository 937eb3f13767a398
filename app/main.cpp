// nnrun's command line: parses arguments with CLI11 and maps errors to exit codes
// (0 success, 1 runtime failure, 2 usage/config/data error). Nothing else lives here.
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "app/commands.hpp"
#include "app/openmp_env.hpp"
#include "core/config/overrides.hpp"
#include "core/config/suggest.hpp"
#include "core/config/yaml_scalars.hpp"
#include "core/errors.hpp"
#include "core/version.hpp"

namespace {

using nnrun::ExitCode;

int code(ExitCode c) {
  return static_cast<int>(c);
}

const std::vector<std::string_view> kCommands{"train", "eval", "predict", "inspect", "check"};

// CLI11 answers a misspelt command (or none) with "A subcommand is required"; say what was
// wrong instead. Returns the exit code when argv[1] is not a command (or `help`).
std::optional<int> check_command_name(int argc, char** argv, const CLI::App& app) {
  const std::string commands = "commands: " + nnrun::join_names(kCommands);
  if (argc < 2) {
    std::cerr << "nnrun: a command is required; " << commands << " (nnrun --help for more)\n";
    return code(ExitCode::usage);
  }
  std::string first = argv[1];
  if (first == "help") {  // `nnrun help` and `nnrun help train`, as git and cargo take them
    if (argc == 2) {
      std::cout << app.help();
      return code(ExitCode::ok);
    }
    first = argv[2];
    for (const CLI::App* command : app.get_subcommands({}))
      if (command->get_name() == first) {
        std::cout << command->help("nnrun");
        return code(ExitCode::ok);
      }
  }
  if (first == "--help" || first == "-h" || first == "--version") return std::nullopt;
  for (std::string_view command : kCommands)
    if (first == command) return std::nullopt;
  if (first.starts_with("-"))
    std::cerr << "nnrun: unknown option '" << first << "'; a command comes first; " << commands
              << "\n";
  else
    std::cerr << "nnrun: unknown command '" << first << "'" << nnrun::did_you_mean(first, kCommands)
              << "; " << commands << "\n";
  return code(ExitCode::usage);
}

// The options of train and check that become config overrides: --set KEY=VALUE, and the
// shortcuts, each the same as a --set of one key. Either may name a key, not both: which
// one should win would depend on an order the user cannot see.
class ConfigArgs {
 public:
  void add_to(CLI::App* cmd) {
    cmd->add_option("--set", sets_, "Override a config key: KEY=VALUE (repeatable)")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->allow_extra_args(false)  // one KEY=VALUE per --set: never the config path after it
        ->check(
            [](const std::string& text) -> std::string {
              return text.find('=') == std::string::npos ? "expected KEY=VALUE, got '" + text + "'"
                                                         : "";
            },
            "KEY=VALUE");
    for (const Shortcut& shortcut : kShortcuts)
      cmd->add_option_function<std::string>(
          shortcut.flag,
          [this, &shortcut](const std::string& value) {
            given_.push_back({&shortcut, value});
          },
          shortcut.help);
  }

  // --set overrides in order, then the shortcuts; throws InputError when both set a key.
  std::vector<nnrun::ConfigOverride> overrides() const {
    std::vector<nnrun::ConfigOverride> out = nnrun::set_overrides(sets_);
    for (const auto& [shortcut, value] : given_) {
      const std::string label = std::string(shortcut->flag) + " " + value;
      // Only the last --set of the key or of a section holding it counts: it replaces the
      // earlier ones (`checkpoint={dir: y}` then `checkpoint={monitor: m}` leaves no dir).
      bool section_invalid = false;
      for (auto set = sets_.rbegin(); set != sets_.rend(); ++set) {
        const std::string key = set->substr(0, set->find('='));
        if (key != shortcut->key && !std::string_view(shortcut->key).starts_with(key + "."))
          continue;
        if (sets_key(*set, shortcut->key))
          throw nnrun::InputError("nnrun: " + label + " and --set " + *set + " both set " +
                                  shortcut->key + "; give only one");
        section_invalid = key != shortcut->key && !holds_mapping(*set);
        break;
      }
      // A section given a list or a value: the config refuses that --set itself, which is
      // the error to show, not one about the shortcut that could not be set inside it.
      if (section_invalid) continue;
      const std::string yaml = shortcut->string_valued ? nnrun::quote_yaml_string(value) : value;
      out.emplace_back(std::string(shortcut->key) + "=" + yaml, label);
    }
    return out;
  }

 private:
  struct Shortcut {
    const char* flag;
    const char* key;
    const char* help;
    bool string_valued;  // taken as typed: `--run-dir 'a: b'` is a folder, not a mapping
  };
  static constexpr Shortcut kShortcuts[] = {
      {"--epochs", "training.epochs", "Same as --set training.epochs=N", false},
      {"--seed", "seed", "Same as --set seed=N", false},
      {"--threads", "threads", "Same as --set threads=N", false},
      {"--backend", "backend", "auto | cpu | cuda | reference (cuda: not in this build yet)",
       false},
      {"--run-dir", "checkpoint.dir", "Run directory (same as --set checkpoint.dir=DIR)", true},
  };

  // True when `set` (KEY=VALUE) gives `shortcut_key` a value: the same key, or a section
  // whose mapping names it (`checkpoint={dir: x}`). A section that leaves it out
  // (`checkpoint={monitor: val_error}`) does not: the shortcut then applies inside it.
  static bool sets_key(const std::string& set, std::string_view shortcut_key) {
    const std::string key = set.substr(0, set.find('='));
    if (key == shortcut_key) return true;
    if (!shortcut_key.starts_with(key + ".")) return false;
    YAML::Node node;
    try {
      node = YAML::Load(set.substr(set.find('=') + 1));
    } catch (const YAML::Exception&) {
      return false;  // the override itself reports the bad value
    }
    std::string_view rest = shortcut_key.substr(key.size() + 1);
    while (node.IsMap()) {
      const std::string part(rest.substr(0, rest.find('.')));
      const YAML::Node child = node[part];
      if (!child) return false;
      if (part.size() == rest.size()) return true;
      node.reset(child);
      rest.remove_prefix(part.size() + 1);
    }
    return false;
  }

  // True unless VALUE in `set` (KEY=VALUE) is a list or a non-empty scalar (bad YAML and an
  // empty value count as a mapping here: the override reports the one, fills the other).
  static bool holds_mapping(const std::string& set) {
    try {
      const YAML::Node node = YAML::Load(set.substr(set.find('=') + 1));
      return !node.IsSequence() && !(node.IsScalar() && !node.Scalar().empty());
    } catch (const YAML::Exception&) {
      return true;
    }
  }

  std::vector<std::string> sets_;
  std::vector<std::pair<const Shortcut*, std::string>> given_;
};

}  // namespace

int main(int argc, char** argv) {
  // Past a file size limit (ulimit -f), a write then fails with EFBIG and is reported with the
  // file's name, instead of SIGXFSZ killing the process mid-run.
  std::signal(SIGXFSZ, SIG_IGN);
  nnrun::app::apply_openmp_wait(argv);
  CLI::App app{"nnrun: train fully-connected neural networks described in YAML", "nnrun"};
  app.set_version_flag("--version", std::string("nnrun ") + nnrun::kVersion);
  app.require_subcommand(1);

  nnrun::app::TrainOptions train;
  ConfigArgs train_config;
  auto* train_cmd = app.add_subcommand("train", "Train a network from a YAML config");
  train_cmd->add_option("config", train.config_path, "YAML config file")->required();
  train_config.add_to(train_cmd);
  train_cmd->add_option("--resume", train.resume,
                        "Continue the run of this checkpoint (e.g. runs/iris/last.ckpt)");
  train_cmd->add_flag("--quiet,-q", train.quiet,
                      "Print nothing but errors (train.log still gets it all)");

  nnrun::app::EvalOptions eval;
  auto* eval_cmd =
      app.add_subcommand("eval", "Evaluate a checkpoint (validation split by default)");
  eval_cmd->add_option("checkpoint", eval.checkpoint_path, "Checkpoint file")->required();
  auto* split_option =
      eval_cmd->add_option("--split", eval.split, "train | val | test")->capture_default_str();
  eval_cmd
      ->add_option("--data", eval.data,
                   "Evaluate on other data of the same shape: a CSV file (same label "
                   "column), or a source mapping such as '{format: idx, images: I, labels: L}'")
      ->excludes(split_option);  // --data is the data; a --split beside it would be ignored
  eval_cmd->add_option("--config", eval.config_path,
                       "Take the data (paths, validation split, test set) from this config "
                       "instead of the one stored in the checkpoint; the model, seed and "
                       "normalization stay the checkpoint's");
  eval_cmd
      ->add_option("--backend", eval.backend,
                   "auto | cpu | cuda | reference (cuda: not in this build yet)")
      ->capture_default_str();
  eval_cmd->add_flag("--json", eval.json, "Print JSON");

  nnrun::app::PredictOptions predict;
  auto* predict_cmd =
      app.add_subcommand("predict", "Predict with a checkpoint: one CSV row per input sample");
  predict_cmd->add_option("checkpoint", predict.checkpoint_path, "Checkpoint file")->required();
  predict_cmd
      ->add_option("--input", predict.input,
                   "A CSV file with the training feature columns (a label column is ignored), "
                   "or a source mapping such as '{format: idx, images: I, labels: L}'")
      ->required();
  predict_cmd->add_option("--output", predict.output, "CSV file to write (default: stdout)");
  predict_cmd
      ->add_option("--backend", predict.backend,
                   "auto | cpu | cuda | reference (cuda: not in this build yet)")
      ->capture_default_str();

  nnrun::app::InspectOptions inspect;
  auto* inspect_cmd = app.add_subcommand(
      "inspect", "Show a checkpoint: layers, parameters, epoch, metrics, config, checksum");
  inspect_cmd->add_option("checkpoint", inspect.checkpoint_path, "Checkpoint file")->required();
  inspect_cmd->add_flag("--json", inspect.json, "Print JSON");

  nnrun::app::CheckOptions check;
  ConfigArgs check_config;
  auto* check_cmd = app.add_subcommand(
      "check", "Validate a config and print the model summary; takes train's config options");
  check_cmd->add_option("config", check.config_path, "YAML config file")->required();
  check_config.add_to(check_cmd);

  if (const auto exit_code = check_command_name(argc, argv, app)) return *exit_code;
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return code(ExitCode::usage);
  }

  try {
    train.overrides = train_config.overrides();
    check.overrides = check_config.overrides();
    if (*train_cmd) {
      // A closed stdout (`nnrun train ... | head`, a tee that died) must not kill a long run
      // without a summary: the console lines are lost, train.log and the run go on.
      std::signal(SIGPIPE, SIG_IGN);
      return nnrun::app::run_train(train);
    }
    if (*eval_cmd) return nnrun::app::run_eval(eval);
    if (*check_cmd) return nnrun::app::run_check(check);
    if (*predict_cmd) return nnrun::app::run_predict(predict);
    if (*inspect_cmd) return nnrun::app::run_inspect(inspect);
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::cerr << nnrun::app::error_message(e) << "\n";
    return code(dynamic_cast<const nnrun::InputError*>(&e) ? ExitCode::usage : ExitCode::runtime);
  }
  return code(ExitCode::usage);
}
