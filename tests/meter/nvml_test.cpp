// NVIDIA GPUs through a fake NVML library built by the tests (acceptance 2 of issue 5).
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "meter/meter.h"
#include "meter_test_util.h"

namespace ecoinfer::meter {
namespace {

using namespace testing;

// The test holds its own handle on the fake, so its state persists between the
// Session's dlopen and dlclose, and sets that state through fake_nvml_*.
class MeterNvml : public ::testing::Test {
 protected:
  void SetUp() override {
    handle_ = ::dlopen(ECOINFER_FAKE_NVML_PATH, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(handle_, nullptr) << ::dlerror();
    reset_ = reinterpret_cast<void (*)(int, int, int)>(::dlsym(handle_, "fake_nvml_reset"));
    set_energy_ = reinterpret_cast<void (*)(int, unsigned long long)>(::dlsym(handle_, "fake_nvml_set_energy_mj"));
    set_power_ = reinterpret_cast<void (*)(int, unsigned)>(::dlsym(handle_, "fake_nvml_set_power_mw"));
    shutdowns_ = reinterpret_cast<int (*)()>(::dlsym(handle_, "fake_nvml_shutdown_calls"));
    ASSERT_TRUE(reset_ && set_energy_ && set_power_ && shutdowns_);
    write_fake_proc(root_);
  }
  void TearDown() override {
    if (handle_) ::dlclose(handle_);
  }
  Options options(std::optional<std::string> cvd = std::nullopt) {
    Options o = hermetic_options(root_, clock_);
    o.nvml_library = ECOINFER_FAKE_NVML_PATH;
    o.cuda_visible_devices = cvd;
    return o;
  }
  void* handle_ = nullptr;
  void (*reset_)(int, int, int) = nullptr;
  void (*set_energy_)(int, unsigned long long) = nullptr;
  void (*set_power_)(int, unsigned) = nullptr;
  int (*shutdowns_)() = nullptr;
  TempDir root_;
  FakeClock clock_;
};

TEST_F(MeterNvml, EnergyCounter) {
  reset_(1, 1, 1);
  set_energy_(0, 1'000'000);
  set_power_(0, 999'000);  // must not be used when the counter exists
  {
    Session s(options());
    s.start();
    set_energy_(0, 1'150'000);
    clock_.advance(1.0);
    s.sample();
    set_energy_(0, 1'250'500);
    clock_.advance(1.0);
    Reading r = s.stop();
    const DomainReading& g = domain(r, "gpu-0");
    EXPECT_EQ(g.source, Source::counter);
    EXPECT_EQ(g.kind, Kind::gpu);
    EXPECT_TRUE(g.in_total);
    EXPECT_NEAR(g.energy_j.value(), 250.5, 1e-9);
    EXPECT_NEAR(g.avg_power_w.value(), 125.25, 1e-9);
    std::map<std::string, std::string> det(g.details.begin(), g.details.end());
    EXPECT_EQ(det["model"], "Fake GPU 0");
    EXPECT_EQ(det["uuid"].rfind("GPU-0000", 0), 0u);
    EXPECT_EQ(det["driver"], "fake-550.00");
    // Telemetry in every sample.
    ASSERT_EQ(r.samples.size(), 3u);
    ASSERT_EQ(r.samples[1].gpus.size(), 1u);
    const GpuTelemetry& t = r.samples[1].gpus[0];
    EXPECT_EQ(t.name, "gpu-0");
    EXPECT_DOUBLE_EQ(*t.utilization, 0.5);
    EXPECT_EQ(*t.memory_used_bytes, 1ull << 30);
    EXPECT_DOUBLE_EQ(*t.power_limit_w, 300.0);
    EXPECT_DOUBLE_EQ(*t.sm_clock_mhz, 1410);
    EXPECT_DOUBLE_EQ(*t.mem_clock_mhz, 1593);
    EXPECT_DOUBLE_EQ(*t.temperature_c, 45);
  }
  EXPECT_EQ(shutdowns_(), 1);  // nvmlShutdown when the Session goes
}

TEST_F(MeterNvml, NoCounterIntegratesPowerSamples) {
  reset_(1, 0, 1);
  set_power_(0, 100'000);
  Session s(options());
  s.start();
  clock_.advance(1.0);
  set_power_(0, 200'000);
  s.sample();  // trapezoid: 150 J
  clock_.advance(2.0);
  s.sample();  // 400 J
  clock_.advance(0.5);
  set_power_(0, 0);
  Reading r = s.stop();  // 50 J
  const DomainReading& g = domain(r, "gpu-0");
  EXPECT_EQ(g.source, Source::sampled);
  EXPECT_NEAR(g.energy_j.value(), 600.0, 1e-9);
  EXPECT_NE(g.reason.find("no energy counter"), std::string::npos) << g.reason;
  EXPECT_EQ(r.total_source, Source::estimate);  // CPU and RAM are estimates here
}

TEST_F(MeterNvml, CounterResetMidWindow) {
  reset_(1, 1, 1);
  set_energy_(0, 5'000'000);
  Session s(options());
  s.start();
  set_energy_(0, 5'040'000);  // +40 J
  clock_.advance(1.0);
  s.sample();
  set_energy_(0, 3'000);  // driver reloaded: counter restarts, 3 J since
  clock_.advance(1.0);
  s.sample();
  set_energy_(0, 13'000);  // +10 J
  clock_.advance(1.0);
  Reading r = s.stop();
  const DomainReading& g = domain(r, "gpu-0");
  EXPECT_NEAR(g.energy_j.value(), 53.0, 1e-9);
  EXPECT_NE(g.reason.find("1 counter reset"), std::string::npos) << g.reason;
  bool warned = false;
  for (const std::string& w : r.warnings) warned |= w.find("gpu-0: energy counter went backwards") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST_F(MeterNvml, TwoGpusWithCudaVisibleDevicesOne) {
  reset_(2, 1, 1);
  set_energy_(0, 0);
  set_energy_(1, 0);
  Session s(options("1"));
  s.start();
  set_energy_(0, 999'000);
  set_energy_(1, 70'000);
  clock_.advance(1.0);
  Reading r = s.stop();
  EXPECT_EQ(r.find("gpu-0"), nullptr);
  const DomainReading& g = domain(r, "gpu-1");
  EXPECT_EQ(g.source, Source::counter);
  EXPECT_NEAR(g.energy_j.value(), 70.0, 1e-9);
  EXPECT_NEAR(r.energy_of(Kind::gpu).value(), 70.0, 1e-9);
}

TEST_F(MeterNvml, CudaVisibleDevicesComesFromTheEnvironment) {
  reset_(2, 1, 1);
  ::setenv("CUDA_VISIBLE_DEVICES", "GPU-1111", 1);  // a UUID prefix
  Session s(options(std::nullopt));
  ::unsetenv("CUDA_VISIBLE_DEVICES");
  auto d = s.describe();
  std::vector<std::string> gpus;
  for (const DomainReading& x : d)
    if (x.kind == Kind::gpu) gpus.push_back(x.name);
  EXPECT_EQ(gpus, std::vector<std::string>{"gpu-1"});
}

TEST_F(MeterNvml, CudaVisibleDevicesStopsAtTheFirstInvalidEntry) {
  reset_(3, 1, 1);
  Session s(options("2,7,0"));
  std::vector<std::string> gpus;
  for (const DomainReading& x : s.describe())
    if (x.kind == Kind::gpu) gpus.push_back(x.name);
  EXPECT_EQ(gpus, std::vector<std::string>{"gpu-2"});
}

TEST_F(MeterNvml, EmptyCudaVisibleDevicesHidesEveryGpu) {
  reset_(2, 1, 1);
  Session s(options(""));
  const auto d = s.describe();
  bool nvml_unavailable = false;
  for (const DomainReading& x : d)
    if (x.name == "nvml") {
      nvml_unavailable = x.source == Source::unavailable && x.reason.find("no GPU visible") != std::string::npos;
    }
  EXPECT_TRUE(nvml_unavailable);
}

TEST_F(MeterNvml, NeitherCounterNorPowerIsUnavailablePerGpu) {
  reset_(1, 0, 0);
  Session s(options());
  s.start();
  clock_.advance(1.0);
  Reading r = s.stop();
  const DomainReading& g = domain(r, "gpu-0");
  EXPECT_EQ(g.source, Source::unavailable);
  EXPECT_FALSE(g.energy_j);
  EXPECT_NE(g.reason.find("Not Supported"), std::string::npos) << g.reason;
}

TEST_F(MeterNvml, LibraryMissing) {
  Options o = options();
  o.nvml_library = root_ / "lib/libnvidia-ml.so.1";
  Session s(o);
  s.start();
  clock_.advance(1.0);
  Reading r = s.stop();
  const DomainReading& n = domain(r, "nvml");
  EXPECT_EQ(n.source, Source::unavailable);
  EXPECT_EQ(n.kind, Kind::gpu);
  EXPECT_FALSE(n.in_total);
  EXPECT_NE(n.reason.find("could not be loaded"), std::string::npos) << n.reason;
  EXPECT_FALSE(r.energy_of(Kind::gpu).has_value());
}

TEST_F(MeterNvml, NotAnNvmlLibrary) {
  Options o = options();
  o.nvml_library = "libm.so.6";
  Session s(o);
  bool said = false;
  for (const DomainReading& x : s.describe())
    said |= x.name == "nvml" && x.reason.find("not an NVML library") != std::string::npos;
  EXPECT_TRUE(said);
}

TEST_F(MeterNvml, LibraryPathFromTheEnvironment) {
  reset_(1, 1, 1);
  Options o = options();
  o.nvml_library.clear();
  ::setenv("ECOINFER_NVML_LIBRARY", ECOINFER_FAKE_NVML_PATH, 1);
  Session s(o);
  ::unsetenv("ECOINFER_NVML_LIBRARY");
  EXPECT_EQ(s.options().nvml_library, ECOINFER_FAKE_NVML_PATH);
  bool gpu = false;
  for (const DomainReading& x : s.describe()) gpu |= x.name == "gpu-0" && x.source == Source::counter;
  EXPECT_TRUE(gpu);
}

}  // namespace
}  // namespace ecoinfer::meter
