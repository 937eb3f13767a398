// IDX loading: a byte stream that inflates gzip on the way (zlib's inflate directly, so every
// gzip failure is ours to report), the header checks, and a chunked uint8 -> float copy.
#include "core/data/idx_reader.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <vector>

#include "core/errors.hpp"
#include "core/util/file_kind.hpp"

namespace nnrun {

namespace {

// Big enough that zlib and fread run at full speed, small enough to stay in cache while the
// bytes are converted: the only copy of the data besides the float matrix.
constexpr std::size_t kChunkBytes = 256 * 1024;
// Deflate spends at least 2 bits on a 258-byte match, so it expands at most 1032:1: a gzip
// file's size bounds its payload before anything is allocated.
constexpr std::uint64_t kMaxDeflateRatio = 1032;
// Far beyond any image set that fits in memory and small enough that 4 bytes per element
// cannot overflow: a header claiming more is corrupt.
constexpr std::uint64_t kMaxPayloadBytes = std::uint64_t{1} << 40;

[[noreturn]] void fail(const std::string& path, const std::string& message) {
  throw DataError(path + ": " + message);
}

std::string hex_byte(unsigned char value) {
  return {"0123456789abcdef"[value >> 4], "0123456789abcdef"[value & 15]};
}

// The bytes of one file, inflated on the way when it starts with the gzip magic 1f 8b.
// Reads come back short only at the end of the data; corrupt gzip data throws DataError.
class ByteStream {
 public:
  explicit ByteStream(const std::string& path) : path_(path), input_(kChunkBytes) {
    std::error_code ignored;
    // fopen succeeds on a directory on Linux and the first read fails with EISDIR.
    if (std::filesystem::is_directory(path, ignored)) fail(path, "is a directory, expected a file");
    // A FIFO would wait for a writer and a device such as /dev/urandom never ends.
    if (const std::string kind = non_regular_file_kind(path); !kind.empty())
      fail(path, "is not a regular file (" + kind + "), expected an IDX file");
    file_ = std::fopen(path.c_str(), "rb");
    if (!file_) {
      const int open_errno = errno;
      if (!std::filesystem::exists(path, ignored)) fail(path, "file not found");
      fail(path, std::string("cannot open for reading: ") + std::strerror(open_errno));
    }
    if (std::filesystem::is_regular_file(path, ignored))
      file_size_ = std::filesystem::file_size(path, ignored);
    refill();
    gzipped_ = in_end_ >= 2 && input_[0] == 0x1f && input_[1] == 0x8b;
    if (gzipped_ && inflateInit2(&inflater_, 16 + MAX_WBITS) != Z_OK)  // 16: gzip wrapper
      throw RuntimeFailure(path + ": zlib inflateInit2 failed");
  }
  ByteStream(const ByteStream&) = delete;
  ByteStream& operator=(const ByteStream&) = delete;
  ~ByteStream() {
    if (gzipped_) inflateEnd(&inflater_);
    std::fclose(file_);
  }

  const std::string& path() const { return path_; }
  bool gzipped() const { return gzipped_; }
  std::optional<std::uint64_t> file_size() const { return file_size_; }

  // Fills dst with n bytes unless the data ends first; returns how many it got.
  std::size_t read_fully(unsigned char* dst, std::size_t n) {
    std::size_t got = 0;
    while (got < n) {
      const std::size_t step =
          gzipped_ ? inflate_some(dst + got, n - got) : copy_some(dst + got, n - got);
      if (step == 0) break;
      got += step;
    }
    return got;
  }

  // Reads to the end and counts what is left. Reaching the end is also what makes zlib check
  // the gzip trailer (CRC-32 and length) after the last byte the caller wanted.
  std::uint64_t count_rest() {
    std::vector<unsigned char> scratch(4096);
    std::uint64_t rest = 0;
    while (const std::size_t got = read_fully(scratch.data(), scratch.size())) rest += got;
    return rest;
  }

 private:
  // fread with its error checked: short only at the end of the file.
  std::size_t read_file(unsigned char* dst, std::size_t n) {
    const std::size_t got = std::fread(dst, 1, n, file_);
    if (std::ferror(file_)) fail(path_, std::string("read error: ") + std::strerror(errno));
    file_offset_ += got;
    return got;
  }

  bool refill() {
    in_pos_ = 0;
    in_end_ = read_file(input_.data(), input_.size());
    return in_end_ > 0;
  }

  std::size_t copy_some(unsigned char* dst, std::size_t n) {
    if (in_pos_ == in_end_) {
      if (n >= input_.size()) return read_file(dst, n);  // large reads skip the buffer
      if (!refill()) return 0;
    }
    const std::size_t take = std::min(n, in_end_ - in_pos_);
    std::memcpy(dst, input_.data() + in_pos_, take);
    in_pos_ += take;
    return take;
  }

