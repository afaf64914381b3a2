// synthetic.cpp - the seeded two-blob generator.
#include "datasets/synthetic.h"

#include "common/errors.h"
#include "common/random.h"

namespace dlaaw::datasets {

Dataset make_synthetic(const SyntheticSpec& spec) {
  if (spec.rows == 0 || spec.features <= 0) {
    throw InvalidInput("dataset.synthetic: rows and features must be positive");
  }
  // Strings are constructed, not assigned to members: see the note on -Wrestrict in
  // CMakeLists.txt.
  Dataset ds;
  ds.name = std::string("synthetic");
  ds.label = std::string("class");
  ds.positive = std::string("1");
  ds.rows_read = spec.rows;
  for (int f = 0; f < spec.features; ++f) {
    std::string name("x");
    ds.feature_names.push_back(name.append(std::to_string(f + 1)));
  }
  ds.features.resize(spec.rows * spec.features);
  ds.labels.resize(spec.rows);
  SplitMix64 rng(spec.seed);
  for (std::size_t r = 0; r < spec.rows; ++r) {
    const bool positive = (rng.next() >> 63) != 0;
    ds.labels[r] = positive ? 1.0f : 0.0f;
    for (int f = 0; f < spec.features; ++f) {
      ds.features[r * spec.features + f] = (positive ? 1.0 : -1.0) + rng.normal();
    }
  }
  return ds;
}

}  // namespace dlaaw::datasets
