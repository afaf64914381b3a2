// pages.cpp - page layouts. Every value that comes from a document, a dataset or a user goes
// through escape().
#include "reports/pages.h"

#include <cmath>
#include <limits>

#include "common/utc_time.h"
#include "reports/html.h"
#include "reports/page_parts.h"
#include "reports/run_filter_params.h"
#include "reports/svg_charts.h"

namespace dlaaw::reports {

using nlohmann::json;

namespace {

// "12.5 J, measured by rapl, power mode MAXN (training took 830.0 ms)", or why there is none.
std::string energy_text(const json& energy, const json& timings) {
  if (!energy.is_object()) return "not measured (no energy meter on the machine that ran it)";
  std::string out =
      "<b>" + num(energy["joules"], 2) + " J</b>, measured by " + text(energy["source"]);
  if (energy.value("power_mode", json(nullptr)).is_string())
    out += ", power mode " + text(energy["power_mode"]);
  const json train = timings.value("train", json(nullptr));
  if (train.is_number()) out += " (training took " + num(train, 1) + " ms)";
  return out;
}

// One row per pipeline: a link to its page, its state, its tasks by state, when it was submitted
// and how long it took.
std::string pipeline_table(const json& pipelines) {
  std::string html =
      "<h2>Pipelines</h2><table id=\"pipelines\"><tr><th>pipeline</th><th>state</th>"
      "<th>tasks</th><th>submitted</th><th>took</th></tr>";
  for (const auto& p : pipelines) {
    const std::string name = p["name"].get<std::string>();
    const std::string state = p["state"].get<std::string>();
    std::string tasks;
    for (const auto& [task_state, count] : p["tasks"].items()) {
      tasks += (tasks.empty() ? "" : " · ") + std::string("<span data-count=\"") +
               escape(task_state) + "\">" + escape(task_state) + " " + count.dump() + "</span>";
    }
    const std::int64_t submitted = p["submitted_at"].get<std::int64_t>();
    const std::string took =
        p["finished_at"].is_number()
            ? number(static_cast<double>(p["finished_at"].get<std::int64_t>() - submitted) / 1000,
                     1) +
                  " s"
            : "-";
    html += "<tr data-pipeline=\"" + escape(name) + "\" data-state=\"" + escape(state) +
            "\"><td><a href=\"/pipelines/" + escape(url_encode(name)) + "\">" + escape(name) +
            "</a></td><td class=\"state-" + escape(state) + "\">" + escape(state) + "</td><td>" +
            tasks + "</td><td>" + readable_utc(submitted) + "</td><td class=\"num\">" + took +
            "</td></tr>";
  }
  return html + "</table>";
}

}  // namespace

std::string error_page(int status, const std::string& message) {
  return page("Error " + std::to_string(status), "<p>" + escape(message) + "</p>");
}

std::string dashboard_page(const json& live, const json& latest, const json& pipelines) {
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
        progress = progress_bar(training_done(p["fold"].get<double>(), p["folds"].get<double>(),
                                              p["epoch"].get<double>(), p["epochs"].get<double>()));
        loss = num(p["loss"], 4);
      }
      body += "<tr><td>" + text(j["id"]) + "</td><td>" + text(j["name"]) + "</td><td>" +
              text(j["executor"]) + "</td><td>" + text(j["attempt"]) + "</td><td>" + progress +
              "</td><td class=\"num\">" + loss + "</td></tr>";
    }
    body += "</table>";
  }
  if (!pipelines.empty()) body += pipeline_table(pipelines);
  body += "<h2>Latest runs</h2>" + run_table(latest, "latest");
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
  if (r.value("archived_at", json(nullptr)).is_number())
    body += "<p class=\"muted\" id=\"archived\">archived (dlaaw runs restore " + id +
            " brings it back)</p>";
  if (!r.value("tags", json::object()).empty())
    body += "<p id=\"tags\">tags " + tag_chips(r["tags"]) + "</p>";
  if (r.value("note", json(nullptr)).is_string())
    body += "<blockquote id=\"note\">" + text(r["note"]) + "</blockquote>";
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
  body += "<h2>Training loss</h2>" +
          line_chart(curves, {"epoch", "mean BCE loss", Unit::Count, Unit::None});
  std::vector<std::pair<std::string, double>> parts;
  for (const char* t : {"queue_wait", "blob_fetch", "load", "preprocess", "train", "evaluate"}) {
    if (r["timings_ms"].contains(t)) parts.emplace_back(t, r["timings_ms"][t].get<double>());
  }
  body += "<h2>Timings</h2>" + stacked_bar(parts, "ms") + "<p>total " +
          num(r["timings_ms"].value("total", json(nullptr)), 1) + " ms</p>";
  body += "<h2>Energy</h2><p id=\"energy\">" +
          energy_text(r.value("energy", json(nullptr)), r["timings_ms"]) + "</p>";
  body +=
      "<h2>Provenance</h2><table><tr><th>dataset file</th><td>" + text(r["dataset"]["file"]) +
      "</td></tr><tr><th>sha256</th><td>" + text(r["dataset"]["sha256"]) +
      "</td></tr><tr><th>rows read / dropped</th><td>" + text(r["dataset"]["rows_read"]) + " / " +
      text(r["dataset"]["rows_dropped"]) + "</td></tr><tr><th>document sha256</th><td>" +
      text(r["document_sha256"]) + "</td></tr><tr><th>executor / host</th><td>" +
      text(r["executor"]) + " / " + text(r["host"]) + "</td></tr><tr><th>code version</th><td>" +
      text(r["code_version"]) + "</td></tr><tr><th>seed</th><td>" + text(r["seed"]) +
      "</td></tr></table><p><a href=\"/api/runs/" + id +
      "/provenance\">PROV-JSON</a> · <a href=\"/api/runs/" + id +
      "/model\">trained model (weights and scaler)</a> · <a href=\"/api/runs/" + id +
      "\">JSON</a> · predictions " + download_links("/runs/" + id + "/predictions", "") + "</p>";
  body += "<h2>Workflow document</h2><pre>" + escape(r["document"].dump(2)) + "</pre>";
  return page("Run " + id, body);
}

