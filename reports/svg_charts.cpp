// svg_charts.cpp - scales, axes and shapes as SVG text.
#include "reports/svg_charts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "reports/html.h"

namespace dlaaw::reports {
namespace {

constexpr const char* kPalette[] = {"#1e88e5", "#e53935", "#43a047", "#fb8c00",
                                    "#8e24aa", "#00897b", "#6d4c41", "#546e7a"};

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// Short tick text: 3 significant digits.
std::string tick(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

// Maps data to pixels inside a plot area.
struct Scale {
  double lo, hi;
  double from, to;
  bool log = false;
  double operator()(double v) const {
    if (log) {
      const double l = std::log10(std::max(v, 1e-12));
      return from + (l - std::log10(lo)) / (std::log10(hi) - std::log10(lo)) * (to - from);
    }
    return from + (v - lo) / (hi - lo) * (to - from);
  }
};

std::string svg_open(int w, int h, const std::string& cls) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"" + cls + "\" width=\"" +
         std::to_string(w) + "\" height=\"" + std::to_string(h) + "\" viewBox=\"0 0 " +
         std::to_string(w) + " " + std::to_string(h) +
         "\" font-family=\"sans-serif\" font-size=\"11\">";
}

std::string axes(const Scale& x, const Scale& y, const std::string& x_label,
                 const std::string& y_label, bool x_ticks, int w, int h) {
  std::string s = "<line x1=\"" + fmt(x.from) + "\" y1=\"" + fmt(y.from) + "\" x2=\"" + fmt(x.to) +
                  "\" y2=\"" + fmt(y.from) + "\" stroke=\"#333\"/><line x1=\"" + fmt(x.from) +
                  "\" y1=\"" + fmt(y.from) + "\" x2=\"" + fmt(x.from) + "\" y2=\"" + fmt(y.to) +
                  "\" stroke=\"#333\"/>";
  for (int i = 0; i <= 4; ++i) {
    double v =
        y.log ? std::pow(10.0, std::log10(y.lo) + i * (std::log10(y.hi) - std::log10(y.lo)) / 4)
              : y.lo + i * (y.hi - y.lo) / 4;
    const double py = y(v);
    s += "<line x1=\"" + fmt(x.from - 4) + "\" y1=\"" + fmt(py) + "\" x2=\"" + fmt(x.to) +
         "\" y2=\"" + fmt(py) + "\" stroke=\"#eee\"/><text x=\"" + fmt(x.from - 6) + "\" y=\"" +
         fmt(py + 4) + "\" text-anchor=\"end\">" + tick(v) + "</text>";
    if (x_ticks) {
      const double xv = x.lo + i * (x.hi - x.lo) / 4;
      s += "<text x=\"" + fmt(x(xv)) + "\" y=\"" + fmt(y.from + 14) + "\" text-anchor=\"middle\">" +
           tick(xv) + "</text>";
    }
  }
  s += "<text x=\"" + fmt((x.from + x.to) / 2) + "\" y=\"" + std::to_string(h - 4) +
       "\" text-anchor=\"middle\">" + escape(x_label) + "</text><text x=\"12\" y=\"" +
       fmt((y.from + y.to) / 2) + "\" text-anchor=\"middle\" transform=\"rotate(-90 12 " +
       fmt((y.from + y.to) / 2) + ")\">" + escape(y_label) + "</text>";
  (void)w;
  return s;
}

std::string legend(const std::vector<std::string>& names, double x, double y) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const double ly = y + 14.0 * i;
    s += "<rect x=\"" + fmt(x) + "\" y=\"" + fmt(ly - 9) + "\" width=\"10\" height=\"10\" fill=\"" +
         kPalette[i % 8] + "\"/><text x=\"" + fmt(x + 14) + "\" y=\"" + fmt(ly) + "\">" +
         escape(names[i]) + "</text>";
  }
  return s;
}

}  // namespace

