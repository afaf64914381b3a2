// dataset_loader.cpp - loading datasets from the catalog, from files and from the generator.
#include "datasets/dataset_loader.h"

#include <map>
#include <set>

#include "common/errors.h"
#include "datasets/catalog.h"
#include "datasets/category_codes.h"
#include "datasets/data_dir.h"
#include "datasets/sha256.h"
#include "datasets/synthetic.h"

namespace dlaaw::datasets {
namespace {

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::size_t require_column(const CsvTable& table, const std::string& name,
                           const std::string& field) {
  if (auto i = table.find_column(name)) return *i;
  throw InvalidInput(field + ": column \"" + name + "\" not found in " + table.source +
                     " (columns: " + quoted_list(table.header) + ")");
}

// The columns a mapping names, checked against the table.
struct ColumnRoles {
  std::size_t label = 0;
  std::set<std::size_t> dropped;
  std::set<std::size_t> categorical;
  std::vector<std::size_t> features;  // every column that is neither the label nor dropped
};

ColumnRoles column_roles(const CsvTable& table, const TableMapping& mapping) {
  ColumnRoles roles;
  roles.label = require_column(table, mapping.label, "dataset.label");
  for (const auto& d : mapping.drop) roles.dropped.insert(require_column(table, d, "dataset.drop"));
  for (const auto& c : mapping.categorical)
    roles.categorical.insert(require_column(table, c, "dataset.categorical"));
  if (roles.dropped.count(roles.label) || roles.categorical.count(roles.label)) {
    throw InvalidInput("dataset.label: \"" + mapping.label +
                       "\" is also listed in dataset.drop or dataset.categorical");
  }
  for (std::size_t c = 0; c < table.columns(); ++c) {
    if (c != roles.label && !roles.dropped.count(c)) roles.features.push_back(c);
  }
  if (roles.features.empty()) throw InvalidInput(table.source + ": no feature columns remain");
  return roles;
}

// The rows without an empty cell (the paper drops those).
std::vector<std::size_t> complete_rows(const CsvTable& table) {
  std::vector<std::size_t> kept;
  kept.reserve(table.rows());
  for (std::size_t r = 0; r < table.rows(); ++r) {
    bool empty = false;
    for (std::size_t c = 0; c < table.columns() && !empty; ++c) empty = table.cell(r, c).empty();
    if (!empty) kept.push_back(r);
  }
  if (kept.empty()) {
    throw InvalidInput(table.source + ": every one of its " + std::to_string(table.rows()) +
                       " rows has an empty value, so no rows remain");
  }
  return kept;
}

// The label value that means 1: `positive` when given, else "1" after checking the column is 0/1.
std::string positive_label(const CsvTable& table, const TableMapping& mapping, std::size_t column,
                           const std::vector<std::size_t>& kept) {
  if (mapping.positive) return *mapping.positive;
  for (std::size_t r : kept) {
    const std::string_view v = table.cell(r, column);
    if (v != "0" && v != "1") {
      throw InvalidInput("dataset.positive: missing, and label column \"" + mapping.label +
                         "\" is not 0/1 (it has \"" + std::string(v) + "\" at " + table.source +
                         ":" + std::to_string(table.lines[r]) + "); say which value is positive");
    }
  }
  return "1";
}

double numeric_cell(const CsvTable& table, std::size_t r, std::size_t c) {
  const std::string_view cell = table.cell(r, c);
  double value;
  if (!parse_number(cell, value)) {
    if (is_non_finite_number(cell)) {
      throw InvalidInput(table.source + ":" + std::to_string(table.lines[r]) + ": column \"" +
                         table.header[c] + "\" (field " + std::to_string(c + 1) + "): \"" +
                         std::string(cell) + "\" is not a finite number");
    }
    throw InvalidInput(table.source + ":" + std::to_string(table.lines[r]) + ": column \"" +
                       table.header[c] + "\" (field " + std::to_string(c + 1) + "): \"" +
                       std::string(cell) +
                       "\" is not a number; list the column in dataset.categorical "
                       "if it holds categories");
  }
  return value;
}

}  // namespace

Dataset dataset_from_table(const CsvTable& table, const TableMapping& mapping) {
  const ColumnRoles roles = column_roles(table, mapping);
  Dataset ds;
  ds.name = table.source;
  ds.label = mapping.label;
  ds.rows_read = table.rows();
  ds.columns = table.header;
  for (std::size_t c : roles.features) ds.feature_names.push_back(table.header[c]);
  const std::vector<std::size_t> kept = complete_rows(table);
  ds.rows_dropped = table.rows() - kept.size();

  std::map<std::size_t, CategoryCodes> codes;
  for (std::size_t c : roles.categorical) {
    std::set<std::string> distinct;
    for (std::size_t r : kept) distinct.insert(std::string(table.cell(r, c)));
    const auto& coded = codes.emplace(c, CategoryCodes(distinct)).first->second;
    ds.categories[table.header[c]] = coded.values();
  }
  ds.positive = positive_label(table, mapping, roles.label, kept);

  ds.features.reserve(kept.size() * roles.features.size());
  ds.labels.reserve(kept.size());
  for (std::size_t r : kept) {
    for (std::size_t c : roles.features) {
      const auto coded = codes.find(c);
      // Every value of a kept row is among the distinct values its codes were built from.
      ds.features.push_back(coded != codes.end() ? *coded->second.code(table.cell(r, c))
                                                 : numeric_cell(table, r, c));
    }
    ds.labels.push_back(table.cell(r, roles.label) == ds.positive ? 1.0f : 0.0f);
  }
  return ds;
}

namespace {

// The catalog entry `spec` names; nullopt for a path. Throws InvalidInput for an unknown name or a
// spec that names nothing.
std::optional<CatalogEntry> catalog_entry_of(const DatasetSpec& spec) {
  if (spec.catalog) {
    auto entry = find_in_catalog(*spec.catalog);
    if (!entry) {
      throw InvalidInput("dataset.catalog: unknown dataset \"" + *spec.catalog +
                         "\" (known: " + catalog_names() + ")");
    }
    return entry;
  }
  if (!spec.path) throw InvalidInput("dataset: give one of \"catalog\", \"path\" or \"synthetic\"");
  return std::nullopt;
}

std::filesystem::path file_path(const DatasetSpec& spec, const std::optional<CatalogEntry>& entry,
                                const std::filesystem::path& data_dir) {
  return resolve_data_file(data_dir, entry ? entry->file : *spec.path,
                           entry ? "dataset.catalog" : "dataset.path");
}

}  // namespace

std::optional<std::filesystem::path> dataset_file_path(const DatasetSpec& spec,
                                                       const std::filesystem::path& data_dir) {
  if (spec.synthetic) return std::nullopt;
  return file_path(spec, catalog_entry_of(spec), data_dir);
}

std::optional<DatasetFile> read_dataset_file(const DatasetSpec& spec,
                                             const std::filesystem::path& data_dir) {
  if (spec.synthetic) return std::nullopt;
  const auto entry = catalog_entry_of(spec);
  DatasetFile file;
  file.path = file_path(spec, entry, data_dir);
  file.bytes = read_file(file.path.string());
  file.sha256 = sha256_hex(file.bytes);
  if (entry && file.sha256 != entry->sha256) {
    throw InvalidInput("dataset.catalog: " + file.path.string() + " has sha256 " + file.sha256 +
                       " but the catalog's " + entry->name + " is " + entry->sha256 +
                       "; use the original file (see ../shared/datasets/MANIFEST.md)");
  }
  return file;
}

Dataset load_dataset(const DatasetSpec& spec, const std::optional<DatasetFile>& file) {
  if (spec.synthetic) return make_synthetic(*spec.synthetic);
  if (!file) throw InvalidInput("dataset: no file was read for it");
  TableMapping mapping;
  CsvOptions options;
  std::optional<CatalogEntry> entry;
  if (spec.catalog) {
    entry = find_in_catalog(*spec.catalog);
    if (!entry || file->sha256 != entry->sha256)
      throw InvalidInput("dataset.catalog: " + file->path.string() + " is not the catalog's " +
                         *spec.catalog + " (sha256 differs)");
    mapping = {entry->label, entry->positive, entry->categorical, entry->drop};
    options.header = entry->header;
  } else {
    if (!spec.label) throw InvalidInput("dataset.label: missing (name the label column)");
    mapping = {*spec.label, spec.positive, spec.categorical, spec.drop};
    options.header = spec.header;
  }
  CsvTable table = parse_csv(file->bytes, file->path.filename().string(), options);
  if (entry && !entry->header) {
    if (table.columns() != entry->column_names.size()) {
      throw InvalidInput(file->path.string() + ": " + std::to_string(table.columns()) +
                         " columns, but the catalog's " + entry->name + " has " +
                         std::to_string(entry->column_names.size()));
    }
    table.header = entry->column_names;
  }
  Dataset ds = dataset_from_table(table, mapping);
  ds.name = entry ? entry->name : file->path.filename().string();
  ds.file = file->path.string();
  ds.sha256 = file->sha256;
  if (entry) ds.note = entry->note;
  return ds;
}

Dataset load_dataset(const DatasetSpec& spec, const std::filesystem::path& data_dir) {
  return load_dataset(spec, read_dataset_file(spec, data_dir));
}

}  // namespace dlaaw::datasets