std::string runs_page(const json& rows, std::int64_t total, const tracker::RunFilter& f,
                      int page_number, int per_page) {
  const auto opt = [](const std::optional<std::string>& v) {
    return v ? escape(*v) : std::string();
  };
  std::string tag;
  if (!f.tags.empty())
    tag = f.tags[0].key + (f.tags[0].value ? "=" + *f.tags[0].value : std::string());
  std::string body =
      "<form class=\"filters\" method=\"get\" action=\"/runs\">experiment <input "
      "name=\"experiment\" value=\"" +
      opt(f.experiment) + "\"> dataset <input name=\"dataset\" value=\"" + opt(f.dataset) +
      "\"> resource <input name=\"resource\" value=\"" + opt(f.resource) +
      "\"> state <input name=\"state\" value=\"" + opt(f.state) +
      "\"> tag <input name=\"tag\" placeholder=\"key or key=value\" value=\"" + escape(tag) +
      "\"> archived <select name=\"archived\">";
  const std::pair<const char*, tracker::ArchivedRuns> archived[] = {
      {"hide", tracker::ArchivedRuns::Hidden},
      {"only", tracker::ArchivedRuns::Only},
      {"include", tracker::ArchivedRuns::Included}};
  for (const auto& [name, value] : archived)
    body += std::string("<option") + (f.archived == value ? " selected" : "") + ">" + name +
            "</option>";
  body += "</select> sort <select name=\"sort\">";
  for (const char* s :
       {"id", "accuracy", "train_ms", "dataset", "state", "resource", "started_at"}) {
    body += std::string("<option") + (f.sort == s ? " selected" : "") + ">" + s + "</option>";
  }
  body += "</select><select name=\"order\"><option" + std::string(f.descending ? " selected" : "") +
          ">desc</option><option" + (f.descending ? "" : " selected") +
          ">asc</option></select><button>filter</button></form>";
  const std::string query = run_filter_query(f);
  body += "<p id=\"total\">" + std::to_string(total) + " runs · " + download_links("/runs", query) +
          "</p>" + run_table(rows, "runs");
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

std::string experiments_page(const json& experiments, const std::string& tag) {
  std::string body =
      "<form class=\"filters\" method=\"get\" action=\"/experiments\">tag <input name=\"tag\" "
      "placeholder=\"key or key=value\" value=\"" +
      escape(tag) +
      "\"><button>filter</button></form><table id=\"experiments\"><tr><th>experiment</th>"
      "<th>runs</th><th>archived</th><th>tags</th><th>note</th><th></th></tr>";
  for (const auto& e : experiments) {
    const std::string id = std::to_string(e["id"].get<std::int64_t>());
    const std::string name = e["name"].get<std::string>();
    body += "<tr><td>" + text(e["name"]) + "</td><td class=\"num\">" + text(e["runs"]) +
            "</td><td class=\"num\">" + text(e.value("archived", json(0))) +
            "</td><td class=\"tags\">" + tag_chips(e.value("tags", json::object())) +
            "</td><td class=\"note\">" + text(e.value("note", json(nullptr))) +
            "</td><td><a href=\"/compare?experiment=" + id +
            "\">compare</a> · <a href=\"/runs?experiment=" + url_encode(name) +
            "\">runs</a> · <a href=\"/sweeps/" + url_encode(name) + "\">sweep</a></td></tr>";
  }
  return page("Experiments", body + "</table>");
}

std::string sweep_page(const json& s) {
  const std::string name = s["name"].get<std::string>();
  std::string body;
  const json& members = s["members"];
  // Progress from the queue when it is known (queued members have no run yet), else from runs.
  std::int64_t total = 0, ended = 0;
  json states = s["runs_by_state"];
  if (members.is_object()) {
    total = members["total"].get<std::int64_t>();
    ended = members["ended"].get<std::int64_t>();
    states = members["by_state"];
  } else {
    for (const auto& [state, n] : states.items()) {
      total += n.get<std::int64_t>();
      if (state != "executing" && state != "queued") ended += n.get<std::int64_t>();
    }
  }
  const double pct = total ? 100.0 * static_cast<double>(ended) / static_cast<double>(total) : 0;
  body += "<p id=\"progress\"><progress max=\"100\" value=\"" + number(pct, 0) + "\"></progress> " +
          std::to_string(ended) + " of " + std::to_string(total) + " members ended (" +
          number(pct, 0) + "%)" +
          (members.is_object() ? ""
                               : " <span class=\"muted\">(from the tracker; start the report "
                                 "with --redis for queued members)</span>") +
          "</p><table id=\"sweep-states\"><tr><th>state</th><th>members</th></tr>";
  for (const auto& [state, n] : states.items()) {
    body += "<tr><td class=\"state-" + escape(state) + "\">" + escape(state) +
            "</td><td class=\"num\">" + text(n) + "</td></tr>";
  }
  body += "</table>";
  if (s["best"].is_object()) {
    const std::string id = std::to_string(s["best"]["id"].get<std::int64_t>());
    body += "<p id=\"best\">best so far: <a href=\"/runs/" + id + "\">run " + id +
            "</a>, test accuracy <b>" + num(s["best"]["accuracy"], 4) + "</b> on " +
            text(s["best"]["dataset"]) + "</p>";
  }
  body += "<p><a href=\"/compare?experiment=" + url_encode(name) +
          "\">compare its runs</a> (parallel coordinates, loss curves) · <a href=\"/api/sweeps/" +
          url_encode(name) + "\">JSON</a></p><h2>Runs</h2>" + run_table(s["runs"], "sweep-runs");
  return page("Sweep " + name, body);
}

}  // namespace dlaaw::reports
