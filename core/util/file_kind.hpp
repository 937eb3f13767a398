// What kind of file a path names, for the readers that must not open a FIFO or a device by
// accident: opening a FIFO waits for a writer, and a device such as /dev/urandom never ends.
#pragma once

#include <string>

namespace nnrun {

// A name for a stream this process already has open: /dev/stdin, /dev/fd/N, /proc/self/fd/N
// (`nnrun check /dev/stdin < cfg.yaml`, a shell's `<(...)`). Those may be pipes.
bool names_open_stream(const std::string& path);

// "" when `path` is a regular file (or a name of an open stream, or missing: the caller's
// own open reports that); otherwise what it is instead: "a directory", "a named pipe",
// "a character device", "a block device", "a socket" or "a special file".
std::string non_regular_file_kind(const std::string& path);

}  // namespace nnrun
