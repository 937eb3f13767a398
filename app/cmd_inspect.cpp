// nnrun inspect: placeholder until the inspect command lands (prints a clear error).
#include <stdexcept>

#include "app/commands.hpp"
#include "core/errors.hpp"

namespace nnrun::app {

int run_inspect(const InspectOptions&) { throw InputError("inspect: not available in this build"); }

}  // namespace nnrun::app