std::string line_chart(const std::vector<LineSeries>& series, const std::string& x_label,
                       const std::string& y_label) {
  const int w = 680, h = 300;
  double x_lo = std::numeric_limits<double>::max(), x_hi = -x_lo, y_lo = x_lo, y_hi = -x_lo;
  for (const auto& s : series) {
    for (const auto& [x, y] : s.points) {
      x_lo = std::min(x_lo, x), x_hi = std::max(x_hi, x), y_lo = std::min(y_lo, y),
      y_hi = std::max(y_hi, y);
    }
  }
  if (x_lo > x_hi) return "<p class=\"muted\">no data</p>";
  if (x_hi == x_lo) x_hi = x_lo + 1;
  if (y_hi == y_lo) y_hi = y_lo + 1;
  y_lo = std::min(0.0, y_lo);
  const Scale x{x_lo, x_hi, 60, w - 150.0}, y{y_lo, y_hi, h - 40.0, 14};
  std::string s = svg_open(w, h, "line-chart") + axes(x, y, x_label, y_label, true, w, h);
  std::vector<std::string> names;
  for (std::size_t i = 0; i < series.size(); ++i) {
    std::string pts;
    // Long curves are thinned to ~600 points: a pixel cannot show more.
    const std::size_t step = std::max<std::size_t>(1, series[i].points.size() / 600);
    for (std::size_t k = 0; k < series[i].points.size(); k += step) {
      pts += fmt(x(series[i].points[k].first)) + "," + fmt(y(series[i].points[k].second)) + " ";
    }
    s += "<polyline class=\"loss\" data-series=\"" + escape(series[i].name) +
         "\" fill=\"none\" stroke=\"" + kPalette[i % 8] + "\" stroke-width=\"1.5\" points=\"" +
         pts + "\"/>";
    names.push_back(series[i].name);
  }
  return s + legend(names, w - 140.0, 24) + "</svg>";
}

std::string grouped_bar_chart(const std::vector<std::string>& series,
                              const std::vector<BarGroup>& groups, const std::string& y_label,
                              bool log_scale, int digits) {
  const int w = std::max(420,
                         80 + static_cast<int>(groups.size() * (series.size() * 22 + 30)) + 160),
            h = 320;
  double hi = 0, lo = std::numeric_limits<double>::max();
  for (const auto& g : groups) {
    for (std::size_t i = 0; i < g.values.size(); ++i) {
      if (std::isnan(g.values[i])) continue;
      hi = std::max(hi, g.values[i] + (std::isnan(g.errors[i]) ? 0 : g.errors[i]));
      lo = std::min(lo, g.values[i]);
    }
  }
  if (hi <= 0) return "<p class=\"muted\">no data</p>";
  const Scale y = log_scale ? Scale{std::max(1e-3, lo / 2), hi * 2, h - 50.0, 14, true}
                            : Scale{0, hi * 1.05, h - 50.0, 14};
  const Scale x{0, 1, 60, w - 160.0};
  std::string s = svg_open(w, h, "bar-chart") + axes(x, y, "", y_label, false, w, h);
  const double group_width = (x.to - x.from) / std::max<std::size_t>(1, groups.size());
  const double bar = std::min(22.0, (group_width - 16) / std::max<std::size_t>(1, series.size()));
  for (std::size_t gi = 0; gi < groups.size(); ++gi) {
    const auto& g = groups[gi];
    const double gx = x.from + gi * group_width + 8;
    for (std::size_t si = 0; si < g.values.size(); ++si) {
      if (std::isnan(g.values[si])) continue;
      const double bx = gx + si * bar, top = y(g.values[si]);
      s += "<rect class=\"bar\" data-group=\"" + escape(g.label) + "\" data-series=\"" +
           escape(series[si]) + "\" data-value=\"" + number(g.values[si], digits) + "\" x=\"" +
           fmt(bx) + "\" y=\"" + fmt(top) + "\" width=\"" + fmt(bar - 2) + "\" height=\"" +
           fmt(y.from - top) + "\" fill=\"" + kPalette[si % 8] + "\"><title>" + escape(g.label) +
           " / " + escape(series[si]) + ": " + number(g.values[si], digits) +
           (std::isnan(g.errors[si]) ? "" : " ± " + number(g.errors[si], digits)) +
           "</title></rect>";
      if (!std::isnan(g.errors[si]) && g.errors[si] > 0) {
        const double cx = bx + (bar - 2) / 2;
        s += "<line class=\"whisker\" x1=\"" + fmt(cx) + "\" x2=\"" + fmt(cx) + "\" y1=\"" +
             fmt(y(std::max(g.values[si] - g.errors[si], log_scale ? y.lo : 0.0))) + "\" y2=\"" +
             fmt(y(g.values[si] + g.errors[si])) + "\" stroke=\"#222\"/>";
      }
    }
    s += "<text x=\"" + fmt(gx + bar * g.values.size() / 2) + "\" y=\"" + fmt(y.from + 16) +
         "\" text-anchor=\"middle\">" + escape(g.label) + "</text>";
  }
  return s + legend(series, w - 150.0, 24) + "</svg>";
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
    s += "<rect class=\"timing\" data-part=\"" + escape(parts[i].first) + "\" x=\"" + fmt(x) +
         "\" y=\"8\" width=\"" + fmt(width) + "\" height=\"18\" fill=\"" + kPalette[i % 8] +
         "\"><title>" + escape(parts[i].first) + ": " + number(parts[i].second, 1) + " " +
         escape(unit) + "</title></rect>";
    x += width;
    s += "<rect x=\"10\" y=\"" + std::to_string(36 + 16 * static_cast<int>(i)) +
         "\" width=\"10\" height=\"10\" fill=\"" + kPalette[i % 8] + "\"/><text x=\"26\" y=\"" +
         std::to_string(45 + 16 * static_cast<int>(i)) + "\">" + escape(parts[i].first) + ": " +
         number(parts[i].second, 1) + " " + escape(unit) + "</text>";
  }
  return s + "</svg>";
}

