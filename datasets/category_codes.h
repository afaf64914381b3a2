// category_codes.h - ordinal codes of a categorical column: its sorted distinct values.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace dlaaw::datasets {

// The paper's encoding: a value's code is its index among the column's sorted distinct values.
// Built from the training file, stored with the model, applied to new rows the same way.
class CategoryCodes {
 public:
  // The codes of the distinct values `seen`.
  explicit CategoryCodes(const std::set<std::string>& seen) : values_(seen.begin(), seen.end()) {}
  // Codes for `sorted_values` as stored with a model (sorted and distinct, as values() gives).
  explicit CategoryCodes(std::vector<std::string> sorted_values)
      : values_(std::move(sorted_values)) {}

  // The code of `value`, or nullopt when it was not among the values.
  std::optional<double> code(std::string_view value) const;
  const std::vector<std::string>& values() const { return values_; }

 private:
  std::vector<std::string> values_;
};

}  // namespace dlaaw::datasets
