// svg_frame.h - what every SVG chart of the report shares: the palette, pixel scales on an Axis,
// the frame with ticks and titles, legends, and category labels that never overlap.
#pragma once

#include <string>
#include <vector>

#include "reports/chart_axis.h"

namespace dlaaw::reports {

// The colour of series `i` (eight, then repeating).
const char* palette(std::size_t i);

// "12.3": one decimal, for coordinates.
std::string px(double v);

// Maps values on `axis` to pixels from `from` to `to`; values outside the axis are held at its
// ends, so that nothing is drawn outside the frame.
struct Scale {
  Axis axis;
  double from, to;
  double operator()(double v) const;
};

std::string svg_open(int width, int height, const std::string& css_class);

// Axis lines, the y ticks with grid lines and labels (class "y-tick"), the x ticks when
// `x_ticks` (class "x-tick"), and both titles. `title_y` is where the x title's baseline goes.
std::string chart_frame(const Scale& x, const Scale& y, const std::string& x_title,
                        const std::string& y_title, bool x_ticks, double title_y);

// A colour key, one row per name from (x, y) down; long names are cut with their full text as
// a tooltip.
std::string legend(const std::vector<std::string>& names, double x, double y);

// The first `n` characters of UTF-8 `text` (never splitting one), with "…" when it was cut.
std::string shorten(const std::string& text, std::size_t n);

// Approximate width in pixels of `text` at the charts' 11 px sans-serif (DejaVu Sans-like
// metrics, on the wide side so that estimates never understate).
double text_width(const std::string& text);

// Labels of evenly spaced categories (x-axis groups), centred on `centres`, `slot` pixels apart,
// below the baseline `y`: horizontal when they fit, else turned 40 or 90 degrees, cut to a
// bounded length ("…", with the full name as a tooltip), and thinned to every k-th label when
// even turned ones would touch. Never two labels over each other, for any number of groups.
struct CategoryLabels {
  std::string svg;       // <text class="x-label"> elements
  double height = 0;     // how far below `y` they reach
  double left_overhang;  // how far left of the first centre they reach
};
CategoryLabels category_labels(const std::vector<std::string>& labels,
                               const std::vector<double>& centres, double slot, double y);

}  // namespace dlaaw::reports
