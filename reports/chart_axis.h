// chart_axis.h - value axes of the report's charts: nice 1-2-5 ticks, rates that stop at 1, and
// tick labels with their unit.
#pragma once

#include <string>
#include <vector>

namespace dlaaw::reports {

// What an axis measures; it decides the tick labels' unit and the axis' limits.
enum class Unit {
  None,          // a plain number (a parameter such as a learning rate or a seed)
  Rate,          // accuracy, AUC, ...: between 0 and 1, so the axis never goes past 1
  Milliseconds,  // durations: labelled "250 ms", "1.5 s", "2 min"
  Joules,        // energy: "40 J", "1.2 kJ"
  Count,         // rows, epochs: whole numbers
};

struct Axis {
  double lo = 0, hi = 1;      // the axis' ends, on tick values
  std::vector<double> ticks;  // from lo to hi, 1-2-5 steps (decades on a log axis)
  bool log = false;
  Unit unit = Unit::None;
  double step = 0;  // the linear tick step (0 on a log axis)
};

// An axis covering [lo, hi] with about `target` ticks on 1, 2 or 5 times a power of ten.
// `from_zero` starts it at 0 (bars); a Rate axis stays within [0, 1] whatever the data (a
// mean + std whisker above 1 is clipped by the caller). A log axis needs lo > 0 (smaller
// values are raised to hi / 1e6). Never throws: an empty or NaN range gives [0, 1].
Axis make_axis(double lo, double hi, Unit unit, bool from_zero, bool log = false, int target = 5);

// The tick label of `value` on `axis`, with the unit ("0.8", "250 ms", "1.5 s", "3 kJ"), using
// as few decimals as the step needs.
std::string tick_label(double value, const Axis& axis);

// The unit's short name for axis titles ("ms", "J", ""), as tick labels of `axis` use it.
std::string unit_suffix(const Axis& axis);

}  // namespace dlaaw::reports
