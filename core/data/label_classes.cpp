#include "core/data/label_classes.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>

namespace nnrun {
namespace {

// from_chars takes no leading '+', which a label such as "+1" may have: "+1" is 1.
std::string_view without_plus(std::string_view text) {
  if (text.size() > 1 && text[0] == '+' && text[1] != '-' && text[1] != '+') text.remove_prefix(1);
  return text;
}

bool is_integer(std::string_view text, long long& value) {
  text = without_plus(text);
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

// Maps label texts to class indices. Names are sorted so the mapping depends only on the
// set of labels, never on row order; integer labels sort by value ("2" before "10").
void assign_classes(const std::vector<std::string>& texts, Dataset& dataset) {
  std::vector<long long> integers(texts.size());
  bool all_integers = true;
  for (std::size_t i = 0; i < texts.size() && all_integers; ++i) {
    all_integers = is_integer(texts[i], integers[i]);
  }
  std::vector<double> numbers(texts.size());
  bool all_numbers = !all_integers;
  for (std::size_t i = 0; i < texts.size() && all_numbers; ++i) {
    const std::string_view t = without_plus(texts[i]);
    const auto [end, error] = std::from_chars(t.data(), t.data() + t.size(), numbers[i]);
    all_numbers = error == std::errc() && end == t.data() + t.size() && std::isfinite(numbers[i]);
    if (numbers[i] == 0.0) numbers[i] = 0.0;  // -0 and 0 are one class, named "0"
  }
  if (all_numbers) {  // e.g. 1.0, 2.0, 10.0: by value, as integers are ("10.0" after "2.0")
    std::vector<double> distinct = numbers;
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    for (const double value : distinct) {
      char name[32];
      const auto [end, error] = std::to_chars(name, name + sizeof name, value);
      dataset.class_names.emplace_back(name, error == std::errc() ? end : name);
    }
    for (const double value : numbers) {
      const auto at = std::lower_bound(distinct.begin(), distinct.end(), value);
      dataset.labels.push_back(static_cast<std::int32_t>(at - distinct.begin()));
    }
  } else if (all_integers) {
    std::vector<long long> distinct = integers;
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    for (const long long value : distinct) dataset.class_names.push_back(std::to_string(value));
    for (const long long value : integers) {
      const auto at = std::lower_bound(distinct.begin(), distinct.end(), value);
      dataset.labels.push_back(static_cast<std::int32_t>(at - distinct.begin()));
    }
  } else {
    std::vector<std::string> distinct = texts;
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    for (const std::string& text : texts) {
      const auto at = std::lower_bound(distinct.begin(), distinct.end(), text);
      dataset.labels.push_back(static_cast<std::int32_t>(at - distinct.begin()));
    }
    dataset.class_names = std::move(distinct);
  }
}

}  // namespace nnrun