std::string scatter_plot(const std::vector<ScatterPoint>& points, const std::string& x_label,
                         const std::string& y_label) {
  if (points.empty()) return "<p class=\"muted\">no data</p>";
  const int w = 520, h = 300;
  double x_lo = points[0].x, x_hi = x_lo, y_lo = points[0].y, y_hi = y_lo;
  for (const auto& p : points) {
    x_lo = std::min(x_lo, p.x), x_hi = std::max(x_hi, p.x), y_lo = std::min(y_lo, p.y),
    y_hi = std::max(y_hi, p.y);
  }
  if (x_hi == x_lo) x_hi += 1, x_lo -= 1;
  if (y_hi == y_lo) y_hi += 0.01, y_lo -= 0.01;
  const Scale x{x_lo, x_hi, 60, w - 20.0}, y{y_lo, y_hi, h - 40.0, 14};
  std::string s = svg_open(w, h, "scatter") + axes(x, y, x_label, y_label, true, w, h);
  for (const auto& p : points) {
    s += "<circle class=\"point\" cx=\"" + fmt(x(p.x)) + "\" cy=\"" + fmt(y(p.y)) +
         "\" r=\"4\" fill=\"#1e88e5\" "
         "fill-opacity=\"0.7\"><title>" +
         escape(p.label) + "</title></circle>";
  }
  return s + "</svg>";
}

std::string network_diagram(const nlohmann::json& network) {
  if (!network.is_array() || network.empty()) return "<p class=\"muted\">no network</p>";
  const int box_w = 96, box_h = 46, gap = 46;
  const int w = 20 + static_cast<int>(network.size()) * (box_w + gap) + 40, h = 110;
  std::string s = svg_open(w, h, "network");
  int width = network[0].value("in", 0);
  s += "<text x=\"8\" y=\"30\">in " + std::to_string(width) + "</text>";
  for (std::size_t i = 0; i < network.size(); ++i) {
    const auto& layer = network[i];
    const std::string type = layer.value("type", std::string("?"));
    const int x = 30 + static_cast<int>(i) * (box_w + gap);
    const int in = type == "Linear" ? layer.value("in", 0) : width;
    const int out = type == "Linear" ? layer.value("out", 0) : width;
    width = out;
    const std::string fill = type == "Linear" ? "#e3f2fd" : "#f1f8e9";
    s += "<g class=\"task\" data-type=\"" + escape(type) + "\"><rect x=\"" + std::to_string(x) +
         "\" y=\"30\" rx=\"6\" width=\"" + std::to_string(box_w) + "\" height=\"" +
         std::to_string(box_h) + "\" fill=\"" + fill + "\" stroke=\"#455a64\"/><text x=\"" +
         std::to_string(x + box_w / 2) +
         "\" y=\"50\" text-anchor=\"middle\" "
         "font-weight=\"bold\">" +
         escape(type) + "</text><text x=\"" + std::to_string(x + box_w / 2) +
         "\" y=\"66\" text-anchor=\"middle\">" +
         (type == "Linear" ? std::to_string(in) + " → " + std::to_string(out)
                           : "task " + std::to_string(i)) +
         "</text>";
    // Ports: input on the left, output on the right, labelled with the width that flows.
    s += "<circle class=\"port in\" cx=\"" + std::to_string(x) +
         "\" cy=\"53\" r=\"4\" fill=\"#455a64\"/>"
         "<circle class=\"port out\" cx=\"" +
         std::to_string(x + box_w) +
         "\" cy=\"53\" r=\"4\" fill=\"#455a64\"/>"
         "<text class=\"port-label\" x=\"" +
         std::to_string(x + box_w + 4) + "\" y=\"46\">" + std::to_string(out) + "</text></g>";
    if (i + 1 < network.size()) {
      s += "<line x1=\"" + std::to_string(x + box_w + 4) + "\" y1=\"53\" x2=\"" +
           std::to_string(x + box_w + gap - 4) +
           "\" y2=\"53\" stroke=\"#455a64\" marker-end=\"url(#arrow)\"/>";
    }
  }
  s += "<defs><marker id=\"arrow\" markerWidth=\"8\" markerHeight=\"8\" refX=\"6\" refY=\"3\" "
       "orient=\"auto\">"
       "<path d=\"M0,0 L6,3 L0,6 z\" fill=\"#455a64\"/></marker></defs>";
  return s + "</svg>";
}

}  // namespace dlaaw::reports
