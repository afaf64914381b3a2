// compare_page.cpp - the Figure 2 page: accuracy, training time and energy per dataset and
// resource/backend, overlaid loss curves, a chosen-axes scatter, the parameters that differ and
// a parallel-coordinates view of a sweep's members.
#include <cmath>
#include <limits>
#include <set>

#include "reports/html.h"
#include "reports/page_parts.h"
#include "reports/pages.h"
#include "reports/report_data.h"
#include "reports/svg_charts.h"

namespace dlaaw::reports {
namespace {

using nlohmann::json;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double value_or_nan(const json& v) { return v.is_number() ? v.get<double>() : kNaN; }

// The query that names the compared runs, for links (unescaped).
std::string runs_query(const CompareView& v) {
  if (v.experiment) return "experiment=" + url_encode(*v.experiment);
  return v.runs ? "runs=" + url_encode(*v.runs) : "";
}

// The view's query without one of scale, x, y (so a link can set it).
std::string view_query(const CompareView& v, const std::string& leave_out) {
  std::string q = runs_query(v);
  if (leave_out != "scale" && v.log_scale) q += "&scale=log";
  if (leave_out != "xy") q += "&x=" + url_encode(v.x) + "&y=" + url_encode(v.y);
  return q;
}

// One bar group per dataset, one bar per series, from the summary table's `mean` and `std`.
std::vector<BarGroup> bar_groups(const json& c, const char* mean, const char* std) {
  std::vector<BarGroup> groups;
  for (const auto& ds : c["datasets"]) {
    BarGroup g{ds.get<std::string>(), {}, {}};
    for (const auto& se : c["series"]) {
      json cell;
      for (const auto& row : c["table"]) {
        if (row["dataset"] == ds && row["series"] == se) cell = row;
      }
      g.values.push_back(cell.is_null() ? kNaN : value_or_nan(cell[mean]));
      g.errors.push_back(cell.is_null() ? kNaN : value_or_nan(cell[std]));
    }
    groups.push_back(std::move(g));
  }
  return groups;
}

std::string summary_table_html(const json& c) {
  const bool energy = c.value("energy", false);
  std::string body =
      "<table id=\"compare-table\"><tr><th>dataset</th><th>resource/backend</th><th>runs</th>"
      "<th>accuracy mean ± std</th><th>train ms mean ± std</th>" +
      std::string(energy ? "<th>energy J mean ± std</th>" : "") + "</tr>";
  for (const auto& row : c["table"]) {
    body += "<tr><td>" + text(row["dataset"]) + "</td><td>" + text(row["series"]) +
            "</td><td class=\"num\">" + text(row["runs"]) +
            "</td><td class=\"num\" data-accuracy=\"" + num(row["accuracy_mean"], 4) + "\">" +
            mean_std_text(row["accuracy_mean"], row["accuracy_std"], 4) +
            "</td><td class=\"num\">" +
            mean_std_text(row["train_ms_mean"], row["train_ms_std"], 1) + "</td>";
    if (energy) {
      body += "<td class=\"num energy\">" +
              mean_std_text(row["energy_j_mean"], row["energy_j_std"], 2) + "</td>";
    }
    body += "</tr>";
  }
  return body + "</table>";
}

std::string bar_sections(const CompareView& v, const json& c) {
  const auto series = c["series"].get<std::vector<std::string>>();
  std::string body = "<h2>Test accuracy per dataset</h2>" +
                     grouped_bar_chart(series, bar_groups(c, "accuracy_mean", "accuracy_std"),
                                       {"test accuracy", Unit::Rate, false, 4});
  const std::string other = v.log_scale ? "linear scale" : "log scale";
  const std::string scale_link = "<a id=\"scale-link\" href=\"/compare?" +
                                 escape(view_query(v, "scale")) +
                                 (v.log_scale ? "" : "&amp;scale=log") + "\">" + other + "</a>";
  body += "<h2>Training time per dataset</h2><p>" + scale_link + "</p>" +
          grouped_bar_chart(series, bar_groups(c, "train_ms_mean", "train_ms_std"),
                            {v.log_scale ? "training time (log scale)" : "training time",
                             Unit::Milliseconds, v.log_scale, 1});
  if (c.value("energy", false)) {
    body += "<h2>Energy per dataset</h2>" +
            grouped_bar_chart(series, bar_groups(c, "energy_j_mean", "energy_j_std"),
                              {"energy", Unit::Joules, false, 2});
  }
  return body;
}

std::string loss_section(const json& c) {
  if (!c.contains("losses") || c["losses"].empty()) return "";
  std::vector<LineSeries> lines;
  for (const auto& curve : c["losses"]) {
    LineSeries s{curve["label"].get<std::string>(), {}};
    for (const auto& p : curve["points"])
      s.points.emplace_back(p[0].get<double>(), p[1].get<double>());
    lines.push_back(std::move(s));
  }
  std::string note;
  if (c["runs"].size() > c["losses"].size())
    note = "<p class=\"muted\">the first " + std::to_string(c["losses"].size()) + " runs</p>";
  return "<h2>Training loss</h2>" + note +
         line_chart(lines, {"epoch", "mean BCE loss", Unit::Count, Unit::None});
}

std::string quantity_select(const char* name, const std::string& chosen) {
  std::string s = std::string("<select name=\"") + name + "\">";
  for (const auto& q : run_quantities()) {
    s += "<option value=\"" + q.name + "\"" + (q.name == chosen ? " selected" : "") + ">" +
         escape(q.title) + "</option>";
  }
  return s + "</select>";
}

std::string scatter_section(const CompareView& v, const json& c) {
  const RunQuantity x = *find_run_quantity(v.x), y = *find_run_quantity(v.y);
  const auto series = c["series"].get<std::vector<std::string>>();
  std::vector<ScatterPoint> points;
  for (const auto& p : c["points"]) {
    const json& values = p["values"];
    if (!values.contains(x.name) || !values.contains(y.name)) continue;
    std::size_t si = 0;
    while (si < series.size() && series[si] != p["series"].get<std::string>()) ++si;
    points.push_back({values[x.name].get<double>(), values[y.name].get<double>(),
                      "run " + p["run"].dump() + " " + p["dataset"].get<std::string>() + " " +
                          p["series"].get<std::string>(),
                      si});
  }
  std::string form =
      "<form id=\"scatter-axes\" class=\"filters\" method=\"get\" "
      "action=\"/compare\">";
  if (v.experiment)
    form += "<input type=\"hidden\" name=\"experiment\" value=\"" + escape(*v.experiment) + "\">";
  if (v.runs) form += "<input type=\"hidden\" name=\"runs\" value=\"" + escape(*v.runs) + "\">";
  if (v.log_scale) form += "<input type=\"hidden\" name=\"scale\" value=\"log\">";
  form += "x " + quantity_select("x", v.x) + " y " + quantity_select("y", v.y) +
          "<button>plot</button></form>";
  const bool x_log = v.log_scale && (x.unit == Unit::Milliseconds || x.unit == Unit::Joules);
  return "<h2>" + escape(y.title) + " against " + escape(x.title) + "</h2>" + form +
         scatter_plot(points, {x.title, y.title, x.unit, y.unit, x_log, series});
}

// Parallel coordinates when the runs are a sweep: the parameters that vary, then accuracy.
std::string parallel_section(const json& c) {
  std::vector<ParallelAxis> axes;
  std::vector<std::string> names;
  for (const char* p : {"learning_rate", "momentum", "epochs", "batches", "seed"}) {
    std::set<double> seen;
    for (const auto& pt : c["points"]) {
      if (pt["values"].contains(p)) seen.insert(pt["values"][p].get<double>());
    }
    if (seen.size() > 1) {
      const auto q = *find_run_quantity(p);
      axes.push_back({q.title, q.unit, {}});
      names.push_back(p);
    }
  }
  if (axes.empty()) return "";
  const auto series = c["series"].get<std::vector<std::string>>();
  const auto datasets = c["datasets"].get<std::vector<std::string>>();
  if (series.size() > 1) axes.push_back({"resource/backend", Unit::None, series});
  if (datasets.size() > 1) axes.push_back({"dataset", Unit::None, datasets});
  axes.push_back({"test accuracy", Unit::Rate, {}});
  double lo = INFINITY, hi = -INFINITY;
  for (const auto& pt : c["points"]) {
    const double a = value_or_nan(pt["values"].value("accuracy", json(nullptr)));
    if (std::isfinite(a)) lo = std::min(lo, a), hi = std::max(hi, a);
  }
  const auto index_of = [](const std::vector<std::string>& list, const std::string& s) {
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (list[i] == s) return static_cast<double>(i);
    }
    return kNaN;
  };
  std::vector<ParallelLine> lines;
  for (const auto& pt : c["points"]) {
    ParallelLine l;
    for (const auto& n : names) l.values.push_back(value_or_nan(pt["values"].value(n, json())));
    if (series.size() > 1) l.values.push_back(index_of(series, pt["series"]));
    if (datasets.size() > 1) l.values.push_back(index_of(datasets, pt["dataset"]));
    const double a = value_or_nan(pt["values"].value("accuracy", json(nullptr)));
    l.values.push_back(a);
    l.colour = hi > lo ? (a - lo) / (hi - lo) : 1;
    l.label = "run " + pt["run"].dump() + ": accuracy " + number(a, 4);
    lines.push_back(std::move(l));
  }
  return "<h2>Sweep: parameters → accuracy</h2><p class=\"muted\">one line per run, red (worst) "
         "to blue (best)</p>" +
         parallel_coordinates(axes, lines);
}

// A parameter's value as cell text: strings as they are, other JSON cut to 80 characters.
std::string value_text(const json& v) {
  if (v.is_string()) return escape(v.get<std::string>());
  const std::string s = v.is_null() ? "-" : v.dump();
  return escape(s.size() > 80 ? s.substr(0, 77) + "..." : s);
}

// Every parameter of the runs, one column per run; those that differ first, highlighted.
std::string parameter_table(const json& parameters) {
  if (!parameters.is_object() || !parameters.contains("runs")) return "";
  std::string html = "<table id=\"parameters\"><tr><th>parameter</th>";
  for (const auto& r : parameters["runs"]) html += "<th>run " + text(r["id"]) + "</th>";
  html += "</tr>";
  const std::size_t n = parameters["runs"].size();
  for (const auto& [k, values] : parameters["parameters_that_differ"].items()) {
    html += "<tr class=\"differs\"><th>" + escape(k) + "</th>";
    for (std::size_t i = 0; i < n && i < values.size(); ++i)
      html += "<td>" + value_text(values[i]) + "</td>";
    html += "</tr>";
  }
  for (const auto& [k, value] : parameters["parameters_in_common"].items()) {
    html += "<tr class=\"same\"><th>" + escape(k) + "</th><td colspan=\"" + std::to_string(n) +
            "\">" + value_text(value) + "</td></tr>";
  }
  return html + "</table>";
}

}  // namespace

