// CSV loading: a small RFC 4180 tokenizer plus the rules that turn header and cells into a
// Dataset. Every problem is reported as a DataError naming the file and 1-based line.
#include "core/data/csv_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <string_view>

#include "core/config/suggest.hpp"
#include "core/data/label_classes.hpp"
#include "core/errors.hpp"
#include "core/util/file_kind.hpp"

namespace nnrun {

namespace {

// One record as the cursor reads it: fields are views into the file's text, or, for quoted
// fields (unescaped), into `unquoted`, whose strings never move (a deque). perf on a 131 MB
// image CSV: copying every field into a std::string was 7 % of the load in memmove alone.
struct CsvRow {
  int line = 0;  // 1-based line on which the record starts
  std::vector<std::string_view> fields;
  std::deque<std::string> unquoted;
};

// The header, with names of its own.
struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
};

[[noreturn]] void fail(const std::string& path, int line, const std::string& message) {
  throw DataError(path + ":" + std::to_string(line) + ": " + message);
}

// Files that are not plain text would otherwise fail as "no column" with garbled names.
void check_plain_text(const std::string& path, std::string_view bytes) {
  if (bytes.starts_with("\x1f\x8b"))
    throw DataError(path + ": is gzip-compressed; a CSV source must be plain text (gunzip it)");
  if (bytes.starts_with("\xff\xfe") || bytes.starts_with("\xfe\xff"))
    throw DataError(path + ": is UTF-16 text; save it as UTF-8");
  if (bytes.substr(0, 4096).find('\0') != std::string_view::npos)
    throw DataError(path + ": holds NUL bytes: not a text file (CSV must be UTF-8 text)");
}

std::string read_whole_file(const std::string& path) {
  std::error_code ignored;
  // An ifstream opens a directory without complaint on Linux and then reads nothing, which
  // would surface as a puzzling "empty file"; say what is wrong instead.
  if (std::filesystem::is_directory(path, ignored)) {
    throw DataError(path + ": is a directory, expected a CSV file");
  }
  // A FIFO would wait for a writer and a device such as /dev/urandom never ends.
  if (const std::string kind = non_regular_file_kind(path); !kind.empty())
    throw DataError(path + ": is not a regular file (" + kind + "), expected a CSV file");
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int open_errno = errno;
    if (!std::filesystem::exists(path, ignored)) throw DataError(path + ": file not found");
    throw DataError(path + ": cannot open for reading: " + std::strerror(open_errno));
  }
  std::string bytes;
  std::error_code size_error;
  const std::uintmax_t size = std::filesystem::file_size(path, size_error);
  if (!size_error) {  // a regular file: one read of its size into the final buffer
    bytes.resize(static_cast<std::size_t>(size));
    in.read(bytes.data(), static_cast<std::streamsize>(size));
    bytes.resize(static_cast<std::size_t>(in.gcount()));  // shorter if it shrank meanwhile
  }
  // Whatever is left: all of a stream (/dev/stdin, a pipe), or what a file grew by, or a
  // file whose size the system does not report (some /proc or FUSE files say 0).
  if (in) {
    std::ostringstream rest;
    rest << in.rdbuf();
    bytes += std::move(rest).str();
  }
  if (in.bad()) throw DataError(path + ": read error");
  check_plain_text(path, bytes);
  return bytes;
}

