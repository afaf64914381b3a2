// svg_charts.cpp - line, grouped bar, stacked bar and scatter charts as SVG text.
#include "reports/svg_charts.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "reports/html.h"
#include "reports/svg_frame.h"

namespace dlaaw::reports {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Room the legend needs right of the plot.
double legend_width(const std::vector<std::string>& names) {
  double w = 0;
  for (const auto& n : names) w = std::max(w, text_width(n.substr(0, 26)));
  return std::clamp(w + 30, 110.0, 220.0);
}

struct Extent {
  double lo = kInf, hi = -kInf;
  void add(double v) {
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  }
  bool empty() const { return lo > hi; }
};

}  // namespace

std::string line_chart(const std::vector<LineSeries>& series, const LineChartOptions& o) {
  Extent xs, ys;
  std::vector<std::string> names;
  for (const auto& s : series) {
    for (const auto& [x, y] : s.points) xs.add(x), ys.add(y);
    names.push_back(s.name);
  }
  if (xs.empty() || ys.empty()) return "<p class=\"muted\">no data</p>";
  const double right = legend_width(names);
  const int w = 560 + static_cast<int>(right);
  const int h = std::max(300, 40 + 14 * static_cast<int>(series.size()));
  const Scale x{make_axis(xs.lo, xs.hi, o.x_unit, false), 64, w - right - 10};
  const Scale y{make_axis(std::min(0.0, ys.lo), ys.hi, o.y_unit, true), h - 44.0, 14};
  std::string s =
      svg_open(w, h, "line-chart") + chart_frame(x, y, o.x_title, o.y_title, true, h - 6.0);
  for (std::size_t i = 0; i < series.size(); ++i) {
    std::string pts;
    // Long curves are thinned to ~600 points: a pixel cannot show more.
    const std::size_t step = std::max<std::size_t>(1, series[i].points.size() / 600);
    for (std::size_t k = 0; k < series[i].points.size(); k += step) {
      const auto& [px_, py_] = series[i].points[k];
      if (std::isfinite(px_) && std::isfinite(py_)) pts += px(x(px_)) + "," + px(y(py_)) + " ";
    }
    s += "<polyline class=\"loss\" data-series=\"" + escape(series[i].name) +
         "\" fill=\"none\" stroke=\"" + palette(i) + "\" stroke-width=\"1.5\" points=\"" + pts +
         "\"/>";
  }
  return s + legend(names, w - right + 4, 24) + "</svg>";
}

std::string grouped_bar_chart(const std::vector<std::string>& series,
                              const std::vector<BarGroup>& groups, const BarChartOptions& o) {
  Extent values;  // value - error and value + error, for the axis
  for (const auto& g : groups) {
    for (std::size_t i = 0; i < g.values.size(); ++i) {
      if (std::isnan(g.values[i])) continue;
      const double e = std::isnan(g.errors[i]) ? 0 : g.errors[i];
      values.add(g.values[i]);
      values.add(g.values[i] + e);
    }
  }
  if (values.empty() || (o.log_scale && values.hi <= 0)) return "<p class=\"muted\">no data</p>";
  const Axis axis = o.log_scale ? make_axis(values.lo, values.hi, o.unit, false, true)
                                : make_axis(0, values.hi, o.unit, true);
  // Each group gets room for its bars; a very wide chart squeezes the groups instead.
  const double n = static_cast<double>(std::max<std::size_t>(1, groups.size()));
  const double slot = std::min(series.size() * 22.0 + 30, 1600 / n);
  const double bar = std::min(22.0, (slot - 8) / std::max<std::size_t>(1, series.size()));
  std::vector<std::string> labels;
  std::vector<double> centres;
  for (std::size_t gi = 0; gi < groups.size(); ++gi) {
    labels.push_back(groups[gi].label);
    centres.push_back(gi * slot + slot / 2);
  }
  const double plot_bottom = 274;
  CategoryLabels names = category_labels(labels, centres, slot, plot_bottom);
  const double left = std::max(64.0, names.left_overhang - slot / 2 + 8);
  const double right = legend_width(series);
  const int w = static_cast<int>(left + std::max(300.0, n * slot) + right + 10);
  const int h = static_cast<int>(plot_bottom + names.height + 8);
  const Scale x{make_axis(0, 1, Unit::None, false), left, w - right - 10};
  const Scale y{axis, plot_bottom, 14};
  std::string s = svg_open(w, h, "bar-chart") + chart_frame(x, y, "", o.y_title, false, h - 4.0);
  s += "<g transform=\"translate(" + px(left) + " 0)\">" + names.svg + "</g>";
  for (std::size_t gi = 0; gi < groups.size(); ++gi) {
    const auto& g = groups[gi];
    const double gx = left + gi * slot + (slot - bar * g.values.size()) / 2;
    for (std::size_t si = 0; si < g.values.size(); ++si) {
      if (std::isnan(g.values[si])) continue;
      const double bx = gx + si * bar, top = y(g.values[si]);
      const bool whisker = !std::isnan(g.errors[si]) && g.errors[si] > 0;
      s += "<rect class=\"bar\" data-group=\"" + escape(g.label) + "\" data-series=\"" +
           escape(series[si]) + "\" data-value=\"" + number(g.values[si], o.digits) + "\" x=\"" +
           px(bx) + "\" y=\"" + px(top) + "\" width=\"" + px(bar - 2) + "\" height=\"" +
           px(y.from - top) + "\" fill=\"" + palette(si) + "\"><title>" + escape(g.label) + " / " +
           escape(series[si]) + ": " + number(g.values[si], o.digits) +
           (whisker ? " ± " + number(g.errors[si], o.digits) : "") + "</title></rect>";
      if (whisker) {  // the scale holds both ends inside the axis (a rate's at 1)
        const double cx = bx + (bar - 2) / 2;
        s += "<line class=\"whisker\" x1=\"" + px(cx) + "\" x2=\"" + px(cx) + "\" y1=\"" +
             px(y(g.values[si] - g.errors[si])) + "\" y2=\"" + px(y(g.values[si] + g.errors[si])) +
             "\" stroke=\"#222\"/>";
      }
    }
  }
  return s + legend(series, w - right, 24) + "</svg>";
}

