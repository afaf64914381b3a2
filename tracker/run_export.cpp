// run_export.cpp - CSV text of runs, tables and predictions.
#include "tracker/run_export.h"

#include <cstdio>

#include "common/errors.h"

namespace dlaaw::tracker {
namespace {

using nlohmann::json;

std::string csv_text(const std::string& s) {
  // A leading ' keeps a spreadsheet from reading the cell as a formula. Built by appending: GCC
  // 12's -Wrestrict misreads insert(0, ...) here (a false positive that -Werror turns fatal).
  const bool formula = !s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@');
  std::string text;
  text.reserve(s.size() + 1);
  if (formula) text += '\'';
  text += s;
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string cell(const json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return csv_text(v.get<std::string>());
  if (v.is_number_float()) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.10g", v.get<double>());
    return buf;
  }
  if (v.is_object()) {
    std::string text;
    for (const auto& [k, value] : v.items())
      text += (text.empty() ? "" : ";") + k + "=" +
              (value.is_string() ? value.get<std::string>() : value.dump());
    return csv_text(text);
  }
  return v.dump();  // integers, booleans
}

}  // namespace

const std::vector<std::string>& run_csv_columns() {
  static const std::vector<std::string> kColumns{
      "id",  "experiment", "workflow", "dataset",    "resource",    "backend", "state", "accuracy",
      "auc", "train_ms",   "energy_j", "started_at", "finished_at", "tags",    "note",  "archived"};
  return kColumns;
}

std::string table_csv(const std::vector<std::string>& columns, const json& rows) {
  std::string out;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i) out += ",";
    out += csv_text(columns[i]);
  }
  out += "\n";
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i) out += ",";
      out += cell(row.is_object() ? row.value(columns[i], json(nullptr)) : json(nullptr));
    }
    out += "\n";
  }
  return out;
}

std::string runs_csv(const json& rows) { return table_csv(run_csv_columns(), rows); }

std::string predictions_csv(const json& predictions) {
  if (!predictions.is_array()) throw InvalidInput("predictions: not a list of folds");
  std::string out = "fold,row,label,score\n";
  char buf[96];
  for (std::size_t f = 0; f < predictions.size(); ++f) {
    const json& p = predictions[f];
    if (!p.is_object() || !p.value("rows", json()).is_array() ||
        !p.value("labels", json()).is_array() || !p.value("scores", json()).is_array() ||
        p["rows"].size() != p["labels"].size() || p["rows"].size() != p["scores"].size()) {
      throw InvalidInput("predictions[" + std::to_string(f) +
                         "]: needs rows, labels and scores of one length");
    }
    for (std::size_t i = 0; i < p["rows"].size(); ++i) {
      const json &row = p["rows"][i], &label = p["labels"][i], &score = p["scores"][i];
      if (!row.is_number() || !label.is_number() || !score.is_number())
        throw InvalidInput("predictions[" + std::to_string(f) + "]: a value is not a number");
      std::snprintf(buf, sizeof buf, "%zu,%lld,%g,%.9g\n", f, row.get<long long>(),
                    label.get<double>(), score.get<double>());
      out += buf;
    }
  }
  return out;
}

}  // namespace dlaaw::tracker
