// run_export.h - query results as CSV (RFC 4180) for `dlaaw runs --format csv` and the report's
// downloads: one writer, so that both give the same columns and quoting.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace dlaaw::tracker {

// The columns of a runs download, in order (list_runs' fields; tags as "k=v;k=v").
const std::vector<std::string>& run_csv_columns();

// A header line and one line per object of `rows`, taking `columns` from each: null and missing
// as empty, numbers in full precision, objects as "k=v;k=v". Text that a spreadsheet would run
// as a formula (starting with = + - @) gets a leading ' so that it stays text.
std::string table_csv(const std::vector<std::string>& columns, const nlohmann::json& rows);

// list_runs rows as CSV with run_csv_columns().
std::string runs_csv(const nlohmann::json& rows);

// A run's stored predictions (per fold {rows, labels, scores}) as fold,row,label,score lines.
// Throws InvalidInput when the artifact does not have that shape.
std::string predictions_csv(const nlohmann::json& predictions);

}  // namespace dlaaw::tracker