std::string stacked_bar(const std::vector<std::pair<std::string, double>>& parts,
                        const std::string& unit) {
  double total = 0;
  for (const auto& [name, v] : parts) total += std::max(0.0, v);
  if (total <= 0) return "<p class=\"muted\">no timings</p>";
  const int w = 680, h = 40 + 16 * static_cast<int>(parts.size());
  std::string s = svg_open(w, h, "timing-bar");
  double x = 10;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const double width = std::max(0.0, parts[i].second) / total * (w - 20);
    s += "<rect class=\"timing\" data-part=\"" + escape(parts[i].first) + "\" x=\"" + px(x) +
         "\" y=\"8\" width=\"" + px(width) + "\" height=\"18\" fill=\"" + palette(i) +
         "\"><title>" + escape(parts[i].first) + ": " + number(parts[i].second, 1) + " " +
         escape(unit) + "</title></rect>";
    x += width;
    s += "<rect x=\"10\" y=\"" + std::to_string(36 + 16 * static_cast<int>(i)) +
         "\" width=\"10\" height=\"10\" fill=\"" + palette(i) + "\"/><text x=\"26\" y=\"" +
         std::to_string(45 + 16 * static_cast<int>(i)) + "\">" + escape(parts[i].first) + ": " +
         number(parts[i].second, 1) + " " + escape(unit) + "</text>";
  }
  return s + "</svg>";
}

std::string scatter_plot(const std::vector<ScatterPoint>& points, const ScatterOptions& o) {
  Extent xs, ys;
  for (const auto& p : points) {
    if (o.x_log && p.x <= 0) continue;
    xs.add(p.x), ys.add(p.y);
  }
  if (xs.empty() || ys.empty()) return "<p class=\"muted\">no data</p>";
  const double right = legend_width(o.series);
  const int w = 560 + static_cast<int>(right), h = 320;
  const Scale x{make_axis(xs.lo, xs.hi, o.x_unit, false, o.x_log), 64, w - right - 16};
  const Scale y{make_axis(ys.lo, ys.hi, o.y_unit, false), h - 44.0, 14};
  std::string s =
      svg_open(w, h, "scatter") + chart_frame(x, y, o.x_title, o.y_title, true, h - 6.0);
  for (const auto& p : points) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y) || (o.x_log && p.x <= 0)) continue;
    const std::string series = p.series < o.series.size() ? o.series[p.series] : "";
    s += "<circle class=\"point\" data-series=\"" + escape(series) + "\" cx=\"" + px(x(p.x)) +
         "\" cy=\"" + px(y(p.y)) + "\" r=\"5\" fill=\"" + palette(p.series) +
         "\" stroke=\"#fff\" stroke-width=\"1\"><title>" + escape(p.label) + "</title></circle>";
  }
  return s + legend(o.series, w - right, 24) + "</svg>";
}

}  // namespace dlaaw::reports
