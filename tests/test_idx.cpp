// Tests for core/data/idx_reader's format rules: raw and gzip files give the same data, and
// every header violation is a DataError naming the file, with expected vs found.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/data/idx_reader.hpp"
#include "core/errors.hpp"
#include "tests/idx_fixtures.hpp"
#include "tests/temp_dir.hpp"

using namespace nnrun;
using namespace nnrun::testing::idx;

TEST_CASE("idx raw and gzip files load identical data") {
  SmallSet set;
  const std::string images_gz = write_gzip(set.dir, "images.gz", read_bytes(set.images));
  // Detection is by content, not name: this gzip file does not end in .gz.
  const std::string labels_gz = write_gzip(set.dir, "labels.raw", read_bytes(set.labels));
  const Dataset raw = load_idx(set.images, set.labels, 0);
  const Dataset gz = load_idx(images_gz, labels_gz, 0);

  CHECK(raw.task == Task::classification);
  CHECK(raw.features.rows == 3);
  CHECK(raw.features.cols == 4);
  CHECK(raw.features.values[0] == 255.0f);  // raw pixel values, not normalized
  CHECK(raw.features.values[1] == float(37));
  CHECK(raw.labels == std::vector<std::int32_t>{0, 2, 1});
  CHECK(raw.class_names == std::vector<std::string>{"0", "1", "2"});
  CHECK(raw.feature_names == std::vector<std::string>{"px0", "px1", "px2", "px3"});
  CHECK(raw.source == set.images);

  CHECK(gz.features.rows == raw.features.rows);
  CHECK(gz.features.cols == raw.features.cols);
  CHECK(gz.features.values == raw.features.values);
  CHECK(gz.labels == raw.labels);
  CHECK(gz.class_names == raw.class_names);
  CHECK(gz.source == images_gz);
}

TEST_CASE("idx max_classes sets the class names") {
  SmallSet set;
  const Dataset data = load_idx(set.images, set.labels, 10);
  CHECK(data.num_classes() == 10);
  CHECK(data.class_names.back() == "9");
}

TEST_CASE("idx concatenated gzip members load like one") {
  SmallSet set;
  const std::string bytes = read_bytes(set.images);
  const std::string first = read_bytes(write_gzip(set.dir, "a.gz", bytes.substr(0, 7)));
  const std::string second = read_bytes(write_gzip(set.dir, "b.gz", bytes.substr(7)));
  const std::string joined = set.dir.write("joined.gz", first + second);
  CHECK(load_idx(joined, set.labels, 0).features.values ==
        load_idx(set.images, set.labels, 0).features.values);
}

TEST_CASE("idx bad magic names the file and the bytes found") {
  SmallSet set;
  std::string bytes = read_bytes(set.images);
  bytes[1] = char(0x08);
  const std::string path = set.dir.write("bad_magic.idx", bytes);
  const std::string message = load_error(path, set.labels);
  CHECK(message.find(path) == 0);
  CHECK(message.find("expected the magic number to start with bytes 00 00, found 00 08") !=
        std::string::npos);
}

TEST_CASE("idx unsupported type code is reported") {
  SmallSet set;
  const std::string path = set.dir.write("floats.idx", idx_bytes(0x0D, {1, 1, 1}, "abcd"));
  const std::string message = load_error(path, set.labels);
  CHECK(message.find(path) == 0);
  CHECK(message.find("expected 0x08 (unsigned byte), found 0x0d") != std::string::npos);
}

TEST_CASE("idx wrong number of dimensions is reported") {
  SmallSet set;
  const std::string flat = set.dir.write("flat.idx", idx_bytes(0x08, {3, 4}, std::string(12, 'x')));
  std::string message = load_error(flat, set.labels);
  CHECK(message.find(flat) == 0);
  CHECK(message.find("IDX images file: expected 3, found 2") != std::string::npos);

  const std::string cube = set.dir.write("cube.idx", idx_bytes(0x08, {3, 1, 1}, "abc"));
  message = load_error(set.images, cube);
  CHECK(message.find(cube) == 0);
  CHECK(message.find("IDX labels file: expected 1, found 3") != std::string::npos);
}

