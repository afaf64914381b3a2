// catalog_files.h - whether a folder holds the catalog's files, and bringing them into one.
#pragma once

#include <filesystem>
#include <vector>

#include "datasets/catalog.h"

namespace dlaaw::datasets {

enum class FileCheck { Missing, Matches, Differs };

// Whether dir/<entry.file> is there with the catalog's sha256.
FileCheck check_catalog_file(const CatalogEntry& entry, const std::filesystem::path& dir);

// True when every catalog file is in `dir` with its sha256.
bool catalog_complete(const std::filesystem::path& dir);

// Copies each catalog file found in `source` into `dir` (created if needed) after checking its
// sha256; returns the entries found (imported) or not (missing) in catalog order. Throws
// InvalidInput for a file whose content differs, leaving the files after it uncopied.
std::vector<std::pair<CatalogEntry, bool>> import_catalog_files(const std::filesystem::path& source,
                                                                const std::filesystem::path& dir);

}  // namespace dlaaw::datasets
