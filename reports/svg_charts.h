// svg_charts.h - inline SVG charts for the report pages (no scripts, no external fonts).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/chart_axis.h"

namespace dlaaw::reports {

struct LineSeries {
  std::string name;
  std::vector<std::pair<double, double>> points;  // (x, y)
};

struct LineChartOptions {
  std::string x_title, y_title;
  Unit x_unit = Unit::Count;
  Unit y_unit = Unit::None;
};

// Lines (class "loss" on each polyline, data-series its name) with nice ticks and a legend.
// "no data" for no points.
std::string line_chart(const std::vector<LineSeries>& series, const LineChartOptions& options);

struct BarGroup {
  std::string label;           // x-axis group (a dataset)
  std::vector<double> values;  // one per series; NaN where the series has no value
  std::vector<double> errors;  // whiskers (std), same size as values
};

struct BarChartOptions {
  std::string y_title;
  Unit unit = Unit::None;  // Rate: the axis stops at 1 and whiskers are clipped there
  bool log_scale = false;  // for quantities spanning decades (training time)
  int digits = 3;          // decimals of data-value and the tooltips
};

// Grouped bars (class "bar", data-group/data-series/data-value) with error whiskers, nice ticks
// with units, and group labels that never overlap (see category_labels).
std::string grouped_bar_chart(const std::vector<std::string>& series,
                              const std::vector<BarGroup>& groups, const BarChartOptions& options);

// One horizontal bar split into named parts (the timing breakdown).
std::string stacked_bar(const std::vector<std::pair<std::string, double>>& parts,
                        const std::string& unit);

struct ScatterPoint {
  double x, y;
  std::string label;
  std::size_t series;  // index into ScatterOptions::series: the point's colour
};

struct ScatterOptions {
  std::string x_title, y_title;
  Unit x_unit = Unit::None, y_unit = Unit::None;
  bool x_log = false;
  std::vector<std::string> series;  // legend
};

// Points (class "point", data-series) coloured by series, with a legend.
std::string scatter_plot(const std::vector<ScatterPoint>& points, const ScatterOptions& options);

// One vertical axis of a parallel-coordinates chart: numeric, or categories placed evenly.
struct ParallelAxis {
  std::string name;
  Unit unit = Unit::None;
  std::vector<std::string> categories;  // empty: numeric
};

struct ParallelLine {
  std::vector<double> values;  // one per axis: the number, or the category's index
  std::string label;
  double colour = 0;  // 0..1 along the colour ramp (the outcome, e.g. accuracy, normalised)
};

// Sweep members as polylines across the axes (class "pc-line"), coloured from red (0) to blue
// (1). "no data" without at least two axes and one line.
std::string parallel_coordinates(const std::vector<ParallelAxis>& axes,
                                 const std::vector<ParallelLine>& lines);

// The network as a workflow: one box per layer task, linked left to right, ports labelled with
// the widths flowing between them (`network` is the document's "network" array).
std::string network_diagram(const nlohmann::json& network);

}  // namespace dlaaw::reports