TEST_CASE("idx payload size must match the header") {
  SmallSet set;
  const std::string bytes = read_bytes(set.images);  // 16 + 12 bytes
  const std::string header_only = set.dir.write("header.idx", bytes.substr(0, 10));
  CHECK(load_error(header_only, set.labels) ==
        header_only + ": data too short for an IDX images header: expected 16 bytes, found 10");
  const std::string short_raw = set.dir.write("short.idx", bytes.substr(0, 27));
  std::string message = load_error(short_raw, set.labels);
  CHECK(message.find(short_raw) == 0);
  CHECK(message.find("needs 16 + 12 bytes, found 27 (the file is truncated)") != std::string::npos);

  const std::string long_raw = set.dir.write("long.idx", bytes + "z");
  message = load_error(long_raw, set.labels);
  CHECK(message.find(long_raw) == 0);
  CHECK(message.find("found 29 (extra data at the end)") != std::string::npos);

  const std::string short_gz = write_gzip(set.dir, "short.gz", bytes.substr(0, 27));
  message = load_error(short_gz, set.labels);
  CHECK(message.find(short_gz) == 0);
  CHECK(message.find("needs 12 payload bytes, found 11") != std::string::npos);

  const std::string long_gz = write_gzip(set.dir, "long.gz", bytes + "xyz");
  message = load_error(long_gz, set.labels);
  CHECK(message.find(long_gz) == 0);
  CHECK(message.find("too long: 3 bytes of extra data after the 12-byte payload") !=
        std::string::npos);
}

TEST_CASE("idx zero and absurdly large dimensions are reported") {
  SmallSet set;
  const std::string empty = set.dir.write("zero.idx", idx_bytes(0x08, {3, 0, 2}, ""));
  std::string message = load_error(empty, set.labels);
  CHECK(message.find(empty) == 0);
  CHECK(message.find("dimension 'rows' is 0") != std::string::npos);

  // 2^32-1 cubed overflows 64 bits: the check must not multiply first.
  const std::string huge =
      set.dir.write("huge.idx", idx_bytes(0x08, {0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF}, "x"));
  message = load_error(huge, set.labels);
  CHECK(message.find(huge) == 0);
  CHECK(message.find("absurdly large") != std::string::npos);

  // Plausible dimensions that a tiny gzip file cannot hold: refused before allocating.
  const std::string lie = write_gzip(set.dir, "lie.gz", idx_bytes(0x08, {60000, 280, 280}, "x"));
  message = load_error(lie, set.labels);
  CHECK(message.find(lie) == 0);
  CHECK(message.find("deflate expands at most 1032:1") != std::string::npos);
}

TEST_CASE("idx image and label counts must match") {
  SmallSet set;
  const std::string two = set.dir.write("two_labels.idx", label_file({0, 1}));
  const std::string message = load_error(set.images, two);
  CHECK(message.find(set.images + ": holds 3 images but " + two + " holds 2 labels") == 0);
}

TEST_CASE("idx label at or above max_classes names index and value") {
  SmallSet set;
  const std::string message = load_error(set.images, set.labels, 2);
  CHECK(message.find(set.labels) == 0);
  CHECK(message.find("label 2 at index 1 is out of range: expected 0..1") != std::string::npos);
}

TEST_CASE("idx missing file and directory are data errors") {
  SmallSet set;
  const std::string missing = set.dir.file("nothing.idx");
  CHECK(load_error(missing, set.labels) == missing + ": file not found");
  CHECK(load_error(set.images, missing) == missing + ": file not found");
  const std::string folder = set.dir.path().string();
  CHECK(load_error(folder, set.labels) == folder + ": is a directory, expected a file");
}
