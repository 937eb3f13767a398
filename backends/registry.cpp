// Backend selection. `auto` prefers CUDA when this build has it and a GPU is usable.
#include "backends/registry.hpp"

#include "backends/onednn/onednn_backend.hpp"
#include "backends/reference/reference_backend.hpp"
#include "core/errors.hpp"

namespace nnrun {

std::optional<BackendProblem> backend_unavailable(const BackendOptions& options) {
  // The backend first: with no CUDA at all, what precision it would run is moot.
  if (options.name == "cuda")
    return BackendProblem{"backend",
                          "this build of nnrun has no CUDA backend yet; use cpu or auto"};
  if (options.precision != "bf16") return std::nullopt;
  if (options.name == "reference")
    return BackendProblem{"precision", "bf16 runs on the cpu backend; reference is f32 only"};
  if (!OneDnnBackend::bf16_supported())
    return BackendProblem{
        "precision",
        "bf16 needs a CPU with AVX512-BF16 or AMX instructions (Intel Cooper Lake, Sapphire "
        "Rapids or later; AMD Zen 4 or later); use precision: f32"};
  return std::nullopt;
}

std::unique_ptr<Backend> make_backend(const BackendOptions& options) {
  if (const auto problem = backend_unavailable(options)) {
    const std::string& value = problem->key == "backend" ? options.name : options.precision;
    throw InputError(problem->key + " " + value + ": " + problem->message);
  }
  if (options.name == "cpu" || options.name == "auto")
    return std::make_unique<OneDnnBackend>(options.threads, options.precision == "bf16"
                                                                ? MatmulPrecision::bf16
                                                                : MatmulPrecision::f32);
  if (options.name == "reference") return std::make_unique<ReferenceBackend>();
  throw InputError("unknown backend '" + options.name + "' (known: auto, cpu, cuda, reference)");
}

}  // namespace nnrun
