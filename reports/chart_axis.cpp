// chart_axis.cpp - nice ticks (Heckbert's 1-2-5 rounding) and unit-aware tick labels.
#include "reports/chart_axis.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace dlaaw::reports {
namespace {

// 1, 2, 5 or 10 times a power of ten: the nearest to `x` when `round`, else the next above.
double nice_number(double x, bool round) {
  const double exponent = std::floor(std::log10(x));
  const double fraction = x / std::pow(10.0, exponent);
  double nice = 10;
  if (round) {
    nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
  } else {
    nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  }
  return nice * std::pow(10.0, exponent);
}

// k * step without the float noise of repeated addition (0.30000000000000004).
double on_grid(double k, double step) {
  const double v = k * step;
  if (v == 0) return 0;
  const double scale = std::pow(10.0, 12 - std::ceil(std::log10(std::max(std::fabs(v), 1e-300))));
  return std::round(v * scale) / scale + 0.0;  // + 0.0 turns -0 into 0
}

Axis linear_axis(double lo, double hi, Unit unit, bool from_zero, int target) {
  if (from_zero) lo = std::min(lo, 0.0), hi = std::max(hi, 0.0);
  if (unit == Unit::Rate) lo = std::clamp(lo, 0.0, 1.0), hi = std::clamp(hi, 0.0, 1.0);
  // Values that differ only by float noise (k-fold means 0.9666666666666666 and ...67) are one
  // value: a step of 1e-17 would put a tick past 2^53 steps from zero, where k + 1 == k.
  if (hi - lo <= 1e-9 * std::max(std::fabs(lo), std::fabs(hi))) {
    const double pad = unit == Unit::Rate ? 0.05 : (lo == 0 ? 1 : std::fabs(lo) * 0.1);
    lo -= pad, hi += pad;
    if (unit == Unit::Rate) lo = std::max(lo, 0.0), hi = std::min(hi, 1.0);
  }
  Axis a;
  a.unit = unit;
  a.step = nice_number(nice_number(hi - lo, false) / std::max(1, target - 1), true);
  if (unit == Unit::Count) a.step = std::max(a.step, 1.0);
  const double first = std::floor(lo / a.step + 1e-9), last = std::ceil(hi / a.step - 1e-9);
  const int intervals = static_cast<int>(std::min(last - first, 1000.0));  // bounded, whatever
  for (int i = 0; i <= intervals; ++i) a.ticks.push_back(on_grid(first + i, a.step));
  if (unit == Unit::Rate) {  // rates stop at 1 (and start at 0) whatever the rounding did
    a.ticks.erase(
        std::remove_if(a.ticks.begin(), a.ticks.end(), [](double t) { return t < 0 || t > 1; }),
        a.ticks.end());
  }
  a.lo = a.ticks.front();
  a.hi = a.ticks.back();
  return a;
}

Axis log_axis(double lo, double hi, Unit unit) {
  if (hi <= 0) hi = 1;
  if (lo <= 0 || lo > hi) lo = hi / 1e6;
  const int first = static_cast<int>(std::floor(std::log10(lo) + 1e-9));
  const int last = static_cast<int>(std::ceil(std::log10(hi) - 1e-9));
  // Within a few decades 2 and 5 are ticks too; across many, decades alone stay readable.
  const std::vector<double> mantissas =
      last - first <= 3 ? std::vector<double>{1, 2, 5} : std::vector<double>{1};
  std::vector<double> candidates;
  for (int d = first; d <= std::max(last, first + 1); ++d) {
    for (double m : mantissas) candidates.push_back(m * std::pow(10.0, d));
  }
  Axis a;
  a.log = true;
  a.unit = unit;
  double axis_lo = candidates.front(), axis_hi = candidates.back();
  for (double c : candidates) {
    if (c <= lo * (1 + 1e-9)) axis_lo = c;
  }
  for (auto c = candidates.rbegin(); c != candidates.rend(); ++c) {
    if (*c >= hi * (1 - 1e-9)) axis_hi = *c;
  }
  if (axis_hi <= axis_lo) axis_hi = axis_lo * 10;
  for (double c : candidates) {
    if (c >= axis_lo && c <= axis_hi) a.ticks.push_back(c);
  }
  a.lo = axis_lo;
  a.hi = axis_hi;
  return a;
}

// The display unit of an axis: one per axis, picked by its largest value.
struct DisplayUnit {
  double divisor;
  const char* suffix;
};

DisplayUnit display_unit(const Axis& axis) {
  const double top = std::max(std::fabs(axis.hi), std::fabs(axis.lo));
  switch (axis.unit) {
    case Unit::Milliseconds:
      if (top >= 120000) return {60000, "min"};
      if (top >= 2000) return {1000, "s"};
      return {1, "ms"};
    case Unit::Joules:
      return top >= 2000 ? DisplayUnit{1000, "kJ"} : DisplayUnit{1, "J"};
    default:
      return {1, ""};
  }
}

}  // namespace

Axis make_axis(double lo, double hi, Unit unit, bool from_zero, bool log, int target) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi) lo = 0, hi = 1;
  return log ? log_axis(lo, hi, unit) : linear_axis(lo, hi, unit, from_zero, target);
}

std::string tick_label(double value, const Axis& axis) {
  const DisplayUnit u = display_unit(axis);
  const double v = value / u.divisor + 0.0;
  // Decimals: as many as the step needs on a linear axis, as the value needs on a log one.
  const double resolution = axis.log ? std::fabs(v) : axis.step / u.divisor;
  const int decimals =
      resolution > 0 ? std::clamp(static_cast<int>(std::ceil(-std::log10(resolution) - 1e-9)), 0, 9)
                     : 0;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string out = buf;
  if (*u.suffix) out += std::string(" ") + u.suffix;
  return out;
}

std::string unit_suffix(const Axis& axis) { return display_unit(axis).suffix; }

}  // namespace dlaaw::reports
