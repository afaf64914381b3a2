// report_downloads.cpp - CSV and JSON bodies of the report's downloads.
#include "reports/report_downloads.h"

#include <cctype>

#include "common/errors.h"
#include "reports/report_data.h"
#include "tracker/run_export.h"

namespace dlaaw::reports {
namespace {

using nlohmann::json;

Download make(DownloadFormat f, std::string body, const std::string& stem) {
  if (f == DownloadFormat::Csv) return {std::move(body), "text/csv; charset=utf-8", stem + ".csv"};
  return {std::move(body), "application/json", stem + ".json"};
}

// A file name stem from a user's experiment name: letters, digits, - _ . kept, the rest "_", so
// that nothing in it can break the header or name a path.
std::string safe_stem(const std::string& name) {
  // An empty stem or one that starts with '.' gets an "x" in front (appended first, not inserted:
  // GCC 12's -Wrestrict misreads insert(0, ...) under -O3, a false positive fatal with -Werror).
  const std::string kept = name.substr(0, 80);
  std::string out;
  if (kept.empty() || kept[0] == '.') out += 'x';
  for (char c : kept) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    out += ok ? c : '_';
  }
  return out;
}

}  // namespace

DownloadFormat parse_download_format(const std::string& extension) {
  if (extension == "csv") return DownloadFormat::Csv;
  if (extension == "json") return DownloadFormat::Json;
  throw InvalidInput("format: must be csv or json, got \"" + extension + "\"");
}

Download runs_download(tracker::SqliteDb& db, tracker::RunFilter filter, DownloadFormat format) {
  filter.limit = kMaxDownloadRows;
  filter.offset = 0;
  const json rows = tracker::list_runs(db, filter);
  return make(format, format == DownloadFormat::Csv ? tracker::runs_csv(rows) : rows.dump(),
              "runs");
}

Download comparison_download(tracker::SqliteDb& db, const std::vector<std::int64_t>& ids,
                             const std::string& name, DownloadFormat format) {
  const json c = comparison(db, ids);
  const std::string stem = "compare-" + safe_stem(name);
  if (format == DownloadFormat::Json) return make(format, c.dump(), stem);
  return make(format, tracker::table_csv(tracker::run_csv_columns(), c["runs"]), stem);
}

Download predictions_download(tracker::SqliteDb& db, std::int64_t id, DownloadFormat format) {
  tracker::run_record(db, id);  // NotFound for an unknown run before "no predictions"
  const json p = tracker::artifact(db, id, "predictions");
  const std::string stem = "run-" + std::to_string(id) + "-predictions";
  return make(format, format == DownloadFormat::Csv ? tracker::predictions_csv(p) : p.dump(), stem);
}

}  // namespace dlaaw::reports
