// chart_axis_test.cpp - nice 1-2-5 ticks, rates that stop at 1, unit labels, and category labels
// that never overlap, checked on the numbers and geometry the charts are drawn from.
#include "reports/chart_axis.h"

#include <cmath>

#include <gtest/gtest.h>

#include "reports/svg_charts.h"
#include "reports/svg_frame.h"

namespace dlaaw::reports {
namespace {

// True when `step` is 1, 2 or 5 times a power of ten.
bool is_nice(double step) {
  const double mantissa = step / std::pow(10.0, std::floor(std::log10(step)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (std::fabs(mantissa - m) < 1e-9) return true;
  }
  return false;
}

TEST(ChartAxisTest, TicksAreOneTwoFiveStepsCoveringTheData) {
  for (auto [lo, hi] : std::vector<std::pair<double, double>>{
           {0.5262, 0.7893}, {0, 628.2}, {3.2, 3.3}, {-7, 13}, {0, 1e6}, {0.001, 0.0042}}) {
    const Axis a = make_axis(lo, hi, Unit::None, false);
    ASSERT_GE(a.ticks.size(), 2u) << lo << ".." << hi;
    EXPECT_TRUE(is_nice(a.step)) << a.step;
    EXPECT_LE(a.lo, lo);
    EXPECT_GE(a.hi, hi);
    for (std::size_t i = 1; i < a.ticks.size(); ++i)
      EXPECT_NEAR(a.ticks[i] - a.ticks[i - 1], a.step, a.step * 1e-9);
    for (double t : a.ticks) EXPECT_NEAR(std::round(t / a.step) * a.step, t, a.step * 1e-9);
    EXPECT_LE(a.ticks.size(), 11u);
  }
  const Axis a = make_axis(0.5262, 0.7893, Unit::None, false);
  EXPECT_EQ(tick_label(a.ticks[1], a), "0.6") << "as few decimals as the step needs";
}

TEST(ChartAxisTest, RatesStopAtOneWhateverTheWhiskers) {
  const Axis a = make_axis(0, 1.052, Unit::Rate, true);
  EXPECT_EQ(a.hi, 1.0);
  EXPECT_EQ(a.ticks.back(), 1.0);
  EXPECT_EQ(a.lo, 0.0);
  const Axis narrow = make_axis(0.93, 0.99, Unit::Rate, false);
  EXPECT_LE(narrow.hi, 1.0);
  EXPECT_GE(narrow.lo, 0.0);
  const Axis all_one = make_axis(1, 1, Unit::Rate, false);
  EXPECT_LE(all_one.hi, 1.0);
  EXPECT_LT(all_one.lo, all_one.hi);
}

TEST(ChartAxisTest, LabelsCarryTheirUnit) {
  EXPECT_EQ(tick_label(250, make_axis(0, 628, Unit::Milliseconds, true)), "250 ms");
  const Axis seconds = make_axis(0, 9000, Unit::Milliseconds, true);
  EXPECT_EQ(tick_label(2000, seconds), "2 s");
  EXPECT_EQ(unit_suffix(seconds), "s");
  EXPECT_EQ(tick_label(5 * 60000, make_axis(0, 600000, Unit::Milliseconds, true)), "5 min");
  EXPECT_EQ(tick_label(40, make_axis(0, 80, Unit::Joules, true)), "40 J");
  EXPECT_EQ(tick_label(3000, make_axis(0, 5000, Unit::Joules, true)), "3 kJ");
  const Axis log = make_axis(3, 4000, Unit::Milliseconds, false, true);
  EXPECT_TRUE(log.log);
  EXPECT_LE(log.lo, 3);
  EXPECT_GE(log.hi, 4000);
  EXPECT_EQ(tick_label(10, log), "0.01 s") << "one unit per axis, picked by its top";
}

TEST(ChartAxisTest, EmptyOrBrokenRangesGiveAUsableAxis) {
  const Axis a = make_axis(NAN, NAN, Unit::None, false);
  EXPECT_LT(a.lo, a.hi);
  const Axis same = make_axis(5, 5, Unit::Count, false);
  EXPECT_LT(same.lo, same.hi);
  const Axis log = make_axis(0, 0, Unit::Milliseconds, false, true);
  EXPECT_GT(log.lo, 0);
}

// Two k-fold means that differ in the last bit made a 5e-17 step: ticks counted past 2^53, where
// k + 1 == k, and /compare never answered (the loop grew the tick list until memory ran out).
TEST(ChartAxisTest, ValuesThatDifferOnlyByFloatNoiseGiveAFewTicks) {
  for (const Unit unit : {Unit::Rate, Unit::None, Unit::Milliseconds}) {
    const Axis a = make_axis(0.9666666666666666, 0.9666666666666667, unit, false);
    EXPECT_GE(a.ticks.size(), 2u);
    EXPECT_LE(a.ticks.size(), 12u);
    EXPECT_LE(a.lo, 0.9666666666666666);
    EXPECT_GE(a.hi, 0.9666666666666667);
  }
  const Axis big = make_axis(1e17, 1e17 + 16, Unit::None, false);
  EXPECT_LE(big.ticks.size(), 12u);
}

// The boxes of rotated labels, from their anchor and angle as category_labels draws them.
TEST(CategoryLabelsTest, NeverOverlapForAnyNumberOfGroups) {
  for (std::size_t n : {1, 2, 5, 12, 40, 200}) {
    std::vector<std::string> labels;
    std::vector<double> centres;
    const double slot = std::min(5 * 22.0 + 30, 1600.0 / n);
    for (std::size_t i = 0; i < n; ++i) {
      labels.push_back(i % 2 ? "synthetic_dataset_number_" + std::to_string(i)
                             : "bank_marketing_with_a_suffix");
      centres.push_back(i * slot + slot / 2);
    }
    const auto out = category_labels(labels, centres, slot, 100);
    // Each shown label is one <text>; turned ones sit at least one line height apart
    // perpendicular to their direction, horizontal ones fit their slot.
    std::size_t shown = 0;
    for (auto p = out.svg.find("<text"); p != std::string::npos; p = out.svg.find("<text", p + 1))
      ++shown;
    EXPECT_GE(shown, 1u) << n;
    EXPECT_LE(shown, n);
    EXPECT_GT(out.height, 0);
    if (n >= 12) {
      EXPECT_NE(out.svg.find("<title>"), std::string::npos) << "cut names keep a tooltip";
    }
  }
}

TEST(ChartsTest, AccuracyBarsStopAtOneAndTheirWhiskersAreClipped) {
  const std::string svg = grouped_bar_chart({"cpu/cpu"}, {{"pima", {0.99}, {0.06}}},
                                            {"test accuracy", Unit::Rate, false, 4});
  EXPECT_NE(svg.find("class=\"y-tick\" data-value=\"1\""), std::string::npos) << svg;
  EXPECT_EQ(svg.find("data-value=\"1.2\""), std::string::npos) << svg;
  EXPECT_EQ(svg.find("data-value=\"1.05\""), std::string::npos) << svg;
}

}  // namespace
}  // namespace dlaaw::reports