  std::size_t inflate_some(unsigned char* dst, std::size_t n) {
    inflater_.next_out = dst;
    inflater_.avail_out = static_cast<uInt>(std::min<std::size_t>(n, 1u << 30));
    const uInt wanted = inflater_.avail_out;
    while (inflater_.avail_out > 0) {
      if (member_done_ && !start_next_member()) break;
      if (in_pos_ == in_end_ && !refill())
        fail(path_, "truncated gzip data: the file ends before the gzip stream does");
      inflater_.next_in = input_.data() + in_pos_;
      inflater_.avail_in = static_cast<uInt>(in_end_ - in_pos_);
      const int status = inflate(&inflater_, Z_NO_FLUSH);
      in_pos_ = in_end_ - inflater_.avail_in;
      if (status == Z_STREAM_END) {
        member_done_ = true;  // zlib has checked this member's CRC-32 and length
      } else if (status != Z_OK) {
        fail(path_,
             std::string("corrupt gzip data: ") + (inflater_.msg ? inflater_.msg : zError(status)));
      }
    }
    return wanted - inflater_.avail_out;
  }

  // After a member's trailer comes the end of the file or another member (gunzip accepts
  // concatenated members). Anything else would be silently ignored by gzread; refuse it.
  bool start_next_member() {
    if (in_pos_ == in_end_ && !refill()) return false;
    if (input_[in_pos_] != 0x1f)
      fail(path_, "unexpected data after the end of the gzip stream, at byte offset " +
                      std::to_string(file_offset_ - (in_end_ - in_pos_)));
    inflateReset(&inflater_);  // the next header is checked by inflate itself
    member_done_ = false;
    return true;
  }

