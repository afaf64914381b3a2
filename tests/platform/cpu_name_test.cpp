// cpu_name_test.cpp - naming the CPU on x86, Jetson boards, generic ARM boards and bare trees.
#include "kernels/platform/cpu_name.h"

#include <gtest/gtest.h>

#include "fake_tree.h"

namespace dlaaw::kernels::platform {
namespace {

using testing::FakeTree;

// The per-core block of an aarch64 /proc/cpuinfo: no "model name", only MIDR codes.
std::string arm_processor(int index, const std::string& implementer, const std::string& part) {
  return "processor\t: " + std::to_string(index) +
         "\nBogoMIPS\t: 38.40\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32\n"
         "CPU implementer\t: " +
         implementer +
         "\nCPU architecture: 8\nCPU variant\t: 0x1\n"
         "CPU part\t: " +
         part + "\nCPU revision\t: 1\n\n";
}

TEST(CpuNameTest, X86TakesTheModelName) {
  FakeTree tree;
  tree.write("proc/cpuinfo",
             "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 143\n"
             "model name\t: Intel(R) Xeon(R) Platinum 8480+\nstepping\t: 8\n\n"
             "processor\t: 1\nvendor_id\t: GenuineIntel\n"
             "model name\t: Intel(R) Xeon(R) Platinum 8480+\n");
  EXPECT_EQ(cpu_name(tree.root()), "Intel(R) Xeon(R) Platinum 8480+");
}

TEST(CpuNameTest, JetsonNanoNamesTheBoardAndItsCores) {
  FakeTree tree;
  std::string cpuinfo;
  for (int i = 0; i < 4; ++i) cpuinfo += arm_processor(i, "0x41", "0xd07");
  tree.write("proc/cpuinfo", cpuinfo);
  // Device-tree strings end in a NUL.
  tree.write("proc/device-tree/model", std::string("NVIDIA Jetson Nano Developer Kit\0", 33));
  EXPECT_EQ(cpu_name(tree.root()), "NVIDIA Jetson Nano Developer Kit (ARM Cortex-A57)");
}

TEST(CpuNameTest, BoardModelAloneWhenCpuinfoHasNoCodes) {
  FakeTree tree;
  tree.write("proc/cpuinfo", "processor\t: 0\nBogoMIPS\t: 38.40\n\n");
  tree.write("proc/device-tree/model", std::string("NVIDIA Jetson Nano Developer Kit\0", 33));
  EXPECT_EQ(cpu_name(tree.root()), "NVIDIA Jetson Nano Developer Kit");
}

TEST(CpuNameTest, XavierFromTheSysfsDeviceTreeWithCarmelCores) {
  FakeTree tree;
  tree.write("proc/cpuinfo", arm_processor(0, "0x4e", "0x004") + arm_processor(1, "0x4e", "0x004"));
  tree.write("sys/firmware/devicetree/base/model", "NVIDIA Jetson Xavier NX Developer Kit");
  EXPECT_EQ(cpu_name(tree.root()), "NVIDIA Jetson Xavier NX Developer Kit (NVIDIA Carmel)");
}

TEST(CpuNameTest, GenericArmBoardFromPartCodesOnly) {
  FakeTree tree;
  std::string cpuinfo;
  for (int i = 0; i < 4; ++i) cpuinfo += arm_processor(i, "0x41", "0xd08");
  tree.write("proc/cpuinfo", cpuinfo);
  EXPECT_EQ(cpu_name(tree.root()), "ARM Cortex-A72");
}

TEST(CpuNameTest, BigLittleListsEachCoreOnce) {
  FakeTree tree;
  tree.write("proc/cpuinfo", arm_processor(0, "0x41", "0xd05") + arm_processor(1, "0x41", "0xd05") +
                                 arm_processor(2, "0x41", "0xd0b") +
                                 arm_processor(3, "0x41", "0xd0b"));
  EXPECT_EQ(cpu_name(tree.root()), "ARM Cortex-A55 + ARM Cortex-A76");
}

TEST(CpuNameTest, NothingToReadIsUnknownCpu) {
  FakeTree tree;
  EXPECT_EQ(cpu_name(tree.root()), "unknown CPU");
}

TEST(CpuNameTest, MalformedCodesNameNothingAndDoNotThrow) {
  FakeTree tree;
  tree.write("proc/cpuinfo", "processor\t: 0\nCPU implementer\t: banana\nCPU part\t: 0xd07\n");
  EXPECT_EQ(cpu_name(tree.root()), "unknown CPU");
}

TEST(ArmCoreNameTest, UnknownPartsStillSayWhatTheyAre) {
  EXPECT_EQ(arm_core_name(0x41, 0xd07), "ARM Cortex-A57");
  EXPECT_EQ(arm_core_name(0x4e, 0x004), "NVIDIA Carmel");
  EXPECT_EQ(arm_core_name(0x41, 0xd99), "ARM part 0xd99");
  EXPECT_EQ(arm_core_name(0x12, 0x345), "CPU implementer 0x12 part 0x345");
}

}  // namespace
}  // namespace dlaaw::kernels::platform
