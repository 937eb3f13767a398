// Loads a CSV file with a header row into a Dataset: every column but one is a numeric
// feature; the remaining label column gives class names (classification) or a target value.
#pragma once

#include <string>
#include <vector>

#include "core/data/dataset.hpp"

namespace nnrun {

// label: a column name; else a 0-based column index written as digits; empty = last column.
// A header name that is itself all digits wins over the index reading.
//
// Classification: label cells are texts or numbers; class_names are the distinct texts
// sorted, or, when every label is a number, the distinct values in numeric order ("10"
// follows "9", "10.0" follows "2.0"; "1" and "1.0" are one class, named "1"); labels index
// into them.
// Regression: the label column must be numeric and becomes targets (samples x 1).
//
// Accepted: quoted fields ("a,b", "" for a quote, line breaks inside quotes), LF or CRLF
// line ends, a UTF-8 byte order mark, blank lines (skipped), spaces around values.
// Throws DataError "file:line: message" (line 1-based) for anything that makes the file
// unusable, or "file: message" when the file itself cannot be read.
// `preferred_label`, when given and in the header, names the label column instead of
// `label`: a validation, test or eval file's label is the training file's label column,
// wherever the file has it.
Dataset load_csv(const std::string& path, const std::string& label, Task task,
                 const std::string& preferred_label = "");

// The named numeric columns, matched by header name in any order (other columns, such as a
// label, are ignored), as samples x columns.size() in the order of `columns`. Same accepted
// syntax and errors as load_csv; a missing column is a DataError naming it and the file.
HostMatrix load_csv_columns(const std::string& path, const std::vector<std::string>& columns);

}  // namespace nnrun
