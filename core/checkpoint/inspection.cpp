// inspect_checkpoint: the reader with its checksum check reported instead of thrown, plus the
// layer table rebuilt from the stored config (checked against the tensors as eval checks it)
// and the tensors holding non-finite values.
#include "core/checkpoint/inspection.hpp"

#include "core/checkpoint/checkpoint_reader.hpp"
#include "core/checkpoint/finite_values.hpp"
#include "core/checkpoint/model_shapes.hpp"
#include "core/config/config_loader.hpp"
#include "core/errors.hpp"

namespace nnrun {

CheckpointInspection inspect_checkpoint(const std::string& path) {
  CheckpointInspection out;
  out.path = path;
  const std::string bytes = checkpoint_detail::read_checkpoint_file(path);
  out.file_bytes = bytes.size();
  checkpoint_detail::ChecksumCheck checksum;
  try {
    out.checkpoint = checkpoint_detail::parse_checkpoint_unverified(bytes, path, checksum);
  } catch (const InputError& e) {
    if (checksum.ok()) throw;
    // A damaged file usually fails the checksum first: say that, then what else broke.
    std::string why = e.what();
    if (why.starts_with(path + ": ")) why.erase(0, path.size() + 2);
    throw InputError(path + ": checkpoint is corrupt or truncated (checksum mismatch) and " +
                     "cannot be read: " + why);
  }
  out.non_finite_tensors = non_finite_tensors(out.checkpoint);
  out.checksum_ok = checksum.ok();
  out.stored_crc = checksum.stored;
  out.computed_crc = checksum.computed;
  try {
    const Config config =
        load_config_text(out.checkpoint.config_yaml, path + " (stored config)", "");
    // eval and predict refuse a config the tensors contradict; its layer table would be wrong.
    check_model_tensors(out.checkpoint, config.model, path);
    out.layers = summarize_layers(config.model, out.checkpoint.input_width);
    for (const LayerRow& row : out.layers) out.total_parameters += row.parameters;
  } catch (const InputError& e) {
    if (out.checksum_ok) throw;
    out.config_error = e.what();
  }
  return out;
}

}  // namespace nnrun
