// dataset_loader.cpp - loading datasets from the catalog, from files and from the generator.
#include "datasets/dataset_loader.h"

#include <algorithm>
#include <set>

#include "common/errors.h"
#include "datasets/catalog.h"
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

}  // namespace

Dataset dataset_from_table(const CsvTable& table, const TableMapping& mapping) {
  const std::size_t label_col = require_column(table, mapping.label, "dataset.label");
  std::set<std::size_t> dropped_cols;
  for (const auto& d : mapping.drop) dropped_cols.insert(require_column(table, d, "dataset.drop"));
  std::set<std::size_t> categorical_cols;
  for (const auto& c : mapping.categorical) {
    categorical_cols.insert(require_column(table, c, "dataset.categorical"));
  }
  if (dropped_cols.count(label_col) || categorical_cols.count(label_col)) {
    throw InvalidInput("dataset.label: \"" + mapping.label +
                       "\" is also listed in dataset.drop or dataset.categorical");
  }

  Dataset ds;
  ds.name = table.source;
  ds.label = mapping.label;
  ds.rows_read = table.rows();
  ds.columns = table.header;
  std::vector<std::size_t> feature_cols;
  for (std::size_t c = 0; c < table.columns(); ++c) {
    if (c != label_col && !dropped_cols.count(c)) {
      feature_cols.push_back(c);
      ds.feature_names.push_back(table.header[c]);
    }
  }
  if (feature_cols.empty()) throw InvalidInput(table.source + ": no feature columns remain");

  std::vector<std::size_t> kept;
  kept.reserve(table.rows());
  for (std::size_t r = 0; r < table.rows(); ++r) {
    bool empty = false;
    for (std::size_t c = 0; c < table.columns() && !empty; ++c) empty = table.cell(r, c).empty();
    if (!empty) kept.push_back(r);
  }
  ds.rows_dropped = table.rows() - kept.size();
  if (kept.empty()) {
    throw InvalidInput(table.source + ": every one of its " + std::to_string(table.rows()) +
                       " rows has an empty value, so no rows remain");
  }

  std::map<std::size_t, std::vector<std::string>> codes;
  for (std::size_t c : categorical_cols) {
    std::set<std::string> distinct;
    for (std::size_t r : kept) distinct.insert(std::string(table.cell(r, c)));
    codes[c].assign(distinct.begin(), distinct.end());
    ds.categories[table.header[c]] = codes[c];
  }

  std::string positive;
  if (mapping.positive) {
    positive = *mapping.positive;
  } else {
    for (std::size_t r : kept) {
      const std::string_view v = table.cell(r, label_col);
      if (v != "0" && v != "1") {
        throw InvalidInput("dataset.positive: missing, and label column \"" + mapping.label +
                           "\" is not 0/1 (it has \"" + std::string(v) + "\" at " + table.source +
                           ":" + std::to_string(table.lines[r]) + "); say which value is positive");
      }
    }
    positive = "1";
  }
  ds.positive = positive;

  ds.features.reserve(kept.size() * feature_cols.size());
  ds.labels.reserve(kept.size());
  for (std::size_t r : kept) {
    for (std::size_t c : feature_cols) {
      const std::string_view cell = table.cell(r, c);
      if (auto it = codes.find(c); it != codes.end()) {
        const auto& values = it->second;
        ds.features.push_back(static_cast<double>(
            std::lower_bound(values.begin(), values.end(), cell) - values.begin()));
        continue;
      }
      double value;
      if (!parse_number(cell, value)) {
        throw InvalidInput(table.source + ":" + std::to_string(table.lines[r]) + ": column \"" +
                           table.header[c] + "\" (field " + std::to_string(c + 1) + "): \"" +
                           std::string(cell) +
                           "\" is not a number; list the column in dataset.categorical "
                           "if it holds categories");
      }
      ds.features.push_back(value);
    }
    ds.labels.push_back(table.cell(r, label_col) == positive ? 1.0f : 0.0f);
  }
  return ds;
}

Dataset load_dataset(const DatasetSpec& spec, const std::filesystem::path& data_dir) {
  if (spec.synthetic) return make_synthetic(*spec.synthetic);

  TableMapping mapping;
  CsvOptions options;
  std::string field = "dataset.path";
  std::string relative;
  std::optional<CatalogEntry> entry;
  if (spec.catalog) {
    entry = find_in_catalog(*spec.catalog);
    if (!entry) {
      throw InvalidInput("dataset.catalog: unknown dataset \"" + *spec.catalog +
                         "\" (known: " + catalog_names() + ")");
    }
    field = "dataset.catalog";
    relative = entry->file;
    mapping = {entry->label, entry->positive, entry->categorical, entry->drop};
    options.header = entry->header;
  } else if (spec.path) {
    relative = *spec.path;
    if (!spec.label) throw InvalidInput("dataset.label: missing (name the label column)");
    mapping = {*spec.label, spec.positive, spec.categorical, spec.drop};
    options.header = spec.header;
  } else {
    throw InvalidInput("dataset: give one of \"catalog\", \"path\" or \"synthetic\"");
  }

  const auto file = resolve_data_file(data_dir, relative, field);
  const std::string bytes = read_file(file.string());
  const std::string digest = sha256_hex(bytes);
  if (entry && digest != entry->sha256) {
    throw InvalidInput("dataset.catalog: " + file.string() + " has sha256 " + digest +
                       " but the catalog's " + entry->name + " is " + entry->sha256 +
                       "; use the original file (see ../shared/datasets/MANIFEST.md)");
  }
  CsvTable table = parse_csv(bytes, file.filename().string(), options);
  if (entry && !entry->header) {
    if (table.columns() != entry->column_names.size()) {
      throw InvalidInput(file.string() + ": " + std::to_string(table.columns()) +
                         " columns, but the catalog's " + entry->name + " has " +
                         std::to_string(entry->column_names.size()));
    }
    table.header = entry->column_names;
  }
  Dataset ds = dataset_from_table(table, mapping);
  ds.name = entry ? entry->name : file.filename().string();
  ds.file = file.string();
  ds.sha256 = digest;
  if (entry) ds.note = entry->note;
  return ds;
}

}  // namespace dlaaw::datasets
