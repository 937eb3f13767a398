// Resume compatibility: compare resolved configs line by line, after equalizing the keys
// that a resume may change, so the message can name the first key that differs.
#include "core/train/resume.hpp"

#include <sstream>

#include "core/config/config_loader.hpp"
#include "core/errors.hpp"

namespace nnrun {
namespace {

Config comparable(Config c) {
  c.training.epochs = 0;
  c.checkpoint.dir.clear();
  c.backend = "auto";
  c.threads = 0;
  return c;
}

}  // namespace

void check_resume_compatible(const Config& given, const Checkpoint& checkpoint,
                             const std::string& path) {
  const Config stored = load_config_text(checkpoint.config_yaml, path + " (stored config)", "");
  if (given.training.epochs <= checkpoint.epoch)
    throw InputError("--resume " + path + ": the checkpoint is at epoch " +
                     std::to_string(checkpoint.epoch) + " and training.epochs is " +
                     std::to_string(given.training.epochs) +
                     ": nothing left to train; raise it with --epochs N");
  std::istringstream a(resolved_config_yaml(comparable(stored)));
  std::istringstream b(resolved_config_yaml(comparable(given)));
  std::string line_a, line_b;
  while (true) {
    const bool more_a = static_cast<bool>(std::getline(a, line_a));
    const bool more_b = static_cast<bool>(std::getline(b, line_b));
    if (!more_a && !more_b) return;
    if (line_a != line_b || more_a != more_b)
      throw InputError("--resume " + path + ": the config differs from the run's: it has '" +
                       line_b + "' where the checkpoint has '" + line_a +
                       "' (only training.epochs, checkpoint.dir, backend and threads may change)");
  }
}

}  // namespace nnrun
