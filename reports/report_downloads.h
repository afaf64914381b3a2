// report_downloads.h - the files the report offers for download: the runs table, a comparison and
// a run's predictions, as CSV or JSON, each with the name it is saved under.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tracker/run_queries.h"
#include "tracker/sqlite_db.h"

namespace dlaaw::reports {

enum class DownloadFormat { Csv, Json };

struct Download {
  std::string body;
  std::string content_type;  // "text/csv; charset=utf-8" or "application/json"
  std::string filename;      // for Content-Disposition: attachment
};

// The most rows a runs download holds (the filter's limit and offset are replaced by it).
inline constexpr int kMaxDownloadRows = 100000;

// "csv" or "json" as a format; InvalidInput for anything else.
DownloadFormat parse_download_format(const std::string& extension);

// Every run matching `filter` (up to kMaxDownloadRows), as `dlaaw runs --format csv|json` writes
// them: runs.csv or runs.json.
Download runs_download(tracker::SqliteDb& db, tracker::RunFilter filter, DownloadFormat format);

// The comparison of runs `ids`: CSV one line per run (run_csv_columns()), JSON the whole
// comparison() with the summary table; named after `name` (an experiment or "runs"). Throws
// NotFound for an unknown run.
Download comparison_download(tracker::SqliteDb& db, const std::vector<std::int64_t>& ids,
                             const std::string& name, DownloadFormat format);

// The stored test predictions of run `id` (fold,row,label,score lines in CSV): run-N-predictions.
// Throws NotFound for an unknown run or one without predictions (it did not finish).
Download predictions_download(tracker::SqliteDb& db, std::int64_t id, DownloadFormat format);

}  // namespace dlaaw::reports
