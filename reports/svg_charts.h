// svg_charts.h - inline SVG charts for the report pages (no scripts, no external fonts).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace dlaaw::reports {

struct LineSeries {
  std::string name;
  std::vector<std::pair<double, double>> points;  // (x, y)
};

// Lines (class "loss" on each polyline) with axes, ticks and a legend.
std::string line_chart(const std::vector<LineSeries>& series, const std::string& x_label,
                       const std::string& y_label);

struct BarGroup {
  std::string label;           // x-axis group (a dataset)
  std::vector<double> values;  // one per series; NaN where the series has no value
  std::vector<double> errors;  // whiskers (std), same size as values
};

// Grouped bars (class "bar", data-group/data-series/data-value) with error whiskers; `log_scale`
// for quantities spanning decades (training time).
std::string grouped_bar_chart(const std::vector<std::string>& series,
                              const std::vector<BarGroup>& groups, const std::string& y_label,
                              bool log_scale, int digits);

// One horizontal bar split into named parts (the timing breakdown).
std::string stacked_bar(const std::vector<std::pair<std::string, double>>& parts,
                        const std::string& unit);

struct ScatterPoint {
  double x, y;
  std::string label;
};

// Points (class "point") of a parameter against accuracy.
std::string scatter_plot(const std::vector<ScatterPoint>& points, const std::string& x_label,
                         const std::string& y_label);

// The network as a workflow: one box per layer task, linked left to right, ports labelled with
// the widths flowing between them (`network` is the document's "network" array).
std::string network_diagram(const nlohmann::json& network);

}  // namespace dlaaw::reports
