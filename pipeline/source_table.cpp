// source_table.cpp - reading catalog files and data files as text tables.
#include "pipeline/source_table.h"

#include "common/errors.h"
#include "datasets/catalog.h"
#include "datasets/data_dir.h"
#include "datasets/sha256.h"

namespace dlaaw::pipeline {

SourceTable source_table_from_csv(const std::string& bytes, const std::string& name,
                                  const DatasetSource& source) {
  datasets::CsvOptions options;
  options.header = source.header;
  SourceTable s;
  s.table = datasets::parse_csv(bytes, name, options);
  s.name = name;
  s.sha256 = datasets::sha256_hex(bytes);
  s.label = source.label;
  s.positive = source.positive;
  return s;
}

SourceTable read_source_table(const DatasetSource& source, const std::filesystem::path& data_dir,
                              const std::string& path) {
  if (source.path) {
    const auto file = datasets::resolve_data_file(data_dir, *source.path, path + ".source.path");
    return source_table_from_csv(datasets::read_file(file.string()), file.filename().string(),
                                 source);
  }
  const auto entry = datasets::find_in_catalog(source.catalog.value_or(""));
  if (!entry) return source_table_from_bytes(source, "", "", path);  // names the unknown entry
  const auto file = datasets::resolve_data_file(data_dir, entry->file, path + ".source.catalog");
  return source_table_from_bytes(source, datasets::read_file(file.string()), file.string(), path);
}

SourceTable source_table_from_bytes(const DatasetSource& source, const std::string& bytes,
                                    const std::string& file_name, const std::string& path) {
  if (source.path) return source_table_from_csv(bytes, file_name, source);
  const std::string field = path + ".source.catalog";
  const auto entry = datasets::find_in_catalog(source.catalog.value_or(""));
  if (!entry) {
    throw InvalidInput(field + ": unknown dataset \"" + source.catalog.value_or("") +
                       "\" (known: " + datasets::catalog_names() + ")");
  }
  DatasetSource as_file;
  as_file.header = entry->header;
  SourceTable s = source_table_from_csv(bytes, entry->file, as_file);
  if (s.sha256 != entry->sha256) {
    throw InvalidInput(field + ": " + file_name + " has sha256 " + s.sha256 +
                       " but the catalog's " + entry->name + " is " + entry->sha256 +
                       "; use the original file (see ../shared/datasets/MANIFEST.md)");
  }
  if (!entry->header) {
    if (s.table.columns() != entry->column_names.size()) {
      throw InvalidInput(field + ": " + file_name + " has " + std::to_string(s.table.columns()) +
                         " columns, but the catalog's " + entry->name + " has " +
                         std::to_string(entry->column_names.size()));
    }
    s.table.header = entry->column_names;
  }
  s.name = entry->name;
  s.label = entry->label;
  s.positive = entry->positive;
  s.catalog_categorical = entry->categorical;
  s.catalog_drop = entry->drop;
  s.note = entry->note;
  return s;
}

}  // namespace dlaaw::pipeline
