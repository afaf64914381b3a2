// svg_frame.cpp - scales, frames, legends and category labels as SVG text.
#include "reports/svg_frame.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "reports/html.h"

namespace dlaaw::reports {
namespace {

constexpr const char* kPalette[] = {"#1e88e5", "#e53935", "#43a047", "#fb8c00",
                                    "#8e24aa", "#00897b", "#6d4c41", "#546e7a"};

constexpr double kPi = 3.14159265358979323846;
constexpr double kLineHeight = 14;     // an 11 px line with its leading
constexpr std::size_t kMaxLabel = 18;  // characters of a turned label before it is cut
constexpr std::size_t kMaxLegend = 24;

// A tick's value as data (for tests and tools), independent of its label's unit.
std::string plain(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  return buf;
}

std::string title_if_cut(const std::string& shown, const std::string& full) {
  return shown == full ? "" : "<title>" + escape(full) + "</title>";
}

}  // namespace

const char* palette(std::size_t i) { return kPalette[i % 8]; }

std::string shorten(const std::string& text, std::size_t n) {
  std::size_t chars = 0, i = 0;
  while (i < text.size() && chars < n) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    ++chars;
  }
  return i >= text.size() ? text : text.substr(0, i) + "…";
}

std::string px(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

double Scale::operator()(double v) const {
  if (std::isnan(v)) v = axis.lo;
  v = std::clamp(v, axis.lo, axis.hi);
  double t = 0;
  if (axis.log) {
    t = (std::log10(v) - std::log10(axis.lo)) / (std::log10(axis.hi) - std::log10(axis.lo));
  } else {
    t = (v - axis.lo) / (axis.hi - axis.lo);
  }
  return from + t * (to - from);
}

std::string svg_open(int width, int height, const std::string& css_class) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"" + css_class + "\" width=\"" +
         std::to_string(width) + "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " +
         std::to_string(width) + " " + std::to_string(height) +
         "\" font-family=\"sans-serif\" font-size=\"11\">";
}

std::string chart_frame(const Scale& x, const Scale& y, const std::string& x_title,
                        const std::string& y_title, bool x_ticks, double title_y) {
  std::string s = "<line x1=\"" + px(x.from) + "\" y1=\"" + px(y.from) + "\" x2=\"" + px(x.to) +
                  "\" y2=\"" + px(y.from) + "\" stroke=\"#333\"/><line x1=\"" + px(x.from) +
                  "\" y1=\"" + px(y.from) + "\" x2=\"" + px(x.from) + "\" y2=\"" + px(y.to) +
                  "\" stroke=\"#333\"/>";
  for (double v : y.axis.ticks) {
    const double py = y(v);
    s += "<line x1=\"" + px(x.from - 4) + "\" y1=\"" + px(py) + "\" x2=\"" + px(x.to) + "\" y2=\"" +
         px(py) + "\" stroke=\"#eee\"/><text class=\"y-tick\" data-value=\"" + plain(v) +
         "\" x=\"" + px(x.from - 6) + "\" y=\"" + px(py + 4) + "\" text-anchor=\"end\">" +
         escape(tick_label(v, y.axis)) + "</text>";
  }
  if (x_ticks) {
    for (double v : x.axis.ticks) {
      s += "<line x1=\"" + px(x(v)) + "\" y1=\"" + px(y.from) + "\" x2=\"" + px(x(v)) + "\" y2=\"" +
           px(y.from + 4) + "\" stroke=\"#333\"/><text class=\"x-tick\" x=\"" + px(x(v)) +
           "\" y=\"" + px(y.from + 16) + "\" text-anchor=\"middle\">" +
           escape(tick_label(v, x.axis)) + "</text>";
    }
  }
  const double mid_y = (y.from + y.to) / 2;
  s += "<text class=\"x-title\" x=\"" + px((x.from + x.to) / 2) + "\" y=\"" + px(title_y) +
       "\" text-anchor=\"middle\">" + escape(x_title) +
       "</text><text class=\"y-title\" x=\"12\" y=\"" + px(mid_y) +
       "\" text-anchor=\"middle\" transform=\"rotate(-90 12 " + px(mid_y) + ")\">" +
       escape(y_title) + "</text>";
  return s;
}

std::string legend(const std::vector<std::string>& names, double x, double y) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const double ly = y + kLineHeight * i;
    const std::string shown = shorten(names[i], kMaxLegend);
    s += "<rect x=\"" + px(x) + "\" y=\"" + px(ly - 9) + "\" width=\"10\" height=\"10\" fill=\"" +
         palette(i) + "\"/><text class=\"legend\" x=\"" + px(x + 14) + "\" y=\"" + px(ly) + "\">" +
         escape(shown) + title_if_cut(shown, names[i]) + "</text>";
  }
  return s;
}

double text_width(const std::string& text) {
  double w = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) == 0x80) continue;  // a UTF-8 continuation byte: counted with its lead
    w += std::isupper(c) || c == 'm' || c == 'w' || c >= 0x80 ? 9.0 : 7.0;
  }
  return w;
}

CategoryLabels category_labels(const std::vector<std::string>& labels,
                               const std::vector<double>& centres, double slot, double y) {
  CategoryLabels out{"", 0, 0};
  if (labels.empty()) return out;
  double widest = 0;
  for (const auto& l : labels) widest = std::max(widest, text_width(l));
  // Horizontal labels fit when the widest is narrower than its slot.
  if (widest + 6 <= slot) {
    for (std::size_t i = 0; i < labels.size(); ++i) {
      out.svg += "<text class=\"x-label\" x=\"" + px(centres[i]) + "\" y=\"" + px(y + 16) +
                 "\" text-anchor=\"middle\">" + escape(labels[i]) + "</text>";
    }
    out.height = 20;
    out.left_overhang = text_width(labels[0]) / 2;
    return out;
  }
  // Turned labels are parallel strips kLineHeight thick: neighbours `slot * every` apart do not
  // touch when that distance times sin(angle) is at least kLineHeight.
  const double degrees = slot * std::sin(40 * kPi / 180) >= kLineHeight + 1 ? 40 : 90;
  const double rad = degrees * kPi / 180;
  const std::size_t every =
      static_cast<std::size_t>(std::ceil((kLineHeight + 1) / (slot * std::sin(rad))));
  double longest = 0;
  for (std::size_t i = 0; i < labels.size(); i += std::max<std::size_t>(1, every)) {
    const std::string shown = shorten(labels[i], kMaxLabel);
    longest = std::max(longest, text_width(shown));
    const double ax = centres[i] + 4, ay = y + 10;
    out.svg += "<text class=\"x-label\" data-full=\"" + escape(labels[i]) + "\" x=\"" + px(ax) +
               "\" y=\"" + px(ay) + "\" text-anchor=\"end\" transform=\"rotate(-" + px(degrees) +
               " " + px(ax) + " " + px(ay) + ")\">" + escape(shown) +
               title_if_cut(shown, labels[i]) + "</text>";
    if (i == 0) out.left_overhang = text_width(shown) * std::cos(rad);
  }
  out.height = 14 + longest * std::sin(rad) + kLineHeight * std::cos(rad);
  return out;
}

}  // namespace dlaaw::reports