std::string_view trim(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// Reads records one at a time, reusing the field strings, so a large file costs its text
// plus the parsed floats rather than one heap string per cell.
class CsvCursor {
 public:
  CsvCursor(const std::string& path, std::string_view text) : path_(path), text_(text) {
    if (text_.starts_with("\xEF\xBB\xBF")) text_.remove_prefix(3);  // UTF-8 byte order mark
  }

  // The next record that is not blank (blank lines are skipped, as pandas does, so trailing
  // blank lines are harmless); false at the end of the text.
  bool next(CsvRow& record) {
    while (pos_ < text_.size()) {
      record.line = line_;
      record.fields.clear();
      record.unquoted.clear();
      for (;;) {
        record.fields.push_back(read_field(record));
        if (pos_ >= text_.size()) break;
        const char separator = text_[pos_++];
        if (separator == ',') continue;
        if (separator == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
        ++line_;
        break;
      }
      if (record.fields.size() > 1 || !trim(record.fields[0]).empty()) return true;
    }
    return false;
  }

  // The next record as a header, its names copied.
  bool next(CsvRecord& header) {
    CsvRow row;
    if (!next(row)) return false;
    header.line = row.line;
    header.fields.assign(row.fields.begin(), row.fields.end());
    return true;
  }

 private:
  static bool ends_field(char c) { return c == ',' || c == '\n' || c == '\r'; }

  // Leaves pos_ on the separator (',' or a line end) or at the end of the text.
  std::string_view read_field(CsvRow& record) {
    if (pos_ >= text_.size() || text_[pos_] != '"') {
      const std::size_t begin = pos_;
      while (pos_ < text_.size() && !ends_field(text_[pos_])) ++pos_;
      return text_.substr(begin, pos_ - begin);
    }
    std::string& field = record.unquoted.emplace_back();
    const int opening_line = line_;
    ++pos_;
    for (;;) {
      if (pos_ >= text_.size()) fail(path_, opening_line, "quoted field is never closed");
      const char c = text_[pos_++];
      if (c == '"') {
        if (pos_ < text_.size() && text_[pos_] == '"') {
          field += '"';  // "" is an escaped quote
          ++pos_;
          continue;
        }
        break;
      }
      if (c == '\n') ++line_;
      field += c;
    }
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
    if (pos_ < text_.size() && !ends_field(text_[pos_])) {
      fail(path_, line_, "unexpected text after a closing quote");
    }
    return field;
  }

  const std::string& path_;
  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

// A cell of up to 9 digits, with an optional '-' (pixel values, counts, 0/1 flags): its
// value, exact in a double, so the float is the one from_chars would give (-0 included).
// perf on a 131 MB image CSV put from_chars at 22 % of the load.
std::optional<float> small_integer(std::string_view cell) {
  const bool negative = cell.starts_with('-');
  if (negative) cell.remove_prefix(1);
  if (cell.empty() || cell.size() > 9) return std::nullopt;
  std::int32_t value = 0;
  for (const char c : cell) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  const double exact = negative ? -static_cast<double>(value) : static_cast<double>(value);
  return static_cast<float>(exact);
}

// Parses a whole cell as a finite float. std::from_chars is locale-independent, unlike
// strtod, so "1.5" reads the same under a German locale.
float parse_number(const std::string& path, int line, const std::string& column,
                   std::string_view raw) {
  const std::string_view trimmed = trim(raw);
  if (const std::optional<float> integer = small_integer(trimmed)) return *integer;
  // Messages are built only on failure: this runs once per cell of the file.
  const auto reject = [&](const char* problem) {
    fail(path, line, "column '" + column + "': \"" + std::string(trimmed) + "\" " + problem);
  };
  if (trimmed.empty()) fail(path, line, "column '" + column + "': empty cell, expected a number");
  std::string_view cell = trimmed;
  if (cell.size() > 1 && cell.front() == '+') cell.remove_prefix(1);  // from_chars rejects '+'
  double value = 0.0;
  const auto [end, error] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (error == std::errc::result_out_of_range) reject("is out of range for a 32-bit float");
  if (error != std::errc() || end != cell.data() + cell.size()) reject("is not a number");
  if (!std::isfinite(value)) reject("is not a finite number");
  if (std::abs(value) > std::numeric_limits<float>::max()) {
    reject("is out of range for a 32-bit float");
  }
  return static_cast<float>(value);
}

// A column named by the label wins; otherwise all-digit text is a 0-based index.
std::size_t find_label_column(const std::string& path, const CsvRecord& header,
                              const std::string& label) {
  const std::vector<std::string>& names = header.fields;
  if (label.empty()) return names.size() - 1;
  const auto named = std::find(names.begin(), names.end(), label);
  if (named != names.end()) return static_cast<std::size_t>(named - names.begin());
  const bool all_digits =
      std::all_of(label.begin(), label.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (all_digits) {
    std::size_t index = 0;
    const auto [end, error] = std::from_chars(label.data(), label.data() + label.size(), index);
    if (error == std::errc() && index < names.size()) return index;
    fail(path, header.line,
         "label column index " + label + " is out of range: the header has " +
             std::to_string(names.size()) + " columns (0 to " + std::to_string(names.size() - 1) +
             ")");
  }
  const std::vector<std::string_view> candidates(names.begin(), names.end());
  fail(path, header.line,
       "no column '" + label + "'" + did_you_mean(label, candidates) +
           "; columns are: " + join_names(names));
}

void check_header(const std::string& path, CsvRecord& header) {
  std::map<std::string, std::size_t> seen;
  for (std::size_t column = 0; column < header.fields.size(); ++column) {
    std::string& name = header.fields[column];
    name = std::string(trim(name));  // "a, b, c" names b, not " b"
    const auto [it, inserted] = seen.emplace(name, column);
    if (!inserted) {
      fail(path, header.line,
           "duplicate column name '" + name + "' (columns " + std::to_string(it->second) + " and " +
               std::to_string(column) + ", counting from 0)");
    }
  }
}

void check_width(const std::string& path, const CsvRow& row, std::size_t num_columns) {
  if (row.fields.size() == num_columns) return;
  fail(path, row.line,
       "row has " + std::to_string(row.fields.size()) + " fields, header has " +
           std::to_string(num_columns));
}

}  // namespace

Dataset load_csv(const std::string& path, const std::string& label, Task task,
                 const std::string& preferred_label) {
  const std::string text = read_whole_file(path);
  CsvCursor cursor(path, text);
  CsvRecord header;
  if (!cursor.next(header)) fail(path, 1, "file is empty; expected a header row");
  check_header(path, header);
  const auto preferred = std::find(header.fields.begin(), header.fields.end(), preferred_label);
  const std::size_t label_column = !preferred_label.empty() && preferred != header.fields.end()
                                       ? static_cast<std::size_t>(preferred - header.fields.begin())
                                       : find_label_column(path, header, label);
  const std::string& label_name = header.fields[label_column];
  const std::size_t num_columns = header.fields.size();
  if (num_columns < 2) fail(path, header.line, "no feature columns besides the label");

  Dataset dataset;
  dataset.task = task;
  dataset.source = path;
  dataset.label_name = label_name;
  for (std::size_t column = 0; column < num_columns; ++column) {
    if (column != label_column) dataset.feature_names.push_back(header.fields[column]);
  }
  dataset.features.cols = static_cast<std::int64_t>(num_columns - 1);
  dataset.targets.cols = task == Task::regression ? 1 : 0;
  std::vector<std::string> label_texts;

  // Reserving the rows avoids regrowing (copying) the whole matrix. A row is one line at
  // most, and at least num_columns bytes (its commas and line end), which bounds the
  // estimate when blank lines are many.
  const auto lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  const std::size_t rows = std::min(lines, text.size() / num_columns + 1);
  dataset.features.values.reserve(rows * (num_columns - 1));
  CsvRow row;
  while (cursor.next(row)) {
    check_width(path, row, num_columns);
    for (std::size_t column = 0; column < num_columns; ++column) {
      if (column == label_column) continue;
      dataset.features.values.push_back(
          parse_number(path, row.line, header.fields[column], row.fields[column]));
    }
    const std::string_view label_cell = trim(row.fields[label_column]);
    if (task == Task::regression) {
      dataset.targets.values.push_back(parse_number(path, row.line, label_name, label_cell));
    } else if (label_cell.empty()) {
      fail(path, row.line, "column '" + label_name + "': empty label");
    } else {
      label_texts.emplace_back(label_cell);
    }
    ++dataset.features.rows;
  }
  if (dataset.features.rows == 0) fail(path, header.line, "no data rows after the header");
  if (task == Task::regression) {
    dataset.targets.rows = dataset.features.rows;
  } else {
    assign_classes(label_texts, dataset);
  }
  return dataset;
}

HostMatrix load_csv_columns(const std::string& path, const std::vector<std::string>& columns) {
  const std::string text = read_whole_file(path);
  CsvCursor cursor(path, text);
  CsvRecord header;
  if (!cursor.next(header)) fail(path, 1, "file is empty; expected a header row");
  check_header(path, header);
  std::vector<std::size_t> source;
  for (const std::string& name : columns) {
    const auto at = std::find(header.fields.begin(), header.fields.end(), name);
    if (at == header.fields.end())
      fail(path, header.line,
           "no column '" + name +
               "', which the model needs; columns are: " + join_names(header.fields));
    source.push_back(static_cast<std::size_t>(at - header.fields.begin()));
  }
  HostMatrix matrix;
  matrix.cols = static_cast<std::int64_t>(columns.size());
  CsvRow row;
  while (cursor.next(row)) {
    check_width(path, row, header.fields.size());
    for (const std::size_t column : source)
      matrix.values.push_back(
          parse_number(path, row.line, header.fields[column], row.fields[column]));
    ++matrix.rows;
  }
  if (matrix.rows == 0) fail(path, header.line, "no data rows after the header");
  return matrix;
}

}  // namespace nnrun
