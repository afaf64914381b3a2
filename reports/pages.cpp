// pages.cpp - page layouts. Every value that comes from a document, a dataset or a user goes
// through escape().
#include "reports/pages.h"

#include <cmath>
#include <limits>

#include "reports/html.h"
#include "reports/svg_charts.h"

namespace dlaaw::reports {
namespace {

using nlohmann::json;

std::string text(const json& v) {
  if (v.is_null()) return "-";
  if (v.is_string()) return escape(v.get<std::string>());
  if (v.is_number_float()) return number(v.get<double>());
  return escape(v.dump());
}

std::string num(const json& v, int digits = 3) {
  return v.is_number() ? number(v.get<double>(), digits) : "-";
}

double value_or_nan(const json& v) {
  return v.is_number() ? v.get<double>() : std::numeric_limits<double>::quiet_NaN();
}

std::string state_cell(const json& state) {
  const std::string s = state.is_string() ? state.get<std::string>() : "";
  return "<td class=\"state-" + escape(s) + "\">" + escape(s) + "</td>";
}

std::string run_rows(const json& rows) {
  std::string html;
  // value(): a row may lack a column (a comparison's runs carry no experiment); operator[] on a
  // const json must not be used for keys that might be missing.
  const auto at = [](const json& r, const char* key) { return r.value(key, json(nullptr)); };
  for (const auto& r : rows) {
    const std::string id = std::to_string(r["id"].get<std::int64_t>());
    html += "<tr><td><a href=\"/runs/" + id + "\">" + id + "</a></td><td>" +
            text(at(r, "experiment")) + "</td><td>" + text(at(r, "workflow")) + "</td><td>" +
            text(at(r, "dataset")) + "</td><td>" + text(at(r, "resource")) + "</td><td>" +
            text(at(r, "backend")) + "</td>" + state_cell(at(r, "state")) + "<td class=\"num\">" +
            num(at(r, "accuracy")) + "</td><td class=\"num\">" + num(at(r, "train_ms"), 1) +
            "</td></tr>";
  }
  return html;
}

const char* kRunHeader =
    "<tr><th>run</th><th>experiment</th><th>workflow</th><th>dataset</th><th>resource</th>"
    "<th>backend</th><th>state</th><th>accuracy</th><th>train ms</th></tr>";

}  // namespace

std::string error_page(int status, const std::string& message) {
  return page("Error " + std::to_string(status), "<p>" + escape(message) + "</p>");
}

std::string dashboard_page(const json& live, const json& latest) {
  std::string body;
  if (!live.value("redis", false)) {
    body +=
        "<p class=\"muted\">No Redis given (start with --redis URL for queues, executors and "
        "running jobs).</p>";
  } else {
    body += "<h2>Queues</h2><table><tr><th>queue</th><th>jobs</th></tr>";
    for (const auto& [k, v] : live["depths"].items())
      body += "<tr><td>" + escape(k) + "</td><td class=\"num\">" + v.dump() + "</td></tr>";
    body +=
        "</table><h2>Executors</h2><table "
        "id=\"executors\"><tr><th>id</th><th>resource</th><th>backend</th><th>device</th><th>host</"
        "th></tr>";
    for (const auto& e : live["executors"]) {
      body +=
          "<tr><td>" + text(e.value("id", json(nullptr))) + "</td><td>" +
          text(e.value("resource", json(nullptr))) + "</td><td>" +
          text(e.value("backend", json(nullptr))) + "</td><td>" +
          text(e.contains("device") ? e["device"].value("name", json(nullptr)) : json(nullptr)) +
          "</td><td>" + text(e.value("host", json(nullptr))) + "</td></tr>";
    }
    body +=
        "</table><h2>Running jobs</h2><table "
        "id=\"running\"><tr><th>job</th><th>workflow</th><th>executor</th><th>attempt</"
        "th><th>progress</th><th>loss</th></tr>";
    for (const auto& j : live["running"]) {
      std::string progress = "-", loss = "-";
      if (j.contains("progress")) {
        const auto& p = j["progress"];
        const double done =
            (p["fold"].get<double>() + p["epoch"].get<double>() / p["epochs"].get<double>()) /
            p["folds"].get<double>();
        progress = "<progress max=\"100\" value=\"" + number(done * 100, 0) + "\"></progress> " +
                   number(done * 100, 0) + "%";
        loss = num(p["loss"], 4);
      }
      body += "<tr><td>" + text(j["id"]) + "</td><td>" + text(j["name"]) + "</td><td>" +
              text(j["executor"]) + "</td><td>" + text(j["attempt"]) + "</td><td>" + progress +
              "</td><td class=\"num\">" + loss + "</td></tr>";
    }
    body += "</table>";
  }
  body += "<h2>Latest runs</h2><table id=\"latest\">" + std::string(kRunHeader) + run_rows(latest) +
          "</table>";
  return page("Dashboard", body, 5);
}

std::string run_page(const json& r) {
  const std::string id = std::to_string(r["id"].get<std::int64_t>());
  std::string body =
      "<p>workflow <b>" + text(r["workflow"]) + "</b> on dataset <b>" + text(r["dataset"]["name"]) +
      "</b>; state <span class=\"state-" + text(r["state"]) + "\" id=\"state\">" +
      text(r["state"]) + "</span>; job " + text(r["job_id"]) + " attempt " + text(r["attempt"]) +
      "; " + text(r["resource"]) + "/" + text(r["backend"]) + " on " +
      (r["device"].is_object() ? text(r["device"].value("name", json(nullptr))) : "-") + "</p>";
  if (!r["error"].get<std::string>().empty())
    body += "<p class=\"state-error\">" + text(r["error"]) + "</p>";
  body += "<h2>Network</h2>" +
          network_diagram(r["document"].is_object() ? r["document"]["network"] : json());
  // Metrics: per fold, then mean and std.
  body +=
      "<h2>Metrics</h2><table "
      "id=\"metrics\"><tr><th>fold</th><th>accuracy</th><th>precision</th><th>recall</th><th>f1</"
      "th><th>auc</th></tr>";
  const char* names[] = {"accuracy", "precision", "recall", "f1", "auc"};
  for (const auto& f : r["metrics"]["folds"]) {
    body += "<tr><td>" + text(f["fold"]) + "</td>";
    for (const char* n : names)
      body += "<td class=\"num\">" + num(f.value(n, json(nullptr)), 4) + "</td>";
    body += "</tr>";
  }
  const bool kfold = !r["metrics"]["std"].empty();
  body += "<tr><th>" + std::string(kfold ? "mean ± std" : "test") + "</th>";
  for (const char* n : names) {
    body += "<td class=\"num\" data-metric=\"" + std::string(n) + "\">" +
            num(r["metrics"]["mean"].value(n, json(nullptr)), 4) +
            (kfold ? " ± " + num(r["metrics"]["std"].value(n, json(nullptr)), 4) : "") + "</td>";
  }
  body += "</tr></table>";
  std::vector<LineSeries> curves;
  for (std::size_t f = 0; f < r["losses"].size(); ++f) {
    LineSeries s{"fold " + std::to_string(f), {}};
    for (const auto& p : r["losses"][f])
      s.points.emplace_back(p[0].get<double>(), p[1].get<double>());
    curves.push_back(std::move(s));
  }
  body += "<h2>Training loss</h2>" + line_chart(curves, "epoch", "mean BCE loss");
  std::vector<std::pair<std::string, double>> parts;
  for (const char* t : {"queue_wait", "blob_fetch", "load", "preprocess", "train", "evaluate"}) {
    if (r["timings_ms"].contains(t)) parts.emplace_back(t, r["timings_ms"][t].get<double>());
  }
  body += "<h2>Timings</h2>" + stacked_bar(parts, "ms") + "<p>total " +
          num(r["timings_ms"].value("total", json(nullptr)), 1) + " ms</p>";
  body += "<h2>Provenance</h2><table><tr><th>dataset file</th><td>" + text(r["dataset"]["file"]) +
          "</td></tr><tr><th>sha256</th><td>" + text(r["dataset"]["sha256"]) +
          "</td></tr><tr><th>rows read / dropped</th><td>" + text(r["dataset"]["rows_read"]) +
          " / " + text(r["dataset"]["rows_dropped"]) +
          "</td></tr><tr><th>document sha256</th><td>" + text(r["document_sha256"]) +
          "</td></tr><tr><th>executor / host</th><td>" + text(r["executor"]) + " / " +
          text(r["host"]) + "</td></tr><tr><th>code version</th><td>" + text(r["code_version"]) +
          "</td></tr><tr><th>seed</th><td>" + text(r["seed"]) +
          "</td></tr></table><p><a href=\"/api/runs/" + id +
          "/provenance\">PROV-JSON</a> · <a href=\"/api/runs/" + id +
          "/model\">trained model (weights and scaler)</a> · <a href=\"/api/runs/" + id +
          "\">JSON</a></p>";
  body += "<h2>Workflow document</h2><pre>" + escape(r["document"].dump(2)) + "</pre>";
  return page("Run " + id, body);
}

std::string compare_page(const std::string& title, const json& c, bool log_scale,
                         const std::string& query) {
  const auto series = c["series"].get<std::vector<std::string>>();
  std::vector<BarGroup> accuracy, time;
  for (const auto& ds : c["datasets"]) {
    BarGroup a{ds.get<std::string>(), {}, {}}, t{ds.get<std::string>(), {}, {}};
    for (const auto& se : series) {
      json cell;
      for (const auto& row : c["table"]) {
        if (row["dataset"] == ds && row["series"] == se) cell = row;
      }
      a.values.push_back(cell.is_null() ? NAN : value_or_nan(cell["accuracy_mean"]));
      a.errors.push_back(cell.is_null() ? NAN : value_or_nan(cell["accuracy_std"]));
      t.values.push_back(cell.is_null() ? NAN : value_or_nan(cell["train_ms_mean"]));
      t.errors.push_back(cell.is_null() ? NAN : value_or_nan(cell["train_ms_std"]));
    }
    accuracy.push_back(std::move(a));
    time.push_back(std::move(t));
  }
  std::string body = "<p>" + std::to_string(c["runs"].size()) +
                     " runs. Bars: mean over runs (seeds), whiskers: standard deviation.</p>";
  body += "<h2>Test accuracy per dataset</h2>" +
          grouped_bar_chart(series, accuracy, "test accuracy", false, 4);
  body += "<h2>Training time per dataset</h2><p>" +
          std::string(log_scale ? "<a href=\"/compare?" + escape(query) + "\">linear scale</a>"
                                : "<a href=\"/compare?" + escape(query) +
                                      "&amp;scale=log\">log scale</a>") +
          "</p>" +
          grouped_bar_chart(series, time, log_scale ? "training ms (log)" : "training ms",
                            log_scale, 1);
  body +=
      "<h2>Table</h2><table "
      "id=\"compare-table\"><tr><th>dataset</th><th>resource/backend</th><th>runs</th><th>accuracy "
      "mean ± std</th><th>train ms mean ± std</th></tr>";
  for (const auto& row : c["table"]) {
    body += "<tr><td>" + text(row["dataset"]) + "</td><td>" + text(row["series"]) +
            "</td><td class=\"num\">" + text(row["runs"]) +
            "</td><td class=\"num\" data-accuracy=\"" + num(row["accuracy_mean"], 4) + "\">" +
            num(row["accuracy_mean"], 4) + " ± " + num(row["accuracy_std"], 4) +
            "</td><td class=\"num\">" + num(row["train_ms_mean"], 1) + " ± " +
            num(row["train_ms_std"], 1) + "</td></tr>";
  }
  body += "</table>";
  if (c.contains("scaling") && !c["scaling"].empty()) {
    std::vector<LineSeries> lines;
    for (const auto& [name, pts] : c["scaling"].items()) {
      LineSeries s{name, {}};
      for (const auto& p : pts) s.points.emplace_back(p[0].get<double>(), p[1].get<double>());
      lines.push_back(std::move(s));
    }
    body += "<h2>Training time against rows</h2>" + line_chart(lines, "rows", "training ms");
  }
  std::vector<ScatterPoint> points;
  for (const auto& p : c["scatter"]) {
    points.push_back({p["x"].get<double>(), p["y"].get<double>(),
                      "run " + p["run"].dump() + " (" + p["dataset"].get<std::string>() + ")"});
  }
  body += "<h2>" + escape(c["scatter_parameter"].get<std::string>()) + " against accuracy</h2>" +
          scatter_plot(points, c["scatter_parameter"].get<std::string>(), "test accuracy");
  body += "<h2>Runs</h2><table>" + std::string(kRunHeader) + run_rows(c["runs"]) + "</table>";
  return page(title, body);
}

std::string runs_page(const json& rows, std::int64_t total, const tracker::RunFilter& f,
                      int page_number, int per_page) {
  const auto opt = [](const std::optional<std::string>& v) {
    return v ? escape(*v) : std::string();
  };
  std::string body =
      "<form class=\"filters\" method=\"get\" action=\"/runs\">experiment <input "
      "name=\"experiment\" value=\"" +
      opt(f.experiment) + "\"> dataset <input name=\"dataset\" value=\"" + opt(f.dataset) +
      "\"> resource <input name=\"resource\" value=\"" + opt(f.resource) +
      "\"> state <input name=\"state\" value=\"" + opt(f.state) + "\"> sort <select name=\"sort\">";
  for (const char* s :
       {"id", "accuracy", "train_ms", "dataset", "state", "resource", "started_at"}) {
    body += std::string("<option") + (f.sort == s ? " selected" : "") + ">" + s + "</option>";
  }
  body += "</select><select name=\"order\"><option" + std::string(f.descending ? " selected" : "") +
          ">desc</option><option" + (f.descending ? "" : " selected") +
          ">asc</option></select><button>filter</button></form>";
  body += "<p id=\"total\">" + std::to_string(total) + " runs</p><table id=\"runs\">" + kRunHeader +
          run_rows(rows) + "</table>";
  std::string query = "sort=" + url_encode(f.sort) + "&order=" + (f.descending ? "desc" : "asc");
  if (f.experiment) query += "&experiment=" + url_encode(*f.experiment);
  if (f.dataset) query += "&dataset=" + url_encode(*f.dataset);
  if (f.resource) query += "&resource=" + url_encode(*f.resource);
  if (f.state) query += "&state=" + url_encode(*f.state);
  const std::int64_t pages = std::max<std::int64_t>(1, (total + per_page - 1) / per_page);
  body += "<p>page " + std::to_string(page_number) + " of " + std::to_string(pages);
  if (page_number > 1)
    body += " · <a href=\"/runs?" + escape(query) + "&amp;page=" + std::to_string(page_number - 1) +
            "\">previous</a>";
  if (page_number < pages)
    body += " · <a href=\"/runs?" + escape(query) + "&amp;page=" + std::to_string(page_number + 1) +
            "\">next</a>";
  return page("Runs", body + "</p>");
}

std::string experiments_page(const json& experiments) {
  std::string body = "<table><tr><th>experiment</th><th>runs</th><th></th></tr>";
  for (const auto& e : experiments) {
    const std::string id = std::to_string(e["id"].get<std::int64_t>());
    body +=
        "<tr><td>" + text(e["name"]) + "</td><td class=\"num\">" + text(e["runs"]) +
        "</td><td><a href=\"/compare?experiment=" + id +
        "\">compare</a> · <a href=\"/runs?experiment=" + url_encode(e["name"].get<std::string>()) +
        "\">runs</a></td></tr>";
  }
  return page("Experiments", body + "</table>");
}

}  // namespace dlaaw::reports
