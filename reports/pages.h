// pages.h - the HTML pages of the report, rendered on the server from JSON data.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "tracker/run_queries.h"

namespace dlaaw::reports {

std::string dashboard_page(const nlohmann::json& live, const nlohmann::json& latest_runs);
std::string run_page(const nlohmann::json& run);
// `compare` from comparison(); `query` is the page's query string without scale (for links).
std::string compare_page(const std::string& title, const nlohmann::json& compare, bool log_scale,
                         const std::string& query);
std::string runs_page(const nlohmann::json& rows, std::int64_t total,
                      const tracker::RunFilter& filter, int page, int per_page);
std::string experiments_page(const nlohmann::json& experiments);
std::string error_page(int status, const std::string& message);

}  // namespace dlaaw::reports
