// dataset_loader.h - turns a DatasetSpec into numeric rows: read, check, drop, encode, label.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "datasets/csv_reader.h"
#include "datasets/dataset.h"

namespace dlaaw::datasets {

// A dataset file read once, with the sha256 of its bytes: what a job ships as a blob, and what a
// run records as provenance.
struct DatasetFile {
  std::filesystem::path path;  // where it was read (for messages and provenance)
  std::string bytes;
  std::string sha256;
};

// Where the file `spec` names under `data_dir` is (a catalog entry or a path), checked to lie
// inside data_dir and to exist; nullopt for synthetic data. Throws InvalidInput as
// read_dataset_file does, without reading the file.
std::optional<std::filesystem::path> dataset_file_path(const DatasetSpec& spec,
                                                       const std::filesystem::path& data_dir);

// The file `spec` names under `data_dir` (a catalog entry or a path), read and hashed once;
// nullopt for synthetic data. A catalog file must have the catalog's sha256. Throws InvalidInput
// naming the field (a path outside data_dir, a missing file, a file that is not the original).
std::optional<DatasetFile> read_dataset_file(const DatasetSpec& spec,
                                             const std::filesystem::path& data_dir);

// Loads `spec` from `file` as read_dataset_file gives it (or a blob already checked against its
// hash): the file is not read or hashed again. `file` is ignored for synthetic data. Throws
// InvalidInput naming the field, file, line and column at fault.
Dataset load_dataset(const DatasetSpec& spec, const std::optional<DatasetFile>& file);

// read_dataset_file, then load_dataset.
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
