// energy_meter_test.cpp - picking a sensor per device, measuring with the sampler, saying why not.
#include "kernels/platform/energy_meter.h"

#include <thread>

#include <gtest/gtest.h>

#include "../common/time_scale.h"
#include "fake_tree.h"

namespace dlaaw::kernels::platform {
namespace {

using namespace std::chrono_literals;
using testing::FakeTree;

EnergyOptions options_for(const FakeTree& tree) {
  EnergyOptions options;
  options.root = tree.root();
  options.nvml_library = "libdlaaw-no-such-nvml.so.1";
  options.power_sample_period = 5ms;
  return options;
}

void write_rapl(const FakeTree& tree, const std::string& energy_uj) {
  tree.write("sys/class/powercap/intel-rapl:0/name", "package-0\n");
  tree.write("sys/class/powercap/intel-rapl:0/max_energy_range_uj", "262143328850\n");
  tree.write("sys/class/powercap/intel-rapl:0/energy_uj", energy_uj + "\n");
}

// A Nano in MAXN drawing a constant 4 W on its module input (JetPack 4.x layout).
void write_nano(const FakeTree& tree) {
  const std::string dir = "sys/bus/i2c/drivers/ina3221x/6-0040/iio:device0/";
  tree.write(dir + "rail_name_0", "POM_5V_IN\n");
  tree.write(dir + "in_power0_input", "4000\n");
  tree.write("var/lib/nvpmodel/status", "pmode:0000\n");
  tree.write("etc/nvpmodel.conf", "< POWER_MODEL ID=0 NAME=MAXN >\n< POWER_MODEL ID=1 NAME=5W >\n");
}

TEST(EnergyMeterTest, CpuUsesRaplCounters) {
  FakeTree tree;
  write_rapl(tree, "1000000");
  EnergyMeter meter(EnergyTarget::cpu(), options_for(tree));
  ASSERT_TRUE(meter.available());
  write_rapl(tree, "4000000");
  const auto m = meter.stop();
  ASSERT_TRUE(m.available) << m.unavailable;
  EXPECT_DOUBLE_EQ(m.joules, 3.0);
  EXPECT_EQ(m.source, "rapl");
  EXPECT_EQ(m.scope, "package-0");
  EXPECT_EQ(m.power_mode, "");
  EXPECT_GT(m.seconds, 0.0);
  write_rapl(tree, "9000000");
  EXPECT_DOUBLE_EQ(meter.stop().joules, 3.0) << "a second stop returns the first measurement";
}

TEST(EnergyMeterTest, IntegratedGpuOnAJetsonUsesTheModuleRailAndRecordsThePowerMode) {
  FakeTree tree;
  write_nano(tree);
  EnergyMeter meter(EnergyTarget::cuda(0), options_for(tree));
  std::this_thread::sleep_for(60ms);  // several 5 ms samples
  const auto m = meter.stop();
  ASSERT_TRUE(m.available) << m.unavailable;
  EXPECT_EQ(m.source, "ina3221");
  EXPECT_EQ(m.scope, "POM_5V_IN");
  EXPECT_EQ(m.power_mode, "MAXN (nvpmodel mode 0)");
  // Constant power integrates exactly over the measured span, however many samples were taken.
  EXPECT_NEAR(m.joules, 4.0 * m.seconds, 1e-9) << m.seconds << " s";
  EXPECT_GE(m.seconds, 0.06);
}

TEST(EnergyMeterTest, CpuOnAJetsonFallsBackToTheModuleRail) {
  FakeTree tree;
  write_nano(tree);
  EnergyMeter meter(EnergyTarget::cpu(), options_for(tree));
  const auto m = meter.stop();
  ASSERT_TRUE(m.available) << m.unavailable;
  EXPECT_EQ(m.source, "ina3221");
}

TEST(EnergyMeterTest, NoSensorSaysWhyForEachSource) {
  FakeTree tree;
  const auto cpu = EnergyMeter(EnergyTarget::cpu(), options_for(tree)).stop();
  EXPECT_FALSE(cpu.available);
  EXPECT_EQ(cpu.joules, 0.0);
  EXPECT_NE(cpu.unavailable.find("rapl: no RAPL package zone"), std::string::npos)
      << cpu.unavailable;
  EXPECT_NE(cpu.unavailable.find("ina3221: no INA3221"), std::string::npos) << cpu.unavailable;

  const auto gpu = EnergyMeter(EnergyTarget::cuda(0), options_for(tree)).stop();
  EXPECT_FALSE(gpu.available);
  EXPECT_NE(gpu.unavailable.find("nvml: cannot load libdlaaw-no-such-nvml.so.1"), std::string::npos)
      << gpu.unavailable;
}

TEST(EnergyMeterTest, ASensorThatFailsMidRunMakesTheMeasurementUnavailable) {
  FakeTree tree;
  write_rapl(tree, "1000000");
  EnergyMeter meter(EnergyTarget::cpu(), options_for(tree));
  tree.remove("sys/class/powercap/intel-rapl:0/energy_uj");
  const auto m = meter.stop();
  EXPECT_FALSE(m.available);
  EXPECT_EQ(m.joules, 0.0);
  EXPECT_NE(m.unavailable.find("rapl failed during the measurement"), std::string::npos)
      << m.unavailable;
}

TEST(EnergyMeterTest, DestroyingARunningMeterStopsItsSampler) {
  FakeTree tree;
  write_nano(tree);
  const auto begin = std::chrono::steady_clock::now();
  { EnergyMeter meter(EnergyTarget::cuda(0), options_for(tree)); }
  EXPECT_LT(std::chrono::steady_clock::now() - begin, testing::scaled(5s))
      << "the sampler was not woken to stop";
}

}  // namespace
}  // namespace dlaaw::kernels::platform
