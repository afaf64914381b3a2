// page_parts.h - pieces several report pages share: cells, the runs table, tags, download links.
// Every value that comes from a document, a dataset or a user goes through escape() here.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace dlaaw::reports {

// The share of a training job done, (fold + epoch / epochs) / folds, with fold 0-based and epoch
// 1-based as progress events give them; NaN when epochs or folds is not positive.
double training_done(double fold, double folds, double epoch, double epochs);

// A progress bar and percentage for `share` (0 to 1); "-" for NaN.
std::string progress_bar(double share);

// A JSON value as escaped cell text ("-" for null).
std::string text(const nlohmann::json& v);

// A number with `digits` decimals, "-" for anything else.
std::string num(const nlohmann::json& v, int digits = 3);

// "mean ± std" of two nullable numbers ("-" when the mean is null).
std::string mean_std_text(const nlohmann::json& mean, const nlohmann::json& std, int digits);

// {key: value} tags as links that filter the runs table (class "tag").
std::string tag_chips(const nlohmann::json& tags);

// The header and rows of a runs table (list_runs or comparison rows; missing columns show "-").
std::string run_table(const nlohmann::json& rows, const std::string& id);

// "CSV · JSON" links to `path`.csv and `path`.json with `query` (unescaped, may be empty).
std::string download_links(const std::string& path, const std::string& query);

}  // namespace dlaaw::reports
