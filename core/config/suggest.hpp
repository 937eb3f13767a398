// "Did you mean" hints: the closest known name to a misspelt key or value, by edit
// distance, plus the list formatting that error messages share.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nnrun {

// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of
// two adjacent characters each cost 1 ("lrr"->"lr" is 1, "xavier_unifrom" is 1).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` if it is close enough to be the intended one: a
// case-insensitive match, a small edit distance (about a third of the word), or a prefix
// of at least three characters ("val_acc" -> "val_accuracy"). Ties go to the first.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string_view>& candidates);

// " (did you mean 'lr'?)" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates);

// "a, b, c" (or with another separator: "a or b").
std::string join_names(const std::vector<std::string_view>& names,
                       std::string_view separator = ", ");
std::string join_names(const std::vector<std::string>& names, std::string_view separator = ", ");

}  // namespace nnrun
