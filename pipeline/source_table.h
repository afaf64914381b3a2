// source_table.h - the raw table a dataset task starts from, with what its source says about it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "datasets/csv_reader.h"
#include "pipeline/dataset_steps.h"

namespace dlaaw::pipeline {

struct SourceTable {
  datasets::CsvTable table;  // every cell as text; headerless catalog files get their column names
  std::string name;          // catalog name or file name
  std::string sha256;        // of the file's bytes
  std::optional<std::string> label;
  std::optional<std::string> positive;  // unset: labels must be 0/1
  // A catalog entry's categorical columns, ordinal-coded at the end when no step encodes them
  // (as the paper's loader does), and its columns that are not data (dropped at the start).
  std::vector<std::string> catalog_categorical;
  std::vector<std::string> catalog_drop;
  std::string note;  // the catalog's caveat, recorded with the prepared dataset
};

// Reads a dataset task's source: the catalog file (checked against its sha256) or the file under
// data_dir. `path` names the task ("tasks.prep") in messages. Throws InvalidInput for an unknown
// catalog name, a path outside data_dir, a missing or unreadable file, a checksum mismatch, and
// what parse_csv rejects.
SourceTable read_source_table(const DatasetSource& source, const std::filesystem::path& data_dir,
                              const std::string& path);

// The source table of `bytes`, the file the source names as it arrived elsewhere (an executor's
// blob, already checked against its sha256): for a catalog source the bytes must be the catalog's
// file (checked against its sha256) and get its column names and label. Throws InvalidInput as
// read_source_table does.
SourceTable source_table_from_bytes(const DatasetSource& source, const std::string& bytes,
                                    const std::string& file_name, const std::string& path);

// A source over an already parsed table (tests, and tables that arrive as bytes). `sha256` is
// computed from `bytes`.
SourceTable source_table_from_csv(const std::string& bytes, const std::string& name,
                                  const DatasetSource& source);

}  // namespace dlaaw::pipeline
