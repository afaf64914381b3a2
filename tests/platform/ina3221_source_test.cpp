// ina3221_source_test.cpp - Jetson power rails in both sysfs layouts, integrated over time.
#include "kernels/platform/ina3221_source.h"

#include <gtest/gtest.h>

#include "fake_tree.h"

#include "common/errors.h"

namespace dlaaw::kernels::platform {
namespace {

using namespace std::chrono_literals;
using testing::FakeTree;

// JetPack 5.x on a Xavier NX: mainline hwmon "ina3221" beside another hwmon device.
void write_xavier_nx_hwmon(const FakeTree& tree) {
  tree.write("sys/class/hwmon/hwmon0/name", "tmp451\n");
  tree.write("sys/class/hwmon/hwmon0/temp1_input", "41000\n");
  const std::string dir = "sys/class/hwmon/hwmon3/";
  tree.write(dir + "name", "ina3221\n");
  const char* labels[] = {"VDD_IN", "VDD_CPU_GPU_CV", "VDD_SOC"};
  for (int c = 1; c <= 3; ++c) {
    const std::string n = std::to_string(c);
    tree.write(dir + "in" + n + "_label", std::string(labels[c - 1]) + "\n");
    tree.write(dir + "in" + n + "_input", "5000\n");   // mV
    tree.write(dir + "curr" + n + "_input", "400\n");  // mA
  }
  tree.write(dir + "in7_label", "sum of shunt voltages\n");
  tree.write(dir + "in7_input", "12\n");
}

TEST(Ina3221SourceTest, HwmonLayoutMeasuresTheModuleInputRail) {
  FakeTree tree;
  write_xavier_nx_hwmon(tree);
  const auto rails = find_ina3221_rails(tree.root());
  ASSERT_EQ(rails.size(), 3u) << "in7 (shunt voltage sum) is no rail";
  tree.write("sys/class/hwmon/hwmon3/curr1_input", "1200\n");  // VDD_IN: 5 V x 1.2 A = 6 W
  const auto source = Ina3221Source::open(tree.root(), 100ms);
  EXPECT_EQ(source->scope(), "VDD_IN") << "the other rails branch off VDD_IN";
  const SteadyTime t0{};
  source->begin(t0);
  tree.write("sys/class/hwmon/hwmon3/curr1_input", "1400\n");  // 7 W
  // Trapezoid: (6 W + 7 W) / 2 over 2 s.
  EXPECT_DOUBLE_EQ(source->advance(t0 + 2s), 13.0);
  EXPECT_DOUBLE_EQ(source->advance(t0 + 3s), 7.0);
}

TEST(Ina3221SourceTest, IioLayoutOfJetPack4ReadsPowerDirectly) {
  FakeTree tree;
  const std::string dir = "sys/bus/i2c/drivers/ina3221x/6-0040/iio:device0/";
  const char* labels[] = {"POM_5V_IN", "POM_5V_GPU", "POM_5V_CPU"};
  for (int c = 0; c <= 2; ++c) {
    const std::string n = std::to_string(c);
    tree.write(dir + "rail_name_" + n, std::string(labels[c]) + "\n");
    tree.write(dir + "in_power" + n + "_input", "1000\n");  // mW
    tree.write(dir + "in_current" + n + "_input", "200\n");
    tree.write(dir + "in_voltage" + n + "_input", "5000\n");
  }
  tree.write(dir + "in_power0_input", "3000\n");
  const auto source = Ina3221Source::open(tree.root(), 100ms);
  EXPECT_EQ(source->scope(), "POM_5V_IN");
  const SteadyTime t0{};
  source->begin(t0);
  tree.write(dir + "in_power0_input", "5000\n");
  EXPECT_DOUBLE_EQ(source->advance(t0 + 500ms), 2.0);  // (3 W + 5 W) / 2 x 0.5 s
}

TEST(Ina3221SourceTest, WithoutAnInputRailEveryRailIsSummed) {
  FakeTree tree;
  // AGX Xavier: two monitors, six rails fed in parallel, one channel not connected.
  const char* labels[2][3] = {{"GPU", "CPU", "SOC"}, {"CV", "VDDRQ", "NC"}};
  for (int device = 0; device < 2; ++device) {
    const std::string dir = "sys/class/hwmon/hwmon" + std::to_string(device + 1) + "/";
    tree.write(dir + "name", "ina3221\n");
    for (int c = 1; c <= 3; ++c) {
      const std::string n = std::to_string(c);
      tree.write(dir + "in" + n + "_label", std::string(labels[device][c - 1]) + "\n");
      tree.write(dir + "in" + n + "_input", "1000\n");
      tree.write(dir + "curr" + n + "_input", "1000\n");  // 1 W each
    }
  }
  const auto source = Ina3221Source::open(tree.root(), 100ms);
  EXPECT_EQ(source->scope(), "GPU + CPU + SOC + CV + VDDRQ");
  const SteadyTime t0{};
  source->begin(t0);
  EXPECT_DOUBLE_EQ(source->advance(t0 + 1s), 5.0);
}

TEST(Ina3221SourceTest, NoMonitorSaysWhereItLooked) {
  FakeTree tree;
  tree.write("sys/class/hwmon/hwmon0/name", "coretemp\n");
  try {
    Ina3221Source::open(tree.root(), 100ms);
    FAIL() << "found an INA3221 where there is none";
  } catch (const ServiceUnavailable& e) {
    EXPECT_NE(std::string(e.what()).find("no INA3221"), std::string::npos) << e.what();
  }
}

TEST(Ina3221SourceTest, AReadingThatVanishesThrows) {
  FakeTree tree;
  write_xavier_nx_hwmon(tree);
  const auto source = Ina3221Source::open(tree.root(), 100ms);
  source->begin({});
  tree.remove("sys/class/hwmon/hwmon3/curr1_input");
  EXPECT_THROW(source->advance(SteadyTime{} + 1s), ServiceUnavailable);
}

}  // namespace
}  // namespace dlaaw::kernels::platform
