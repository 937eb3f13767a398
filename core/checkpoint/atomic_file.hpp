// Atomic, durable file replacement: write a temporary file in the same folder, fsync it,
// rename it over the target, fsync the folder. Readers see the old file or the new one.
#pragma once

#include <string>
#include <string_view>

namespace nnrun {

// Throws RuntimeFailure naming the file on any failed write, flush, sync or rename;
// the previous file at `path` is then untouched.
void write_file_atomically(const std::string& path, std::string_view contents);

}  // namespace nnrun
