// pages.h - the HTML pages of the report, rendered on the server from JSON data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "tracker/run_queries.h"

namespace dlaaw::reports {

// `live` from live_state(), `latest_runs` from list_runs, `pipelines` from recent_pipelines()
// (a table with id "pipelines", one row per pipeline, when there is any).
std::string dashboard_page(const nlohmann::json& live, const nlohmann::json& latest_runs,
                           const nlohmann::json& pipelines);
std::string run_page(const nlohmann::json& run);

// What a compare page shows: which runs (an experiment or a list of ids), the time axis' scale
// and the scatter's axes (run_quantities() names, checked by the caller).
struct CompareView {
  std::string title;
  std::optional<std::string> experiment;
  std::optional<std::string> runs;  // "1,2,3"
  bool log_scale = false;
  std::string x = "train_ms", y = "accuracy";
};

// `compare` from comparison(); `parameters` from tracker::compare_runs (null when it was not
// computed: fewer than two runs, or too many to tabulate).
std::string compare_page(const CompareView& view, const nlohmann::json& compare,
                         const nlohmann::json& parameters);
std::string runs_page(const nlohmann::json& rows, std::int64_t total,
                      const tracker::RunFilter& filter, int page, int per_page);
// `tag` is the experiments' tag filter as given ("" for none).
std::string experiments_page(const nlohmann::json& experiments, const std::string& tag);

// A sweep's members by state, its progress and best run so far (see sweep_overview()).
std::string sweep_page(const nlohmann::json& sweep);
std::string error_page(int status, const std::string& message);

}  // namespace dlaaw::reports
