// Config-versus-data checks with messages that say what to change.
#include "core/train/compatibility.hpp"

#include "core/errors.hpp"
#include "core/model/loss.hpp"
#include "core/names.hpp"

namespace nnrun {

void check_model_fits_data(const Config& config, const Dataset& train) {
  const std::size_t last = config.model.layers.size() - 1;
  const LayerConfig& out = config.model.layers[last];
  const std::string key = "model.layers[" + std::to_string(last) + "].dense";
  const std::int64_t expected = expected_output_width(config.loss, train);
  if (config.loss == LossKind::binary_cross_entropy && train.num_classes() != 2)
    throw config.error_at("loss", "binary_cross_entropy needs exactly 2 classes, the data has " +
                                      std::to_string(train.num_classes()) + "; use cross_entropy");
  if (out.units != expected) {
    std::string why;
    switch (config.loss) {
      case LossKind::cross_entropy:
        why = "cross_entropy needs one output per class and the data has " +
              std::to_string(expected) + " classes";
        break;
      case LossKind::binary_cross_entropy:
        why = "binary_cross_entropy needs 1 output";
        break;
      case LossKind::mse:
        why = "mse needs one output per target column, and there are " + std::to_string(expected);
        break;
    }
    throw config.error_at(key + ".units", "the last layer has " + std::to_string(out.units) +
                                              (out.units == 1 ? " unit but " : " units but ") +
                                              why);
  }
  if (config.loss != LossKind::mse && out.activation.kind != Activation::none)
    throw config.error_at(
        key + ".activation",
        "the last layer feeds " + loss_name(config.loss) +
            ", which applies its own softmax/sigmoid; its activation must be none, "
            "got " +
            activation_name(out.activation.kind));
}

}  // namespace nnrun
