// Validated `data` section -> DataConfig: per-format source fields, data paths made
// absolute, synthetic seeds derived by role, and the rules that span several keys.
#include "core/config/data_builder.hpp"

#include <filesystem>
#include <map>

#include "core/names.hpp"

namespace nnrun {
namespace {

class SourceBuilder {
 public:
  SourceBuilder(const ConfigSource& source, const std::string& base_dir, std::uint64_t seed)
      : source_(source), base_dir_(base_dir), seed_(seed) {}

  DataSource build(const Section& in, SourceRole role) const {
    DataSource out;
    out.format = in.text("format");
    if (out.format == "csv") {
      out.path = data_path(in, "path");
      out.label = in.has("label") ? in.text("label") : "";
    } else if (out.format == "idx") {
      out.images = data_path(in, "images");
      out.labels = data_path(in, "labels");
    } else {
      out.synthetic = synthetic(in, role);
    }
    if (in.has("limit")) out.limit = in.integer("limit");
    return out;
  }

 private:
  // Written in the file: relative to the file's folder. Typed after --set: to the cwd.
  std::string data_path(const Section& in, const std::string& key) const {
    const bool from_override = source_.override_for(in.path_of(key)) != nullptr;
    const std::filesystem::path base =
        from_override ? std::filesystem::current_path() : std::filesystem::path(base_dir_);
    return std::filesystem::absolute(base / in.text(key)).lexically_normal().string();
  }

  // Keys of other generators keep their defaults, so the spec compares equal either way.
  SyntheticSpec synthetic(const Section& in, SourceRole role) const {
    SyntheticSpec out;
    out.generator = in.text("generator");
    out.samples = in.integer("samples");
    out.noise = in.number("noise");
    out.seed = in.has("seed") ? static_cast<std::uint64_t>(in.integer("seed"))
                              : default_synthetic_seed(seed_, role);
    out.x_min = in.number("x_min");
    out.x_max = in.number("x_max");
    out.slope = in.number("slope");
    out.intercept = in.number("intercept");
    if (in.has("coefficients")) {
      out.coefficients.clear();
      for (const YAML::Node& item : in.node("coefficients"))
        out.coefficients.push_back(*parse_number(item.Scalar()));
    }
    out.classes = in.integer("classes");
    out.features = in.integer("features");
    out.spread = in.number("spread");
    check_generated_size(in, out);
    if ((out.generator == "line" || out.generator == "polynomial") && out.x_min >= out.x_max) {
      const std::string blamed = in.has("x_max") ? "x_max" : "x_min";
      source_.fail(in.path_of(blamed), in.mark_of(blamed),
                   "x_max must be greater than x_min (x_min is " + format_number(out.x_min) +
                       ", x_max is " + format_number(out.x_max) + ")");
    }
    return out;
  }

  // samples and features are each bounded by the schema; their product is the size of the
  // generated set, which is built, shuffled and normalized in memory.
  void check_generated_size(const Section& in, const SyntheticSpec& spec) const {
    const bool regression = spec.generator == "line" || spec.generator == "polynomial";
    const std::int64_t dims = spec.generator == "blobs" ? spec.features : regression ? 1 : 2;
    if (spec.samples * dims <= kMaxGeneratedValues) return;
    const std::string blamed = in.has("samples") || !in.has("features") ? "samples" : "features";
    source_.fail(in.path_of(blamed), in.mark_of(blamed),
                 "samples x features must be at most " + std::to_string(kMaxGeneratedValues) +
                     " (2^28 values), got " + std::to_string(spec.samples) + " x " +
                     std::to_string(dims));
  }

  // 2^28 generated values: 1 GiB as f32, about a minute to generate, shuffle and normalize
  // (100 x 2^24 values took 5 minutes and 15 GB); far beyond any demo data set.
  static constexpr std::int64_t kMaxGeneratedValues = std::int64_t{1} << 28;

  const ConfigSource& source_;
  const std::string& base_dir_;
  std::uint64_t seed_;
};

// Class names name label 0, 1, ...: two equal names would make two classes one.
std::vector<std::string> build_class_names(const Section& data, const ConfigSource& source) {
  std::vector<std::string> names;
  std::map<std::string, std::size_t> first_index;
  const YAML::Node list = data.node("class_names");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string name = list[i].Scalar();
    const auto [previous, inserted] = first_index.emplace(name, i);
    if (!inserted)
      source.fail(data.path_of("class_names") + "[" + std::to_string(i) + "]", list[i].Mark(),
                  "duplicate class name '" + name + "' (also item " +
                      std::to_string(previous->second) + ")");
    names.push_back(name);
  }
  return names;
}

}  // namespace

std::uint64_t default_synthetic_seed(std::uint64_t seed, SourceRole role) {
  // Unsigned arithmetic wraps mod 2^64; dropping the top bit leaves it mod 2^63.
  return (seed * 1000003u + static_cast<std::uint64_t>(role)) & 0x7fff'ffff'ffff'ffffu;
}

DataConfig build_data(const Section& data, const ConfigSource& source, const std::string& base_dir,
                      std::uint64_t seed) {
  const SourceBuilder sources(source, base_dir, seed);
  DataConfig out;
  out.train = sources.build(data.section("train"), SourceRole::train);
  const Section validation = data.section("validation");
  if (validation.has_form("source")) {
    out.validation.source = sources.build(validation, SourceRole::validation);
  } else {
    out.validation.split = validation.number("split");
    out.validation.stratify = validation.flag("stratify");
  }
  if (data.has("test")) out.test = sources.build(data.section("test"), SourceRole::test);
  static constexpr Normalization kNorms[] = {Normalization::none, Normalization::standard,
                                             Normalization::minmax, Normalization::scale};
  out.normalize = enum_named(data.text("normalize"), kNorms, normalization_name);
  out.scale = data.number("scale");
  out.class_names = build_class_names(data, source);
  return out;
}

}  // namespace nnrun
