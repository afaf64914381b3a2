// parallel_chart.cpp - parallel coordinates: a sweep's parameters leading to its outcome.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "reports/html.h"
#include "reports/svg_charts.h"
#include "reports/svg_frame.h"

namespace dlaaw::reports {
namespace {

constexpr double kTop = 34, kBottom = 270;

// Red (worst) to blue (best), through grey, so that neither end reads as "missing".
std::string ramp(double t) {
  t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0);
  const double from[3] = {211, 47, 47}, mid[3] = {158, 158, 158}, to[3] = {21, 101, 192};
  const double* a = t < 0.5 ? from : mid;
  const double* b = t < 0.5 ? mid : to;
  const double u = t < 0.5 ? t * 2 : (t - 0.5) * 2;
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", static_cast<int>(a[0] + (b[0] - a[0]) * u),
                static_cast<int>(a[1] + (b[1] - a[1]) * u),
                static_cast<int>(a[2] + (b[2] - a[2]) * u));
  return buf;
}

// Where value `v` of axis `a` sits vertically; numeric axes use `scale`.
double place(const ParallelAxis& a, const Scale& scale, double v) {
  if (a.categories.empty()) return scale(v);
  const double n = static_cast<double>(a.categories.size());
  return n <= 1 ? (kTop + kBottom) / 2 : kBottom - v / (n - 1) * (kBottom - kTop);
}

std::string draw_axis(const ParallelAxis& a, const Scale& scale, double x) {
  std::string s = "<line class=\"pc-axis\" x1=\"" + px(x) + "\" x2=\"" + px(x) + "\" y1=\"" +
                  px(kTop) + "\" y2=\"" + px(kBottom) + "\" stroke=\"#333\"/>";
  const std::string shown = shorten(a.name, 18);
  s += "<text class=\"pc-name\" x=\"" + px(x) +
       "\" y=\"18\" text-anchor=\"middle\" "
       "font-weight=\"bold\">" +
       escape(shown) + (shown == a.name ? "" : "<title>" + escape(a.name) + "</title>") + "</text>";
  const auto tick = [&](double y, const std::string& label) {
    s += "<text x=\"" + px(x - 5) + "\" y=\"" + px(y + 4) +
         "\" text-anchor=\"end\" "
         "fill=\"#555\">" +
         escape(label) + "</text>";
  };
  if (a.categories.empty()) {
    for (double t : scale.axis.ticks) tick(scale(t), tick_label(t, scale.axis));
  } else {
    for (std::size_t i = 0; i < a.categories.size(); ++i)
      tick(place(a, scale, static_cast<double>(i)), shorten(a.categories[i], 14));
  }
  return s;
}

}  // namespace

std::string parallel_coordinates(const std::vector<ParallelAxis>& axes,
                                 const std::vector<ParallelLine>& lines) {
  if (axes.size() < 2 || lines.empty()) return "<p class=\"muted\">no data</p>";
  const double gap = 140, left = 90;
  const int w = static_cast<int>(left + gap * (axes.size() - 1) + 60), h = 290;
  std::vector<Scale> scales;
  for (std::size_t i = 0; i < axes.size(); ++i) {
    double lo = INFINITY, hi = -INFINITY;
    for (const auto& l : lines) {
      if (i < l.values.size() && std::isfinite(l.values[i]))
        lo = std::min(lo, l.values[i]), hi = std::max(hi, l.values[i]);
    }
    scales.push_back(Scale{make_axis(lo, hi, axes[i].unit, false), kBottom, kTop});
  }
  std::string s = svg_open(w, h, "parallel");
  for (const auto& l : lines) {
    std::string pts;
    for (std::size_t i = 0; i < axes.size() && i < l.values.size(); ++i) {
      if (!std::isfinite(l.values[i])) continue;  // a member without this value skips the axis
      pts += px(left + gap * i) + "," + px(place(axes[i], scales[i], l.values[i])) + " ";
    }
    s += "<polyline class=\"pc-line\" fill=\"none\" stroke=\"" + ramp(l.colour) +
         "\" stroke-width=\"1.5\" stroke-opacity=\"0.75\" points=\"" + pts + "\"><title>" +
         escape(l.label) + "</title></polyline>";
  }
  for (std::size_t i = 0; i < axes.size(); ++i) s += draw_axis(axes[i], scales[i], left + gap * i);
  return s + "</svg>";
}

}  // namespace dlaaw::reports
