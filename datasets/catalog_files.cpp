// catalog_files.cpp - sha256 checks and imports of the paper's files.
#include "datasets/catalog_files.h"

#include "common/errors.h"
#include "datasets/csv_reader.h"
#include "datasets/sha256.h"

namespace dlaaw::datasets {

namespace fs = std::filesystem;

FileCheck check_catalog_file(const CatalogEntry& entry, const fs::path& dir) {
  const auto file = dir / entry.file;
  if (!fs::is_regular_file(file)) return FileCheck::Missing;
  return sha256_hex(read_file(file.string())) == entry.sha256 ? FileCheck::Matches
                                                              : FileCheck::Differs;
}

bool catalog_complete(const fs::path& dir) {
  for (const auto& e : catalog()) {
    if (check_catalog_file(e, dir) != FileCheck::Matches) return false;
  }
  return true;
}

std::vector<std::pair<CatalogEntry, bool>> import_catalog_files(const fs::path& source,
                                                                const fs::path& dir) {
  fs::create_directories(dir);
  std::vector<std::pair<CatalogEntry, bool>> out;
  for (const auto& e : catalog()) {
    switch (check_catalog_file(e, source)) {
      case FileCheck::Missing:
        out.emplace_back(e, false);
        break;
      case FileCheck::Differs:
        throw InvalidInput((source / e.file).string() + ": sha256 differs from the catalog's " +
                           e.name + " (an edited copy?); nothing more was imported");
      case FileCheck::Matches:
        fs::copy_file(source / e.file, dir / e.file, fs::copy_options::overwrite_existing);
        out.emplace_back(e, true);
        break;
    }
  }
  return out;
}

}  // namespace dlaaw::datasets
