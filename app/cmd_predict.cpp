// nnrun predict: placeholder until the predict command lands (prints a clear error).
#include <stdexcept>

#include "app/commands.hpp"
#include "core/errors.hpp"

namespace nnrun::app {

int run_predict(const PredictOptions&) { throw InputError("predict: not available in this build"); }

}  // namespace nnrun::app
