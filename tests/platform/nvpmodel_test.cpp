// nvpmodel_test.cpp - reading the Jetson power mode from nvpmodel's status and conf files.
#include "kernels/platform/nvpmodel.h"

#include <gtest/gtest.h>

#include "fake_tree.h"

namespace dlaaw::kernels::platform {
namespace {

using testing::FakeTree;

// The shape of the Nano's /etc/nvpmodel.conf (JetPack 4.6), shortened.
const char* kNanoConf =
    "< PARAM TYPE=FILE NAME=CPU_ONLINE >\nCORE_0 /sys/devices/system/cpu/cpu0/online\n\n"
    "# POWER_MODEL ID=7 NAME=COMMENTED_OUT\n"
    "< POWER_MODEL ID=0 NAME=MAXN >\nCPU_ONLINE CORE_0 1\n\n"
    "< POWER_MODEL ID=1 NAME=5W >\nCPU_ONLINE CORE_0 1\n\n"
    "< PM_CONFIG DEFAULT=0 >\n";

TEST(NvpmodelTest, NamesTheModeFromTheConf) {
  FakeTree tree;
  tree.write("var/lib/nvpmodel/status", "pmode:0001\n");
  tree.write("etc/nvpmodel.conf", kNanoConf);
  const auto mode = read_nvpmodel_mode(tree.root());
  ASSERT_TRUE(mode);
  EXPECT_EQ(mode->id, 1);
  EXPECT_EQ(mode->name, "5W");
  EXPECT_EQ(mode->describe(), "5W (nvpmodel mode 1)");
}

TEST(NvpmodelTest, ReadsJetPack5StatusWithAFanMode) {
  FakeTree tree;
  tree.write("var/lib/nvpmodel/status", "pmode:0002 fmode:quiet\n");
  tree.write(
      "etc/nvpmodel.conf",
      "< POWER_MODEL ID=0 NAME=MODE_15W_2CORE >\n< POWER_MODEL ID=2 NAME=MODE_15W_6CORE >\n");
  const auto mode = read_nvpmodel_mode(tree.root());
  ASSERT_TRUE(mode);
  EXPECT_EQ(mode->describe(), "MODE_15W_6CORE (nvpmodel mode 2)");
}

TEST(NvpmodelTest, NumberAloneWithoutAConf) {
  FakeTree tree;
  tree.write("var/lib/nvpmodel/status", "pmode:0003");
  const auto mode = read_nvpmodel_mode(tree.root());
  ASSERT_TRUE(mode);
  EXPECT_EQ(mode->describe(), "nvpmodel mode 3");
}

TEST(NvpmodelTest, NoStatusOrAMalformedOneIsNoMode) {
  FakeTree tree;
  EXPECT_FALSE(read_nvpmodel_mode(tree.root()));
  tree.write("var/lib/nvpmodel/status", "pmode:\n");
  EXPECT_FALSE(read_nvpmodel_mode(tree.root()));
}

}  // namespace
}  // namespace dlaaw::kernels::platform
