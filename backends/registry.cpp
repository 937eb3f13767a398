// Backend selection. `auto` prefers CUDA when this build has it and a GPU is usable.
#include "backends/registry.hpp"

#include "backends/onednn/onednn_backend.hpp"
#include "backends/reference/reference_backend.hpp"
#include "core/errors.hpp"

namespace nnrun {

std::string backend_unavailable(const BackendOptions& options) {
  if (options.precision != "bf16") return "";
  if (options.name == "reference") return "bf16 runs on the cpu backend; reference is f32 only";
  if (options.name == "cuda") return "bf16 is not available on cuda yet";
  if (!OneDnnBackend::bf16_supported())
    return "bf16 needs a CPU with AVX512-BF16 or AMX instructions (Intel Cooper Lake, Sapphire "
           "Rapids or later; AMD Zen 4 or later); use precision: f32";
  return "";
}

std::unique_ptr<Backend> make_backend(const BackendOptions& options) {
  if (const std::string why = backend_unavailable(options); !why.empty())
    throw InputError("precision " + options.precision + ": " + why);
  if (options.name == "cpu" || options.name == "auto")
    return std::make_unique<OneDnnBackend>(options.threads, options.precision == "bf16"
                                                                ? MatmulPrecision::bf16
                                                                : MatmulPrecision::f32);
  if (options.name == "reference") return std::make_unique<ReferenceBackend>();
  if (options.name == "cuda")
    throw InputError(
        "backend cuda: this build of nnrun has no CUDA backend yet; use --backend cpu");
  throw InputError("unknown backend '" + options.name + "' (known: auto, cpu, cuda, reference)");
}

}  // namespace nnrun
