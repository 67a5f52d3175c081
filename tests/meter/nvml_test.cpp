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
  // A control function of the fake by name.
  template <typename F>
  F control(const char* name) {
    F f = reinterpret_cast<F>(::dlsym(handle_, name));
    if (!f) ADD_FAILURE() << "fake NVML lacks " << name;
    return f;
  }
  std::vector<std::string> gpu_names(const Session& s) {
    std::vector<std::string> out;
    for (const DomainReading& x : s.describe())
      if (x.kind == Kind::gpu && x.source != Source::unavailable) out.push_back(x.name);
    return out;
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

// NVML's energy counter advances about every 100 ms: a 0.25 s window is still a
// counter reading, but it says how coarse it is, and the Reading exposes the
// resolution for callers that must refuse such windows.
TEST_F(MeterNvml, CounterSteppingEvery100msFlagsShortWindows) {
  auto stepped = control<void (*)(int, unsigned, unsigned)>("fake_nvml_set_stepped_counter");
  auto set_time = control<void (*)(unsigned long long)>("fake_nvml_set_time_ms");
  reset_(1, 1, 1);
  stepped(0, 100'000, 100);  // 100 W, counter updated every 100 ms
  Session s(options());
  set_time(50);
  s.start();
  set_time(300);
  clock_.advance(0.25);
  Reading r = s.stop();
  const DomainReading& g = domain(r, "gpu-0");
  EXPECT_EQ(g.source, Source::counter);
  EXPECT_NEAR(g.energy_j.value(), 30.0, 1e-9);  // 25 J drawn; the steps make it 30
  ASSERT_TRUE(g.resolution_s);
  EXPECT_DOUBLE_EQ(*g.resolution_s, 0.1);
  ASSERT_TRUE(r.resolution_s);
  EXPECT_DOUBLE_EQ(*r.resolution_s, 0.1);
  EXPECT_TRUE(any_warning_contains(r, "gpu-0 (nvml counter) resolves only 0.1 s"));
  EXPECT_TRUE(any_warning_contains(r, "off by up to 40 %"));
  EXPECT_NE(g.reason.find("window shorter than 10x"), std::string::npos) << g.reason;

  // Two seconds: within 5 % of the truth and no warning.
  s.start();
  set_time(2300);
  clock_.advance(2.0);
  Reading longer = s.stop();
  EXPECT_NEAR(domain(longer, "gpu-0").energy_j.value(), 200.0, 10.0);
  EXPECT_FALSE(any_warning_contains(longer, "gpu-0 (nvml counter) resolves"));
}

// CUDA numbers GPUs by PCI bus id (CUDA_DEVICE_ORDER=PCI_BUS_ID, or identical GPUs
// under the default), NVML need not: index 0 here sits on bus 0x41, index 1 on 0x01.
TEST_F(MeterNvml, CudaIndicesFollowThePciBusOrder) {
  auto set_bus = control<void (*)(int, unsigned)>("fake_nvml_set_pci_bus");
  auto set_name = control<void (*)(int, const char*)>("fake_nvml_set_name");
  reset_(2, 1, 1);
  set_bus(0, 0x41);
  set_bus(1, 0x01);
  set_name(0, "NVIDIA A100-SXM4-80GB");
  set_name(1, "NVIDIA A100-SXM4-80GB");
  Options o = options("0");
  o.cuda_device_order = "PCI_BUS_ID";
  {
    Session s(o);
    EXPECT_EQ(gpu_names(s), std::vector<std::string>{"gpu-1"});
    std::map<std::string, std::string> det;
    for (const DomainReading& x : s.describe())
      if (x.name == "gpu-1") det.insert(x.details.begin(), x.details.end());
    EXPECT_EQ(det["cuda_index"], "0");
    EXPECT_EQ(det["pci_bus_id"], "00000000:01:00.0");
  }
  // The default order with identical GPUs: PCI bus order too, noted as such.
  o.cuda_device_order = "FASTEST_FIRST";
  o.cuda_visible_devices = "1";
  {
    Session s(o);
    EXPECT_EQ(gpu_names(s), std::vector<std::string>{"gpu-0"});
    std::string mapping;
    for (const DomainReading& x : s.describe())
      for (const auto& [k, v] : x.details)
        if (k == "cuda_index_mapping") mapping = v;
    EXPECT_NE(mapping.find("identical GPUs"), std::string::npos) << mapping;
  }
  // Different models under the default order: uncertain, and the Reading says so.
  set_name(1, "NVIDIA A10");
  {
    Session s(o);
    s.start();
    clock_.advance(1.0);
    Reading r = s.stop();
    EXPECT_TRUE(any_warning_contains(r, "different GPU models")) << ::testing::PrintToString(r.warnings);
  }
  // UUIDs need no mapping.
  o.cuda_visible_devices = "GPU-1111";
  EXPECT_EQ(gpu_names(Session(o)), std::vector<std::string>{"gpu-1"});
}

// A MIG instance in CUDA_VISIBLE_DEVICES meters its parent GPU (whole board, said so)
// and does not end the list.
TEST_F(MeterNvml, MigEntryMetersItsParentAndDoesNotEndTheList) {
  auto set_mig = control<void (*)(int, int, int)>("fake_nvml_set_mig");
  reset_(2, 1, 1);
  set_mig(0, 1, 2);
  Session s(options("MIG-00001000-aaaa-bbbb-cccc-ddddeeeeffff,GPU-1111"));  // instance 1 of GPU 0, then GPU 1
  EXPECT_EQ(gpu_names(s), (std::vector<std::string>{"gpu-0", "gpu-1"}));
  s.start();
  set_energy_(0, 80'000);
  clock_.advance(1.0);
  Reading r = s.stop();
  const DomainReading& g = domain(r, "gpu-0");
  EXPECT_EQ(g.source, Source::counter);
  EXPECT_NEAR(g.energy_j.value(), 80.0, 1e-9);
  EXPECT_NE(g.reason.find("whole board"), std::string::npos) << g.reason;
  EXPECT_NE(g.reason.find("MIG-00001000"), std::string::npos) << g.reason;
  EXPECT_EQ(domain(r, "gpu-1").reason.find("MIG"), std::string::npos);
  // The pre-R470 form names the parent GPU.
  EXPECT_EQ(gpu_names(Session(options("MIG-GPU-00000000-1111-2222-3333-444455556666/1/0"))),
            std::vector<std::string>{"gpu-0"});
}

// Inside a MIG container CUDA_VISIBLE_DEVICES is unset and NVML shows the parent GPU.
TEST_F(MeterNvml, MigModeWithoutCudaVisibleDevicesSaysTheWholeBoardIsCharged) {
  auto set_mig = control<void (*)(int, int, int)>("fake_nvml_set_mig");
  reset_(1, 1, 1);
  set_mig(0, 1, 1);
  Session s(options(std::nullopt));
  s.start();
  clock_.advance(1.0);
  Reading r = s.stop();
  const DomainReading& g = domain(r, "gpu-0");
  EXPECT_NE(g.reason.find("MIG mode: NVML meters the whole board"), std::string::npos) << g.reason;
  EXPECT_TRUE(any_warning_contains(r, "gpu-0 is in MIG mode"));
  EXPECT_TRUE(any_warning_contains(r, "parent GPU is charged whole"));
}

// Without an energy counter, the instantaneous power field is preferred to
// nvmlDeviceGetPowerUsage (a 1 s average on Ampere and newer).
TEST_F(MeterNvml, InstantPowerIsPreferredToTheOneSecondAverage) {
  auto set_instant = control<void (*)(int, int, unsigned)>("fake_nvml_set_instant_power_mw");
  reset_(1, 0, 1);
  set_power_(0, 999'000);  // the average: must not be used
  set_instant(0, 1, 100'000);
  Session s(options());
  s.start();
  clock_.advance(1.0);
  set_instant(0, 1, 300'000);
  Reading r = s.stop();
  const DomainReading& g = domain(r, "gpu-0");
  EXPECT_EQ(g.source, Source::sampled);
  EXPECT_NEAR(g.energy_j.value(), 200.0, 1e-9);  // trapezoid of 100 W and 300 W over 1 s
  std::map<std::string, std::string> det(g.details.begin(), g.details.end());
  EXPECT_EQ(det["power_reading"], "instant");
  EXPECT_NE(g.reason.find("NVML_FI_DEV_POWER_INSTANT"), std::string::npos) << g.reason;
}

TEST_F(MeterNvml, AveragePowerIsLabelledByArchitecture) {
  auto set_arch = control<void (*)(int, int)>("fake_nvml_set_architecture");
  auto set_name = control<void (*)(int, const char*)>("fake_nvml_set_name");
  reset_(3, 0, 1);
  set_arch(0, 7);  // Ampere
  set_name(0, "NVIDIA A10");
  set_arch(1, 7);  // GA100: instantaneous despite Ampere
  set_name(1, "NVIDIA A100-SXM4-40GB");
  set_arch(2, 5);  // Volta
  Options o = options();
  o.interval_ms = 100;
  Session s(o);
  std::map<std::string, DomainReading> d;
  for (const DomainReading& x : s.describe()) d[x.name] = x;
  EXPECT_NE(d["gpu-0"].reason.find("1 s average on this Ampere-or-newer GPU"), std::string::npos) << d["gpu-0"].reason;
  EXPECT_DOUBLE_EQ(d["gpu-0"].resolution_s.value_or(0), 1.0);
  for (const char* n : {"gpu-1", "gpu-2"}) {
    EXPECT_NE(d[n].reason.find("instantaneous on this GPU"), std::string::npos) << d[n].reason;
    EXPECT_DOUBLE_EQ(d[n].resolution_s.value_or(0), 0.1) << n;  // the sampler interval
  }
  std::map<std::string, std::string> det(d["gpu-0"].details.begin(), d["gpu-0"].details.end());
  EXPECT_EQ(det["power_reading"], "average");
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
