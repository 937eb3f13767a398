// Backend selection. `auto` prefers CUDA when this build has it and a GPU is usable.
#include "backends/registry.hpp"

#include "backends/onednn/onednn_backend.hpp"
#include "backends/reference/reference_backend.hpp"
#include "core/errors.hpp"

namespace nnrun {

std::unique_ptr<Backend> make_backend(const BackendOptions& options) {
  if (options.name == "cpu" || options.name == "auto")
    return std::make_unique<OneDnnBackend>(options.threads);
  if (options.name == "reference") return std::make_unique<ReferenceBackend>();
  if (options.name == "cuda")
    throw InputError(
        "backend cuda: this build of nnrun has no CUDA backend yet; use --backend cpu");
  throw InputError("unknown backend '" + options.name + "' (known: auto, cpu, cuda, reference)");
}

}  // namespace nnrun
