// page_parts.cpp - shared cells and tables of the report pages.
#include "reports/page_parts.h"

#include <cmath>

#include "reports/html.h"
#include "reports/svg_frame.h"

namespace dlaaw::reports {

using nlohmann::json;

std::string text(const json& v) {
  if (v.is_null()) return "-";
  if (v.is_string()) return escape(v.get<std::string>());
  if (v.is_number_float()) return number(v.get<double>());
  return escape(v.dump());
}

double training_done(double fold, double folds, double epoch, double epochs) {
  if (!(epochs > 0) || !(folds > 0)) return std::nan("");
  return (fold + epoch / epochs) / folds;
}

std::string progress_bar(double share) {
  if (std::isnan(share)) return "-";
  const std::string percent = number(share * 100, 0);
  return "<progress max=\"100\" value=\"" + percent + "\"></progress> " + percent + "%";
}

std::string num(const json& v, int digits) {
  return v.is_number() ? number(v.get<double>(), digits) : "-";
}

std::string mean_std_text(const json& mean, const json& std, int digits) {
  if (!mean.is_number()) return "-";
  return num(mean, digits) + (std.is_number() ? " ± " + num(std, digits) : "");
}

std::string tag_chips(const json& tags) {
  if (!tags.is_object()) return "";
  std::string out;
  for (const auto& [k, v] : tags.items()) {
    const std::string tag = k + "=" + (v.is_string() ? v.get<std::string>() : v.dump());
    out += "<a class=\"tag\" href=\"/runs?tag=" + url_encode(tag) + "\">" + escape(tag) + "</a> ";
  }
  return out;
}

std::string run_table(const json& rows, const std::string& id) {
  std::string html =
      "<table id=\"" + id +
      "\"><tr><th>run</th><th>experiment</th><th>workflow</th><th>dataset</th><th>resource</th>"
      "<th>backend</th><th>state</th><th>accuracy</th><th>train ms</th><th>energy J</th>"
      "<th>tags</th><th>note</th></tr>";
  // value(): a row may lack a column; operator[] on a const json must not be used for keys
  // that might be missing.
  const auto at = [](const json& r, const char* key) { return r.value(key, json(nullptr)); };
  for (const auto& r : rows) {
    const std::string run_id = std::to_string(r["id"].get<std::int64_t>());
    const std::string state = at(r, "state").is_string() ? at(r, "state").get<std::string>() : "";
    const json note = at(r, "note");
    const std::string note_text = note.is_string() ? note.get<std::string>() : "";
    html +=
        std::string("<tr") + (r.value("archived", false) ? " class=\"archived\"" : "") +
        "><td><a href=\"/runs/" + run_id + "\">" + run_id + "</a></td><td class=\"experiment\">" +
        text(at(r, "experiment")) + "</td><td>" + text(at(r, "workflow")) + "</td><td>" +
        text(at(r, "dataset")) + "</td><td>" + text(at(r, "resource")) + "</td><td>" +
        text(at(r, "backend")) + "</td><td class=\"state-" + escape(state) + "\">" + escape(state) +
        "</td><td class=\"num\">" + num(at(r, "accuracy")) + "</td><td class=\"num\">" +
        num(at(r, "train_ms"), 1) + "</td><td class=\"num\">" + num(at(r, "energy_j"), 1) +
        "</td><td class=\"tags\">" + tag_chips(at(r, "tags")) + "</td><td class=\"note\" title=\"" +
        escape(note_text) + "\">" + escape(shorten(note_text, 60)) + "</td></tr>";
  }
  return html + "</table>";
}

std::string download_links(const std::string& path, const std::string& query) {
  const std::string q = query.empty() ? "" : "?" + query;
  return "<span class=\"downloads\">download <a class=\"download\" href=\"" + escape(path) +
         ".csv" + escape(q) + "\">CSV</a> · <a class=\"download\" href=\"" + escape(path) +
         ".json" + escape(q) + "\">JSON</a></span>";
}

}  // namespace dlaaw::reports
