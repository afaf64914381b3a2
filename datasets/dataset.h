// dataset.h - a loaded binary-classification dataset and the spec that says where it comes from.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dlaaw::datasets {

// Two noisy Gaussian blobs, for tests and scale runs.
struct SyntheticSpec {
  std::size_t rows = 0;
  int features = 0;
  std::uint64_t seed = 1;
  bool operator==(const SyntheticSpec&) const = default;
};

// Where the rows come from: exactly one of a catalog name, a file, or a synthetic generator.
struct DatasetSpec {
  std::optional<std::string> catalog;
  std::optional<std::string> path;      // relative to the data directory
  std::optional<std::string> label;     // column name (or 1-based number for headerless files)
  std::optional<std::string> positive;  // label value of the positive class; "1" by default
  std::vector<std::string> categorical;
  std::vector<std::string> drop;
  std::optional<bool> header;
  std::optional<SyntheticSpec> synthetic;
  bool operator==(const DatasetSpec&) const = default;
};

// Rows ready for splitting: numeric features (categorical columns as ordinal codes) and 0/1 labels.
struct Dataset {
  std::string name;  // catalog name, file name or "synthetic"
  std::string file;  // the path it was read from ("" for synthetic)
  std::string sha256;
  std::string label;
  std::string positive;
  std::vector<std::string> columns;  // every column of the file, in order (label included)
  std::vector<std::string> feature_names;
  // For each categorical feature: its sorted distinct values; a value's code is its index.
  std::map<std::string, std::vector<std::string>> categories;
  std::size_t rows_read = 0;
  std::size_t rows_dropped = 0;  // rows with an empty value
  std::vector<double> features;  // row-major, rows() x cols()
  std::vector<float> labels;
  std::string note;  // caveats worth recording with the run (e.g. a leaking column)

  std::size_t cols() const { return feature_names.size(); }
  std::size_t rows() const { return labels.size(); }
};

}  // namespace dlaaw::datasets
