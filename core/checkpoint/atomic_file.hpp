// Atomic, durable file replacement: write a temporary file in the same folder, fsync it,
// rename it over the target, fsync the folder. Readers see the old file or the new one.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace nnrun {

// Symbolic links are followed: the file they finally point to is replaced (with its
// permissions) and the links stay. A target that exists but is not a regular file (a FIFO,
// /dev/null, /dev/stdout, a terminal) is written into directly, never replaced.
// Throws RuntimeFailure naming the file on any failed write, flush, sync or rename, and for
// a folder in the target's place; the previous file at `path` is then untouched.
void write_file_atomically(const std::string& path, std::string_view contents);
// The same with the contents in pieces, written one after another: a large file need not be
// assembled in memory first.
void write_file_atomically(const std::string& path, std::span<const std::string_view> contents);

}  // namespace nnrun
