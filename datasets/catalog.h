// catalog.h - the five UCI datasets of the paper: files, labels, encodings and checksums.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dlaaw::datasets {

struct CatalogEntry {
  std::string name;  // catalog name used in workflow documents
  std::string title;
  std::string file;  // file name in the data directory
  std::string sha256;
  std::size_t rows = 0;  // data rows in the file
  bool header = true;
  std::vector<std::string> column_names;  // for files without a header
  std::string label;
  std::string positive;
  std::vector<std::string> categorical;
  std::vector<std::string> drop;
  int features = 0;  // inputs after dropping the label and `drop`
  std::string note;
};

// Every catalog entry, in the paper's order (network 1..5).
const std::vector<CatalogEntry>& catalog();

// The entry named `name`, or nullopt.
std::optional<CatalogEntry> find_in_catalog(std::string_view name);

// "breast_cancer, pima, ..." for messages.
std::string catalog_names();

}  // namespace dlaaw::datasets
