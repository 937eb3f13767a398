// Data sources in the config: csv, idx and synthetic for train, validation and test, derived
// synthetic seeds, class names, the resolved-config round trip and `--set` on source keys.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include "core/config/data_builder.hpp"
#include "core/config/schema.hpp"
#include "tests/config_fixtures.hpp"

namespace nnrun::testing {
namespace {

const char* const kModel = "model: {layers: [dense: {units: 2}]}\n";

// Loads `data_section` (starting with "data:") plus a one-layer model from dir/cfg.yaml.
Config load_data(const TempDir& dir, const std::string& data_section,
                 const std::vector<std::string>& overrides = {}) {
  return load_config_file(dir.write("cfg.yaml", data_section + kModel), overrides);
}

std::string absolute_in(const TempDir& dir, const std::string& relative) {
  return (dir.path() / relative).lexically_normal().string();
}

TEST_CASE("sources: a csv source resolves its path and keeps the label") {
  TempDir dir;
  const Config cfg =
      load_data(dir, "data:\n  train: {format: csv, path: ../d/./iris.csv, label: species}\n");
  CHECK(cfg.data.train.format == "csv");
  CHECK(cfg.data.train.path == (dir.path().parent_path() / "d" / "iris.csv").string());
  CHECK(cfg.data.train.label == "species");
  CHECK(cfg.data.train.images.empty());
  CHECK(cfg.data.train.synthetic == SyntheticSpec{});
  CHECK(cfg.data.train.limit == 0);
}

TEST_CASE("sources: an idx source resolves images and labels like path") {
  TempDir dir;
  const Config cfg = load_data(dir,
                               "data:\n  train:\n    format: idx\n"
                               "    images: /usr/share/datasets/train-images-idx3-ubyte.gz\n"
                               "    labels: raw/train-labels-idx1-ubyte\n    limit: 2000\n");
  CHECK(cfg.data.train.format == "idx");
  CHECK(cfg.data.train.images == "/usr/share/datasets/train-images-idx3-ubyte.gz");
  CHECK(cfg.data.train.labels == absolute_in(dir, "raw/train-labels-idx1-ubyte"));
  CHECK(cfg.data.train.path.empty());
  CHECK(cfg.data.train.limit == 2000);
}

TEST_CASE("sources: synthetic sources take their generator's keys and defaults") {
  TempDir dir;
  const Config line = load_data(dir,
                                "data:\n  train: {format: synthetic, generator: line, samples: 5, "
                                "noise: 0.5, seed: 7, x_min: -2, x_max: 3, slope: 2, "
                                "intercept: 1}\n");
  const SyntheticSpec& l = line.data.train.synthetic;
  CHECK(line.data.train.format == "synthetic");
  CHECK(l.generator == "line");
  CHECK(l.samples == 5);
  CHECK(l.noise == 0.5);
  CHECK(l.seed == 7);
  CHECK(l.x_min == -2.0);
  CHECK(l.x_max == 3.0);
  CHECK(l.slope == 2.0);
  CHECK(l.intercept == 1.0);
  CHECK(line.data.train.path.empty());

  const Config poly = load_data(
      dir,
      "data:\n  train: {format: synthetic, generator: polynomial, coefficients: [0, 1, -2]}\n");
  CHECK(poly.data.train.synthetic.coefficients == std::vector<double>{0.0, 1.0, -2.0});
  CHECK(poly.data.train.synthetic.samples == 100);
  CHECK(poly.data.train.synthetic.noise == 0.1);

  const Config blobs = load_data(dir,
                                 "data:\n  train: {format: synthetic, generator: blobs, classes: "
                                 "4, features: 3, spread: 0.5}\n");
  CHECK(blobs.data.train.synthetic.classes == 4);
  CHECK(blobs.data.train.synthetic.features == 3);
  CHECK(blobs.data.train.synthetic.spread == 0.5);

  const Config spirals =
      load_data(dir, "data:\n  train: {format: synthetic, generator: spirals, classes: 2}\n");
  CHECK(spirals.data.train.synthetic.classes == 2);
  const Config moons = load_data(dir, "data:\n  train: {format: synthetic, generator: moons}\n");
  CHECK(moons.data.train.synthetic.generator == "moons");
  SyntheticSpec defaults;  // keys of other generators keep their defaults
  defaults.generator = "moons";
  defaults.seed = moons.data.train.synthetic.seed;
  CHECK(moons.data.train.synthetic == defaults);
}

TEST_CASE("sources: validation is a split or a source") {
  TempDir dir;
  const std::string train = "data:\n  train: {path: a.csv}\n";
  const Config absent = load_data(dir, train);
  CHECK(absent.data.validation == ValidationSpec{});  // split 0.2, stratified
  CHECK(load_data(dir, train + "  validation:\n").data.validation == ValidationSpec{});

  const Config split = load_data(dir, train + "  validation: {split: 0.1, stratify: false}\n");
  CHECK(split.data.validation.split == 0.1);
  CHECK_FALSE(split.data.validation.stratify);
  CHECK_FALSE(split.data.validation.source.has_value());

  const Config generated =
      load_data(dir, train + "  validation: {format: synthetic, generator: line, samples: 50}\n");
  REQUIRE(generated.data.validation.source.has_value());
  CHECK(generated.data.validation.source->synthetic.samples == 50);

  // Any source key makes it a source, even without `format` (csv is the default).
  const Config csv = load_data(dir, train + "  validation: {path: val.csv, label: 0}\n");
  REQUIRE(csv.data.validation.source.has_value());
  CHECK(csv.data.validation.source->path == absolute_in(dir, "val.csv"));
  CHECK(csv.data.validation.source->label == "0");
}

TEST_CASE("sources: an optional test source and class names") {
  TempDir dir;
  const Config none = load_data(dir, "data:\n  train: {path: a.csv}\n");
  CHECK_FALSE(none.data.test.has_value());
  CHECK(none.data.class_names.empty());
  const Config cfg = load_data(dir,
                               "data:\n  train: {path: a.csv}\n"
                               "  test: {format: idx, images: t-images.gz, labels: t-labels.gz}\n"
                               "  class_names: [T-shirt, Trouser, \"say \\\"hi\\\"\"]\n");
  REQUIRE(cfg.data.test.has_value());
  CHECK(cfg.data.test->format == "idx");
  CHECK(cfg.data.test->images == absolute_in(dir, "t-images.gz"));
  CHECK(cfg.data.test->labels == absolute_in(dir, "t-labels.gz"));
  CHECK(cfg.data.class_names == std::vector<std::string>{"T-shirt", "Trouser", "say \"hi\""});
}

TEST_CASE("sources: default synthetic seeds differ by role and are stable") {
  TempDir dir;
  const std::string yaml =
      "seed: 42\ndata:\n  train: {format: synthetic, generator: moons}\n"
      "  validation: {format: synthetic, generator: moons}\n"
      "  test: {format: synthetic, generator: moons}\n";
  const Config cfg = load_data(dir, yaml);
  const std::uint64_t train = cfg.data.train.synthetic.seed;
  const std::uint64_t validation = cfg.data.validation.source->synthetic.seed;
  const std::uint64_t test = cfg.data.test->synthetic.seed;
  CHECK(train == 42u * 1000003u + 1u);  // the documented formula
  CHECK(validation == 42u * 1000003u + 2u);
  CHECK(test == 42u * 1000003u + 3u);
  CHECK(load_data(dir, yaml) == cfg);  // the same config gives the same seeds
  const Config other = load_data(dir, yaml, {"seed=43"});
  CHECK(other.data.train.synthetic.seed != train);
  CHECK(other.data.test->synthetic.seed != test);
  // A seed given in the source wins; derived seeds stay below 2^63 to fit a YAML integer.
  CHECK(load_data(dir, yaml, {"data.train.seed=5"}).data.train.synthetic.seed == 5);
  const std::uint64_t top = 9223372036854775807u;
  CHECK(default_synthetic_seed(top, SourceRole::test) < (std::uint64_t{1} << 63));
  CHECK(default_synthetic_seed(top, SourceRole::train) !=
        default_synthetic_seed(top, SourceRole::validation));
}

// True when every key of `role` that applies to `source` (by the schema's conditions) is
// written in the resolved YAML `written`, except `skip`.
void check_every_applicable_key(const YAML::Node& written, const std::string& role,
                                const std::vector<std::string>& skip = {}) {
  for (const KeySpec* spec : child_specs(role)) {
    const std::string key(key_name(*spec));
    if (!spec->form.empty() && spec->form != "source") continue;
    if (std::find(skip.begin(), skip.end(), key) != skip.end()) continue;
    bool applies = true;
    for (const KeyCondition& condition : conditions_of(*spec)) {
      const std::string value = written[std::string(condition.sibling)].as<std::string>("");
      applies = applies && std::find(condition.values.begin(), condition.values.end(), value) !=
                               condition.values.end();
    }
    CAPTURE(role);
    CAPTURE(key);
    CHECK(applies == static_cast<bool>(written[key]));
  }
}

TEST_CASE("sources: the resolved config round-trips every source kind") {
  TempDir dir;
  const std::vector<std::string> configs = {
      "seed: 3\ndata:\n"
      "  train: {format: synthetic, generator: polynomial, coefficients: [1, -0.5, 2e-3], "
      "samples: 40, x_min: -3, limit: 30}\n"
      "  validation: {format: synthetic, generator: blobs, classes: 4, spread: 0.25}\n"
      "  test: {format: idx, images: \"t i.gz\", labels: t-labels}\n"
      "  normalize: scale\n  scale: 2\n  class_names: [a, \"b c\", \"3\"]\n",
      "data:\n  train: {path: train.csv, label: 2}\n  validation: {path: val.csv}\n"
      "  test: {format: synthetic, generator: spirals, seed: 11, noise: 0}\n",
      "data:\n  train: {format: synthetic, generator: line, slope: -1, intercept: 0.5}\n"
      "  validation: {format: synthetic, generator: moons, samples: 7}\n"
      "  test: {path: test.csv, label: y}\n",
      "data:\n  train: {format: idx, images: i.gz, labels: l.gz}\n"
      "  validation: {split: 0.3, stratify: false}\n",
  };
  for (const std::string& data : configs) {
    CAPTURE(data);
    const Config original = load_data(dir, data, {"data.train.limit=9"});
    const std::string resolved = resolved_config_yaml(original);
    CAPTURE(resolved);
    const Config reloaded = load_config_text(resolved, original.source_file, "/elsewhere");
    CHECK(reloaded == original);
    CHECK(resolved_config_yaml(reloaded) == resolved);
    const YAML::Node written = YAML::Load(resolved)["data"];
    check_every_applicable_key(written["train"], "data.train", {"label"});
    if (original.data.validation.source)
      check_every_applicable_key(written["validation"], "data.validation", {"label"});
    if (original.data.test) check_every_applicable_key(written["test"], "data.test", {"label"});
  }
}

TEST_CASE("sources: --set reaches the new keys") {
  TempDir dir;
  const std::string yaml =
      "data:\n  train: {path: a.csv}\n"
      "  validation: {format: synthetic, generator: moons}\n"
      "  test: {format: idx, images: t-images.gz, labels: t-labels.gz}\n";
  const Config cfg = load_data(dir, yaml,
                               {"data.train.limit=2000", "data.validation={split: 0.1}",
                                "data.test.images=other-images.gz", "data.class_names=[x, y]"});
  CHECK(cfg.data.train.limit == 2000);
  CHECK_FALSE(cfg.data.validation.source.has_value());
  CHECK(cfg.data.validation.split == 0.1);
  // Typed on the command line: relative to the cwd; the file's labels stay file-relative.
  CHECK(cfg.data.test->images ==
        (std::filesystem::current_path() / "other-images.gz").lexically_normal().string());
  CHECK(cfg.data.test->labels == absolute_in(dir, "t-labels.gz"));
  CHECK(cfg.data.class_names == std::vector<std::string>{"x", "y"});

  const Config generated = load_data(
      dir, yaml,
      {"data.test={format: synthetic, generator: line, samples: 9}", "data.validation.samples=3"});
  CHECK(generated.data.test->synthetic.samples == 9);
  CHECK(generated.data.validation.source->synthetic.samples == 3);
}

}  // namespace
}  // namespace nnrun::testing