  std::string path_;
  std::FILE* file_ = nullptr;
  std::optional<std::uint64_t> file_size_;  // known for regular files only
  std::vector<unsigned char> input_;        // file bytes not yet consumed: [in_pos_, in_end_)
  std::size_t in_pos_ = 0, in_end_ = 0;
  std::uint64_t file_offset_ = 0;  // file bytes read so far
  bool gzipped_ = false;
  z_stream inflater_{};
  bool member_done_ = false;
};

struct IdxHeader {
  std::vector<std::uint64_t> dims;
  std::uint64_t header_bytes = 0;   // 4-byte magic + 4 bytes per dimension
  std::uint64_t payload_bytes = 1;  // product of dims: type 0x08 is one byte per element
  std::string shape;                // "60000 x 28 x 28", for messages
};

// Reads and checks the header; then checks what the file's size says about the payload.
IdxHeader read_header(ByteStream& src, const std::vector<std::string>& dim_names,
                      const std::string& kind) {
  const std::string& path = src.path();
  const std::size_t ndims = dim_names.size();
  IdxHeader header;
  header.header_bytes = 4 + 4 * ndims;
  unsigned char bytes[4 + 4 * 3];
  const std::size_t got = src.read_fully(bytes, header.header_bytes);
  const auto too_short = [&](std::size_t needed) {
    if (got < needed)
      fail(path, "data too short for an IDX " + kind + " header: expected " +
                     std::to_string(header.header_bytes) + " bytes, found " + std::to_string(got));
  };
  too_short(4);
  if (bytes[0] != 0 || bytes[1] != 0)
    fail(path, "not an IDX file: expected the magic number to start with bytes 00 00, found " +
                   hex_byte(bytes[0]) + " " + hex_byte(bytes[1]));
  if (bytes[2] != 0x08)
    fail(path,
         "unsupported IDX type code: expected 0x08 (unsigned byte), found 0x" + hex_byte(bytes[2]));
  if (bytes[3] != ndims)
    fail(path, "wrong number of dimensions for an IDX " + kind + " file: expected " +
                   std::to_string(ndims) + ", found " + std::to_string(bytes[3]));
  too_short(header.header_bytes);

  for (std::size_t d = 0; d < ndims; ++d) {
    const unsigned char* big_endian = bytes + 4 + 4 * d;
    const std::uint64_t dim = std::uint64_t{big_endian[0]} << 24 | big_endian[1] << 16 |
                              big_endian[2] << 8 | big_endian[3];
    if (dim == 0) fail(path, "IDX dimension '" + dim_names[d] + "' is 0, expected at least 1");
    header.shape += (d ? " x " : "") + std::to_string(dim);
    // Checked before multiplying, so the product cannot overflow.
    if (header.payload_bytes > kMaxPayloadBytes / dim)
      fail(path, "IDX dimensions are absurdly large: their product exceeds 2^40 (dimensions " +
                     header.shape + (d + 1 < ndims ? " x ..." : "") + ")");
    header.payload_bytes *= dim;
    header.dims.push_back(dim);
  }

  const std::string needs = "the header (" + kind + " " + header.shape + ") needs " +
                            std::to_string(header.header_bytes) + " + " +
                            std::to_string(header.payload_bytes) + " bytes";
  if (!src.file_size()) return header;  // a pipe: the payload read finds any mismatch
  const std::uint64_t size = *src.file_size();
  if (!src.gzipped() && size != header.header_bytes + header.payload_bytes)
    fail(path, "file size does not match the IDX header: " + needs + ", found " +
                   std::to_string(size) + " (" +
                   (size < header.header_bytes + header.payload_bytes ? "the file is truncated)"
                                                                      : "extra data at the end)"));
  if (src.gzipped() && header.payload_bytes > size * kMaxDeflateRatio)
    fail(path, "gzip file too small for its IDX header: " + needs + ", but " +
                   std::to_string(size) + " gzip bytes hold at most " +
                   std::to_string(size * kMaxDeflateRatio) + " (deflate expands at most 1032:1)");
  return header;
}

// Streams the payload chunk by chunk into consume(bytes, n), then requires the end of data.
template <typename Consume>
void read_payload(ByteStream& src, const IdxHeader& header, const std::string& kind,
                  Consume consume) {
  std::vector<unsigned char> chunk(std::min<std::uint64_t>(kChunkBytes, header.payload_bytes));
  std::uint64_t done = 0;
  while (done < header.payload_bytes) {
    const std::size_t want = std::min<std::uint64_t>(chunk.size(), header.payload_bytes - done);
    const std::size_t got = src.read_fully(chunk.data(), want);
    consume(chunk.data(), got);
    done += got;
    if (got < want)
      fail(src.path(), "IDX data too short: the header (" + kind + " " + header.shape + ") needs " +
                           std::to_string(header.payload_bytes) + " payload bytes, found " +
                           std::to_string(done));
  }
  if (const std::uint64_t extra = src.count_rest())
    fail(src.path(), "IDX data too long: " + std::to_string(extra) +
                         " bytes of extra data after the " + std::to_string(header.payload_bytes) +
                         "-byte payload the header (" + kind + " " + header.shape + ") describes");
}

}  // namespace

Dataset load_idx(const std::string& images_path, const std::string& labels_path,
                 std::int64_t max_classes) {
  if (max_classes < 0) throw std::invalid_argument("load_idx: max_classes must be >= 0");
  ByteStream images(images_path);
  const IdxHeader image_header = read_header(images, {"count", "rows", "cols"}, "images");
  ByteStream labels(labels_path);
  const IdxHeader label_header = read_header(labels, {"count"}, "labels");
  const std::uint64_t count = image_header.dims[0];
  if (label_header.dims[0] != count)
    fail(images_path, "holds " + std::to_string(count) + " images but " + labels_path + " holds " +
                          std::to_string(label_header.dims[0]) + " labels");

  Dataset dataset;
  dataset.task = Task::classification;
  dataset.source = images_path;
  // Labels first: they are small, and a bad one then fails before the big allocation.
  dataset.labels.reserve(count);
  int largest_label = 0;
  read_payload(labels, label_header, "labels", [&](const unsigned char* bytes, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      if (max_classes > 0 && bytes[i] >= max_classes)
        fail(labels_path, "label " + std::to_string(bytes[i]) + " at index " +
                              std::to_string(dataset.labels.size()) +
                              " is out of range: expected 0.." + std::to_string(max_classes - 1) +
                              " (max_classes " + std::to_string(max_classes) + ")");
      largest_label = std::max<int>(largest_label, bytes[i]);
      dataset.labels.push_back(bytes[i]);
    }
  });

  const std::int64_t pixels =
      static_cast<std::int64_t>(image_header.dims[1] * image_header.dims[2]);
  dataset.features.rows = static_cast<std::int64_t>(count);
  dataset.features.cols = pixels;
  dataset.sample_shape = {static_cast<std::int64_t>(image_header.dims[1]),
                          static_cast<std::int64_t>(image_header.dims[2])};
  dataset.features.values.resize(image_header.payload_bytes);
  float* dst = dataset.features.values.data();
  read_payload(images, image_header, "images", [&](const unsigned char* bytes, std::size_t n) {
    dst = std::transform(bytes, bytes + n, dst, [](unsigned char v) { return float(v); });
  });

  const std::int64_t num_classes = max_classes > 0 ? max_classes : largest_label + 1;
  for (std::int64_t k = 0; k < num_classes; ++k) dataset.class_names.push_back(std::to_string(k));
  dataset.feature_names.reserve(pixels);
  for (std::int64_t p = 0; p < pixels; ++p)
    dataset.feature_names.push_back("px" + std::to_string(p));
  return dataset;
}

}  // namespace nnrun
