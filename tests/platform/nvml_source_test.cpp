// nvml_source_test.cpp - NVML loaded at run time: absent, a stand-in library, no energy counter.
#include "kernels/platform/nvml_source.h"

#include <dlfcn.h>

#include <gtest/gtest.h>

#include "common/errors.h"

namespace dlaaw::kernels::platform {
namespace {

// The stand-in libnvidia-ml built beside this test, opened a second time to reach its setters
// (dlopen of the same file gives the same copy, so the source sees what the test sets).
class FakeNvml {
 public:
  FakeNvml() : handle_(dlopen(DLAAW_FAKE_NVML, RTLD_NOW | RTLD_LOCAL)) {
    if (!handle_) throw std::runtime_error(std::string("cannot load the fake NVML: ") + dlerror());
    set_energy_supported(1);
  }
  ~FakeNvml() { dlclose(handle_); }
  void set_energy_mj(unsigned long long mj) const {
    call<void (*)(unsigned long long)>("fake_nvml_set_energy_mj")(mj);
  }
  void set_energy_supported(int on) const {
    call<void (*)(int)>("fake_nvml_set_energy_supported")(on);
  }
  int initialised() const { return call<int (*)()>("fake_nvml_initialised")(); }

 private:
  template <class Fn>
  Fn call(const char* name) const {
    return reinterpret_cast<Fn>(dlsym(handle_, name));
  }
  void* handle_;
};

std::string open_error(const std::string& library, int index, const std::string& bus_id = "") {
  try {
    NvmlSource::open(library, index, bus_id);
  } catch (const ServiceUnavailable& e) {
    return e.what();
  }
  return "";
}

TEST(NvmlSourceTest, AbsentLibraryIsUnavailableWithTheLoaderMessage) {
  const std::string why = open_error("libdlaaw-no-such-nvml.so.1", 0);
  ASSERT_FALSE(why.empty()) << "opened a library that does not exist";
  EXPECT_NE(why.find("cannot load libdlaaw-no-such-nvml.so.1"), std::string::npos) << why;
}

TEST(NvmlSourceTest, CountsMillijoulesOfTheStandInGpu) {
  FakeNvml fake;
  fake.set_energy_mj(1000);
  {
    const auto source = NvmlSource::open(DLAAW_FAKE_NVML, 0, "");
    EXPECT_EQ(source->scope(), "GPU 0 (Fake GPU)");
    EXPECT_EQ(fake.initialised(), 1);
    source->begin({});
    fake.set_energy_mj(3500);
    EXPECT_DOUBLE_EQ(source->advance({}), 2.5);
  }
  EXPECT_EQ(fake.initialised(), 0) << "nvmlShutdown when the source goes away";
}

TEST(NvmlSourceTest, PicksTheDeviceByBusIdWhenGiven) {
  FakeNvml fake;
  EXPECT_NO_THROW(NvmlSource::open(DLAAW_FAKE_NVML, 3, "00000000:65:00.0"));
  const std::string why = open_error(DLAAW_FAKE_NVML, 0, "00000000:17:00.0");
  EXPECT_NE(why.find("nvmlDeviceGetHandleByPciBusId_v2(00000000:17:00.0) failed"),
            std::string::npos)
      << why;
}

TEST(NvmlSourceTest, NoSuchDeviceOrNoCounterIsUnavailable) {
  FakeNvml fake;
  EXPECT_NE(open_error(DLAAW_FAKE_NVML, 1).find("nvmlDeviceGetHandleByIndex_v2(1) failed"),
            std::string::npos);
  fake.set_energy_supported(0);  // a GPU older than Volta
  const std::string why = open_error(DLAAW_FAKE_NVML, 0);
  EXPECT_NE(
      why.find("nvmlDeviceGetTotalEnergyConsumption on GPU 0 (Fake GPU) failed: Not Supported"),
      std::string::npos)
      << why;
  EXPECT_EQ(fake.initialised(), 0) << "a refused open shuts NVML down again";
}

}  // namespace
}  // namespace dlaaw::kernels::platform
