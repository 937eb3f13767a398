// Edit distance and "did you mean" hints for unknown keys, enum values and layer types.
#include "core/config/suggest.hpp"

#include <algorithm>
#include <cctype>

namespace nnrun {
namespace {

std::string lowercase(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rolling rows suffice: the swap rule looks two rows back.
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        current[j] = std::min(current[j], before[j - 2] + 1);
    }
    before.swap(previous);
    previous.swap(current);
  }
  return previous[b.size()];
}

std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string_view>& candidates) {
  const std::string lower_word = lowercase(word);
  // Short words tolerate one edit; longer ones about one edit per three characters.
  const std::size_t tolerance = std::max<std::size_t>(1, lower_word.size() / 3);
  std::optional<std::string> best;
  std::size_t best_distance = tolerance + 1;
  for (std::string_view candidate : candidates) {
    const std::string lower_candidate = lowercase(candidate);
    std::size_t distance = edit_distance(lower_word, lower_candidate);
    if (lower_word.size() >= 3 && lower_candidate.starts_with(lower_word))
      distance = std::min(distance, tolerance);
    if (distance < best_distance) {
      best_distance = distance;
      best = std::string(candidate);
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates) {
  const auto match = closest_match(word, candidates);
  return match ? " (did you mean '" + *match + "'?)" : "";
}

std::string join_names(const std::vector<std::string_view>& names, std::string_view separator) {
  std::string joined;
  for (std::string_view name : names) {
    if (!joined.empty()) joined += separator;
    joined += name;
  }
  return joined;
}

std::string join_names(const std::vector<std::string>& names, std::string_view separator) {
  return join_names(std::vector<std::string_view>(names.begin(), names.end()), separator);
}

}  // namespace nnrun
