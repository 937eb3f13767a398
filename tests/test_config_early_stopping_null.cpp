// `early_stopping:` left empty, or set to null on the command line, is off like an absent
// section (so a sweep can turn it off); `{}` or any key in it turns it on.
#include <doctest/doctest.h>

#include "core/config/config_loader.hpp"
#include "tests/config_fixtures.hpp"

namespace nnrun::testing {
namespace {

TEST_CASE("early stopping: an empty section / --set early_stopping= or null is off") {
  TempDir dir;
  const std::string minimal(kMinimalConfig);
  CHECK_FALSE(load_config_file(dir.write("absent.yaml", minimal)).early_stopping.enabled);
  CHECK_FALSE(load_config_file(dir.write("empty.yaml", minimal + "early_stopping:\n"))
                  .early_stopping.enabled);
  CHECK_FALSE(load_config_file(dir.write("null.yaml", minimal + "early_stopping: null\n"))
                  .early_stopping.enabled);
  const std::string on = dir.write("on.yaml", minimal + "early_stopping: {patience: 3}\n");
  CHECK(load_config_file(on).early_stopping.enabled);
  CHECK_FALSE(load_config_file(on, {"early_stopping="}).early_stopping.enabled);
  CHECK_FALSE(load_config_file(on, {"early_stopping=null"}).early_stopping.enabled);
  // Off, it no longer picks checkpoint.monitor either.
  const Config off = load_config_file(dir.write("off.yaml", minimal + "early_stopping:\n"));
  CHECK(off.checkpoint.monitor == "val_loss");
  CHECK(resolved_config_yaml(off).find("# early_stopping: off") != std::string::npos);
}

TEST_CASE("early stopping: an empty mapping or a key given turns it on") {
  TempDir dir;
  const std::string minimal(kMinimalConfig);
  CHECK(load_config_file(dir.write("braces.yaml", minimal + "early_stopping: {}\n"))
            .early_stopping.enabled);
  const Config set = load_config_file(dir.write("empty.yaml", minimal + "early_stopping:\n"),
                                      {"early_stopping.monitor=val_accuracy"});
  CHECK(set.early_stopping.enabled);
  CHECK(set.checkpoint.monitor == "val_accuracy");
}

}  // namespace
}  // namespace nnrun::testing
