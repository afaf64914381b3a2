// rapl_source_test.cpp - RAPL package counters in a fake powercap tree, wrap-around included.
#include "kernels/platform/rapl_source.h"

#include <gtest/gtest.h>

#include "fake_tree.h"

#include "common/errors.h"

namespace dlaaw::kernels::platform {
namespace {

using testing::FakeTree;

void write_zone(const FakeTree& tree, const std::string& zone, const std::string& name,
                const std::string& energy_uj, const std::string& max_uj = "262143328850") {
  const std::string dir = "sys/class/powercap/" + zone + "/";
  tree.write(dir + "name", name + "\n");
  tree.write(dir + "energy_uj", energy_uj + "\n");
  tree.write(dir + "max_energy_range_uj", max_uj + "\n");
}

TEST(RaplSourceTest, SumsPackagesAndSkipsSubZonesAndPsys) {
  FakeTree tree;
  write_zone(tree, "intel-rapl:0", "package-0", "1000000");
  write_zone(tree, "intel-rapl:0:0", "core", "500000");
  write_zone(tree, "intel-rapl:1", "package-1", "2000000");
  write_zone(tree, "intel-rapl:2", "psys", "7000000");
  const auto rapl = RaplSource::open(tree.root());
  EXPECT_EQ(rapl->scope(), "package-0 + package-1");
  rapl->begin({});
  write_zone(tree, "intel-rapl:0", "package-0", "3500000");  // +2.5 J
  write_zone(tree, "intel-rapl:0:0", "core", "1500000");     // part of package-0 already
  write_zone(tree, "intel-rapl:1", "package-1", "2250000");  // +0.25 J
  write_zone(tree, "intel-rapl:2", "psys", "99000000");      // the whole platform, not counted
  EXPECT_DOUBLE_EQ(rapl->advance({}), 2.75);
  EXPECT_DOUBLE_EQ(rapl->advance({}), 0.0) << "a second advance counts only what came since";
}

TEST(RaplSourceTest, CounterWrapAroundAddsTheRestOfTheRange) {
  FakeTree tree;
  write_zone(tree, "intel-rapl:0", "package-0", "9000000", "10000000");
  const auto rapl = RaplSource::open(tree.root());
  rapl->begin({});
  write_zone(tree, "intel-rapl:0", "package-0", "500000", "10000000");
  // 9 J -> 10 J (the end of the range) -> 0 -> 0.5 J.
  EXPECT_DOUBLE_EQ(rapl->advance({}), 1.5);
  write_zone(tree, "intel-rapl:0", "package-0", "700000", "10000000");
  EXPECT_DOUBLE_EQ(rapl->advance({}), 0.2);
}

TEST(RaplSourceTest, NoPowercapSaysSo) {
  FakeTree tree;
  try {
    RaplSource::open(tree.root());
    FAIL() << "opened RAPL in an empty tree";
  } catch (const ServiceUnavailable& e) {
    EXPECT_NE(std::string(e.what()).find("no RAPL package zone"), std::string::npos) << e.what();
  }
}

TEST(RaplSourceTest, AnUnreadableCounterNamesTheFileAndWhy) {
  FakeTree tree;
  write_zone(tree, "intel-rapl:0", "package-0", "1");
  // Tests run as root, where file modes do not stop a read; a directory does (EISDIR).
  tree.remove("sys/class/powercap/intel-rapl:0/energy_uj");
  std::filesystem::create_directories(tree.root() / "sys/class/powercap/intel-rapl:0/energy_uj");
  try {
    RaplSource::open(tree.root());
    FAIL() << "opened an unreadable RAPL counter";
  } catch (const ServiceUnavailable& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("intel-rapl:0/energy_uj"), std::string::npos) << what;
    EXPECT_NE(what.find("root only"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace dlaaw::kernels::platform
