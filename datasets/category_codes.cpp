// category_codes.cpp - looking up ordinal category codes.
#include "datasets/category_codes.h"

#include <algorithm>

namespace dlaaw::datasets {

std::optional<double> CategoryCodes::code(std::string_view value) const {
  const auto it = std::lower_bound(values_.begin(), values_.end(), value);
  if (it == values_.end() || *it != value) return std::nullopt;
  return static_cast<double>(it - values_.begin());
}

}  // namespace dlaaw::datasets
