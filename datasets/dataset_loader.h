// dataset_loader.h - turns a DatasetSpec into numeric rows: read, check, drop, encode, label.
#pragma once

#include <filesystem>

#include "datasets/csv_reader.h"
#include "datasets/dataset.h"

namespace dlaaw::datasets {

// Loads `spec` (catalog entry, file under data_dir, or synthetic). Catalog files are checked
// against their sha256. Throws InvalidInput naming the field, file, line and column at fault.
Dataset load_dataset(const DatasetSpec& spec, const std::filesystem::path& data_dir);

// How a table becomes a Dataset (exposed for tests of files that are not in the catalog).
struct TableMapping {
  std::string label;
  std::optional<std::string> positive;
  std::vector<std::string> categorical;
  std::vector<std::string> drop;
};

// Drops rows with an empty cell, codes categorical columns by their sorted distinct values,
// parses the rest as numbers and maps the label to 1 (== positive) or 0.
Dataset dataset_from_table(const CsvTable& table, const TableMapping& mapping);

}  // namespace dlaaw::datasets
