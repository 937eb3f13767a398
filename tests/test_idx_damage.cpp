// Tests for core/data/idx_reader on damaged files: raw and gzip files cut at every offset,
// flipped bytes in gzip data and trailer, trailing garbage; and the real Fashion-MNIST.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/data/idx_reader.hpp"
#include "core/errors.hpp"
#include "tests/idx_fixtures.hpp"
#include "tests/temp_dir.hpp"

using namespace nnrun;
using namespace nnrun::testing::idx;
using nnrun::testing::TempDir;

namespace {

// Eight 4 x 4 images: big enough for a gzip body of many bytes, small enough to try each.
struct DamageSet {
  TempDir dir{"idx_damage"};
  std::string image_bytes = image_file(8, 4, 4);
  std::string label_bytes = label_file({0, 1, 2, 3, 4, 5, 6, 7});
  std::string images = dir.write("images.idx", image_bytes);
  std::string labels = dir.write("labels.idx", label_bytes);
  std::string images_gz = read_bytes(write_gzip(dir, "images.gz", image_bytes));
  std::string labels_gz = read_bytes(write_gzip(dir, "labels.gz", label_bytes));
};

// Every proper prefix of `bytes`, loaded as images (or labels) beside the intact other file,
// must be a DataError that names the cut file.
void check_every_cut(const DamageSet& set, const std::string& bytes, bool as_images) {
  for (std::size_t length = 0; length < bytes.size(); ++length) {
    CAPTURE(length);
    const std::string cut = set.dir.write("cut", bytes.substr(0, length));
    const std::string message =
        as_images ? load_error(cut, set.labels) : load_error(set.images, cut);
    CHECK(message.find(cut + ": ") == 0);
  }
}

// gzip layout (RFC 1952) as gzopen writes it: a 10-byte header without a file name, the
// deflate data, then CRC-32 and length, 4 bytes each.
constexpr std::size_t kGzipHeaderBytes = 10;
constexpr std::size_t kGzipTrailerBytes = 8;

}  // namespace

TEST_CASE("idx raw file truncated at every byte offset is a data error") {
  DamageSet set;
  check_every_cut(set, set.image_bytes, true);
  check_every_cut(set, set.label_bytes, false);
}

TEST_CASE("idx gzip file truncated at every byte offset is a data error") {
  DamageSet set;
  check_every_cut(set, set.images_gz, true);
  check_every_cut(set, set.labels_gz, false);
  // A cut inside the deflate data or the trailer is reported as such.
  const std::string cut =
      set.dir.write("cut.gz", set.images_gz.substr(0, set.images_gz.size() - 3));
  CHECK(load_error(cut, set.labels).find("truncated gzip data") != std::string::npos);
}

TEST_CASE("idx flipped byte in gzip body is a data error") {
  DamageSet set;
  const std::size_t body_end = set.images_gz.size() - kGzipTrailerBytes;
  REQUIRE(body_end > kGzipHeaderBytes + 50);
  for (std::size_t offset = kGzipHeaderBytes; offset < body_end; ++offset) {
    CAPTURE(offset);
    std::string bytes = set.images_gz;
    bytes[offset] = char(bytes[offset] ^ 0xFF);
    const std::string flipped = set.dir.write("flipped.gz", bytes);
    CHECK(load_error(flipped, set.labels).find(flipped + ": ") == 0);
  }
}

TEST_CASE("idx flipped byte in gzip trailer is a data error") {
  DamageSet set;
  const std::size_t trailer = set.images_gz.size() - kGzipTrailerBytes;
  for (std::size_t offset = trailer; offset < set.images_gz.size(); ++offset) {
    CAPTURE(offset);
    std::string bytes = set.images_gz;
    bytes[offset] = char(bytes[offset] ^ 0x01);
    const std::string flipped = set.dir.write("flipped.gz", bytes);
    // zlib's words: the first 4 bytes are the CRC-32, the last 4 the length.
    const std::string expected = offset < trailer + 4 ? "corrupt gzip data: incorrect data check"
                                                      : "corrupt gzip data: incorrect length check";
    CHECK(load_error(flipped, set.labels) == flipped + ": " + expected);
  }
}

TEST_CASE("idx bytes after the gzip stream are a data error") {
  DamageSet set;
  const std::string padded = set.dir.write("padded.gz", set.images_gz + std::string(4, '\0'));
  CHECK(load_error(padded, set.labels) ==
        padded + ": unexpected data after the end of the gzip stream, at byte offset " +
            std::to_string(set.images_gz.size()));
  // A 1f byte starts what looks like a second member; its bad header is reported too.
  const std::string fake = set.dir.write("fake_member.gz", set.images_gz + "\x1f" + "xyz");
  CHECK(load_error(fake, set.labels).find(fake + ": corrupt gzip data") == 0);
}

TEST_CASE("idx Fashion-MNIST test set loads with 1000 images per class") {
  const std::string folder = "/usr/share/datasets/fashion-mnist/";
  const std::string images = folder + "t10k-images-idx3-ubyte.gz";
  const std::string labels = folder + "t10k-labels-idx1-ubyte.gz";
  if (!std::filesystem::exists(images) || !std::filesystem::exists(labels)) {
    MESSAGE("skipped: Fashion-MNIST test files not installed in " << folder);
    return;
  }
  const Dataset data = load_idx(images, labels, 0);
  CHECK(data.size() == 10000);
  CHECK(data.features.cols == 28 * 28);
  CHECK(data.num_classes() == 10);
  CHECK(data.feature_names.size() == 784);
  std::vector<int> per_class(10, 0);
  for (const std::int32_t label : data.labels) ++per_class.at(label);  // at: 0..9 or throw
  CHECK(per_class == std::vector<int>(10, 1000));
  const auto [low, high] =
      std::minmax_element(data.features.values.begin(), data.features.values.end());
  CHECK(*low == 0.0f);
  CHECK(*high == 255.0f);
}
