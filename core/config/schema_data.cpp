// The `data` rows of the schema table. train, validation and test take the same source
// keys, so their rows are generated per role from one list.
#include <deque>
#include <string>

#include "core/config/schema_row.hpp"

namespace nnrun::schema_rows {
namespace {

using V = ValueType;

// Table paths are string_views; generated ones live here for the program's lifetime.
std::string_view stored(std::string path) {
  static std::deque<std::string> paths;  // a deque never moves its elements
  return paths.emplace_back(std::move(path));
}

const std::vector<std::string_view> kLineAndPolynomial{"line", "polynomial"};
const std::vector<std::string_view> kSpiralsAndBlobs{"spirals", "blobs"};

// The keys of one data source under `role` ("data.train"); `form` tags them for
// data.validation, where a source is one of two shapes.
void add_source_rows(std::vector<KeySpec>& rows, const std::string& role, std::string_view form) {
  const auto key = [&](const char* name) { return stored(role + "." + name); };
  const std::vector<KeySpec> source = {
      Row(key("format"), V::choice,
          "csv (header row) | idx (MNIST layout, .gz accepted) | synthetic (generated)")
          .choices({"csv", "idx", "synthetic"})
          .fallback("csv"),
      Row(key("path"), V::string, "csv file, relative to the config file")
          .required()
          .only_when("format", {"csv"}),
      Row(key("label"), V::column,
          "label column: a name or a 0-based index; default: the last column")
          .only_when("format", {"csv"}),
      Row(key("images"), V::string, "idx images file (raw or .gz), relative to the config file")
          .required()
          .only_when("format", {"idx"}),
      Row(key("labels"), V::string, "idx labels file (raw or .gz), relative to the config file")
          .required()
          .only_when("format", {"idx"}),
      Row(key("generator"), V::choice,
          "line, polynomial (regression) | moons, spirals, blobs (classification)")
          .choices({"line", "polynomial", "moons", "spirals", "blobs"})
          .required()
          .only_when("format", {"synthetic"}),
      Row(key("samples"), V::integer, "number of examples generated")
          .range(kSampleCount)
          .fallback("100")
          .only_when("format", {"synthetic"}),
      Row(key("noise"), V::number, "std of the Gaussian noise on targets (regression) or points")
          .range(kNonNegative)
          .fallback("0.1")
          .only_when("format", {"synthetic"}),
      Row(key("seed"), V::integer,
          "generator seed for this source's samples; default: (seed * 1000003 + role) mod "
          "2^63, role 1 train, 2 validation, 3 test (blobs: the cluster centers always come "
          "from the training source's seed, so every role samples the same distribution)")
          .range(kNonNegative)
          .only_when("format", {"synthetic"}),
      Row(key("x_min"), V::number, "x is drawn uniformly from [x_min, x_max]")
          .fallback("-1")
          .only_when("generator", kLineAndPolynomial),
      Row(key("x_max"), V::number, "upper end of x; must be > x_min")
          .fallback("1")
          .only_when("generator", kLineAndPolynomial),
      Row(key("slope"), V::number, "y = slope * x + intercept + noise")
          .fallback("1")
          .only_when("generator", {"line"}),
      Row(key("intercept"), V::number, "y at x = 0, before noise")
          .fallback("0")
          .only_when("generator", {"line"}),
      Row(key("coefficients"), V::sequence, "y = c0 + c1 x + c2 x^2 + ... + noise")
          .range(kAtLeastOne)
          .fallback("[0, 1]")
          .only_when("generator", {"polynomial"}),
      Row(key("coefficients[]"), V::number, "one polynomial coefficient"),
      Row(key("classes"), V::integer, "number of classes")
          .range(kClassCount)
          .fallback("3")
          .only_when("generator", kSpiralsAndBlobs),
      Row(key("features"), V::integer, "dimensions of each point")
          .range(kWidth)
          .fallback("2")
          .only_when("generator", {"blobs"}),
      Row(key("spread"), V::number,
          "std of each cluster; centers are drawn in [-5, 5] from the training source's seed")
          .range(kPositive)
          .fallback("1")
          .only_when("generator", {"blobs"}),
  };
  for (KeySpec spec : source) {
    if (!spec.path.ends_with("[]")) spec.form = form;
    rows.push_back(std::move(spec));
  }
}

}  // namespace

std::vector<KeySpec> data_rows() {
  std::vector<KeySpec> rows = {
      Row("data", V::map, "where the examples come from").required(),
      Row("data.train", V::map, "the training set: a source {format: csv | idx | synthetic, ...}")
          .required(),
  };
  add_source_rows(rows, "data.train", "");
  rows.push_back(Row("data.train.limit", V::integer,
                     "keep the first N examples after a seeded shuffle; default: all")
                     .range(kAtLeastOne));
  rows.push_back(Row("data.validation", V::map,
                     "validation data is either a held-out split of train {split, stratify} "
                     "or its own source like data.train {format, path, ...}"));
  rows.push_back(Row("data.validation.split", V::number, "fraction of the training set held out")
                     .range(kOpenUnit)
                     .fallback("0.2")
                     .form("split"));
  rows.push_back(
      Row("data.validation.stratify", V::boolean, "keep class proportions in the held-out part")
          .fallback("true")
          .form("split"));
  add_source_rows(rows, "data.validation", "source");
  rows.push_back(
      Row("data.test", V::map, "optional test set for `eval --split test`: a source like train"));
  add_source_rows(rows, "data.test", "");
  const std::vector<KeySpec> rest = {
      Row("data.normalize", V::choice, "feature scaling, fitted on the training part only")
          .choices({"none", "standard", "minmax", "scale"})
          .fallback("standard"),
      Row("data.scale", V::number, "divisor for normalize: scale")
          .range(kPositive)
          .fallback("255")
          .only_when("normalize", {"scale"}),
      Row("data.class_names", V::sequence, "names of integer class labels 0, 1, ..., in order")
          .range(kAtLeastOne),
      Row("data.class_names[]", V::string, "one class name"),
  };
  rows.insert(rows.end(), rest.begin(), rest.end());
  return rows;
}

}  // namespace nnrun::schema_rows