std::string compare_page(const CompareView& v, const json& c, const json& parameters) {
  std::string body = "<p>" + std::to_string(c["runs"].size()) +
                     " runs. Bars: mean over runs (seeds), whiskers: standard deviation. " +
                     download_links("/compare", runs_query(v)) + "</p>";
  body += bar_sections(v, c);
  body += "<h2>Table</h2>" + summary_table_html(c);
  body += loss_section(c);
  if (c.contains("scaling") && !c["scaling"].empty()) {
    std::vector<LineSeries> lines;
    for (const auto& [name, pts] : c["scaling"].items()) {
      LineSeries s{name, {}};
      for (const auto& p : pts) s.points.emplace_back(p[0].get<double>(), p[1].get<double>());
      lines.push_back(std::move(s));
    }
    body += "<h2>Training time against rows</h2>" +
            line_chart(lines, {"rows", "training time", Unit::Count, Unit::Milliseconds});
  }
  body += scatter_section(v, c);
  body += parallel_section(c);
  if (!parameters.is_null()) {
    body +=
        "<h2>Parameters</h2><p class=\"muted\">highlighted: what differs between the "
        "runs</p>" +
        parameter_table(parameters);
  }
  body += "<h2>Runs</h2>" + run_table(c["runs"], "compare-runs");
  return page(v.title, body);
}

}  // namespace dlaaw::reports
