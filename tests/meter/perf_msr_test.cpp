// RAPL through perf_event (system calls faked) and through MSRs (device files faked
// with sparse regular files, read at the register's offset as /dev/cpu/N/msr is).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <linux/perf_event.h>

#include <chrono>
#include <cmath>
#include <map>
#include <thread>

#include "meter/meter.h"
#include "meter_test_util.h"

namespace ecoinfer::meter {
namespace {

using namespace testing;

class FakePerf : public PerfOps {
 public:
  int open(uint32_t type, uint64_t config, int cpu) override {
    opened.push_back({type, config, cpu});
    if (deny) return -EACCES;
    int fd = next_fd++;
    key[fd] = {config, cpu};
    return fd;
  }
  bool read(int fd, uint64_t& v) override {
    if (fail_reads) return false;
    v = counts[key[fd]];
    return true;
  }
  void close(int fd) override { ++closed; }
  struct Open {
    uint32_t type;
    uint64_t config;
    int cpu;
  };
  std::vector<Open> opened;
  std::map<std::pair<uint64_t, int>, uint64_t> counts;  // (config, cpu) -> raw count
  std::map<int, std::pair<uint64_t, int>> key;
  bool deny = false, fail_reads = false;
  int next_fd = 100, closed = 0;
};

void write_power_pmu(const TempDir& root) {
  std::string pmu = root / "sys/bus/event_source/devices/power";
  write_file(pmu + "/type", "23\n");
  write_file(pmu + "/cpumask", "0,4\n");
  write_file(pmu + "/format/event", "config:0-7\n");
  write_file(pmu + "/events/energy-pkg", "event=0x02\n");
  write_file(pmu + "/events/energy-pkg.scale", "2.3283064365386962890625e-10\n");
  write_file(pmu + "/events/energy-pkg.unit", "Joules\n");
  write_file(pmu + "/events/energy-ram", "event=0x03\n");
  write_file(pmu + "/events/energy-ram.scale", "2.3283064365386962890625e-10\n");
  write_file(pmu + "/events/energy-ram.unit", "Joules\n");
}

TEST(MeterPerfRapl, UsedWhenPowercapIsAbsent) {
  TempDir root;
  FakeClock clock;
  write_fake_proc(root);
  write_power_pmu(root);
  auto perf = std::make_shared<FakePerf>();
  Options o = hermetic_options(root, clock);
  o.perf_ops = perf;
  {
    Session s(o);
    ASSERT_EQ(perf->opened.size(), 4u);  // pkg and ram on CPUs 0 and 4
    EXPECT_EQ(perf->opened[0].type, 23u);
    EXPECT_EQ(perf->opened[0].config, 2u);
    EXPECT_EQ(perf->opened[0].cpu, 0);
    EXPECT_EQ(perf->opened[1].cpu, 4);
    EXPECT_EQ(perf->opened[2].config, 3u);
    const uint64_t one_joule = 1ull << 32;  // scale is 2^-32 J
    perf->counts[{2, 0}] = 5 * one_joule;
    perf->counts[{2, 4}] = 1 * one_joule;
    s.start();
    perf->counts[{2, 0}] += 30 * one_joule;
    perf->counts[{2, 4}] += 20 * one_joule;
    perf->counts[{3, 0}] += 4 * one_joule;
    perf->counts[{3, 4}] += 6 * one_joule;
    clock.advance(2.0);
    Reading r = s.stop();
    EXPECT_EQ(domain(r, "package-0").meter, "perf");
    EXPECT_NEAR(domain(r, "package-0").energy_j.value(), 30.0, 1e-9);
    EXPECT_NEAR(domain(r, "package-1").energy_j.value(), 20.0, 1e-9);
    EXPECT_NEAR(domain(r, "dram-1").energy_j.value(), 6.0, 1e-9);
    EXPECT_NEAR(r.total_energy_j.value(), 60.0, 1e-9);
    EXPECT_EQ(r.total_source, Source::counter);
    EXPECT_EQ(r.find("rapl"), nullptr);
  }
  EXPECT_EQ(perf->closed, 4);
}

TEST(MeterPerfRapl, DeniedFallsThroughAndSaysWhy) {
  TempDir root;
  FakeClock clock;
  write_fake_proc(root);
  write_power_pmu(root);
  write_file(root / "proc/sys/kernel/perf_event_paranoid", "2\n");
  auto perf = std::make_shared<FakePerf>();
  perf->deny = true;
  Options o = hermetic_options(root, clock);
  o.perf_ops = perf;
  Session s(o);
  s.start();
  clock.advance(1.0);
  write_proc_stat(root, 1100, 9100);
  Reading r = s.stop();
  const DomainReading& rapl = domain(r, "rapl");
  EXPECT_EQ(rapl.source, Source::unavailable);
  EXPECT_NE(rapl.reason.find("CAP_PERFMON"), std::string::npos) << rapl.reason;
  EXPECT_NE(rapl.reason.find("it is 2"), std::string::npos) << rapl.reason;
  EXPECT_EQ(domain(r, "cpu").source, Source::estimate);
}

// A fake `power` PMU whose energy-pkg event is really the software event cpu-clock
// (nanoseconds, scaled to "joules" by 1e-9): the Session opens and reads it with the
// real system calls, so the read path runs on this kernel.
TEST(MeterPerfRapl, RealPerfEventIsReadWithRead) {
  TempDir root;
  FakeClock clock;
  write_fake_proc(root);
  std::string pmu = root / "sys/bus/event_source/devices/power";
  write_file(pmu + "/type", std::to_string(PERF_TYPE_SOFTWARE) + "\n");
  write_file(pmu + "/cpumask", "0\n");
  write_file(pmu + "/events/energy-pkg", "event=" + std::to_string(PERF_COUNT_SW_CPU_CLOCK) + "\n");
  write_file(pmu + "/events/energy-pkg.scale", "1e-9\n");
  write_file(pmu + "/events/energy-pkg.unit", "Joules\n");
  Options o = hermetic_options(root, clock);
  o.procfs_root = "/proc";  // the real perf_event_paranoid for the skip message
  Session s(o);
  bool opened = false;
  std::string why;
  for (const DomainReading& d : s.describe()) {
    opened |= d.name == "package-0" && d.source == Source::counter;
    if (d.name == "rapl") why = d.reason;
  }
  if (!opened && why.find("perf_event_open(power/energy-pkg/) failed") != std::string::npos)
    GTEST_SKIP() << "this kernel refuses a system-wide cpu-clock perf event here, so the real read path cannot be "
                    "exercised: "
                 << why;
  ASSERT_TRUE(opened) << why;
  s.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  clock.advance(1.0);
  Reading r = s.stop();
  const DomainReading& pkg = domain(r, "package-0");
  EXPECT_EQ(pkg.source, Source::counter) << pkg.reason;  // pread() failed here with ESPIPE
  EXPECT_EQ(pkg.meter, "perf");
  ASSERT_TRUE(pkg.energy_j) << pkg.reason;
  // cpu-clock counts the CPU's wall time: at least the 30 ms slept, and less than
  // the generous bound of 10 s.
  EXPECT_GE(*pkg.energy_j, 0.029);
  EXPECT_LT(*pkg.energy_j, 10.0);
  EXPECT_EQ(r.find("cpu"), nullptr);
}

TEST(MeterPerfRapl, CounterFailingDuringTheWindowFallsBackToTheEstimate) {
  TempDir root;
  FakeClock clock;
  write_fake_proc(root);
  write_power_pmu(root);
  auto perf = std::make_shared<FakePerf>();
  Options o = hermetic_options(root, clock);
  o.perf_ops = perf;
  o.cpu_tdp_w = 100;
  o.cpu_idle_fraction = 0;
  Session s(o);
  perf->fail_reads = true;  // opened at probe time, unreadable afterwards
  s.start();
  clock.advance(2.0);
  write_proc_stat(root, 1000 + 500, 9000 + 500);  // 50 % busy
  Reading r = s.stop();
  for (const char* n : {"package-0", "package-1"}) {
    const DomainReading& d = domain(r, n);
    EXPECT_EQ(d.source, Source::estimate) << n;
    EXPECT_TRUE(d.in_total) << n;
    ASSERT_TRUE(d.energy_j) << n;
    EXPECT_NEAR(*d.energy_j, 100.0 * 0.5 * 2.0 / 2, 1e-9) << n;  // half of the machine's CPU estimate each
    EXPECT_NE(d.reason.find("perf counter read failed"), std::string::npos) << d.reason;
    EXPECT_NE(d.reason.find("1/2 of the machine's CPU estimate"), std::string::npos) << d.reason;
  }
  for (const char* n : {"dram-0", "dram-1"}) {
    EXPECT_EQ(domain(r, n).source, Source::estimate) << n;
    EXPECT_NEAR(domain(r, n).energy_j.value(), 3.0 * 2.0 / 2, 1e-9) << n;  // 8 GiB at 3 W per 8 GiB, halved
  }
  EXPECT_TRUE(any_warning_contains(r, "package-0: the perf counter failed during the window"));
  EXPECT_NEAR(r.energy_of(Kind::cpu).value(), 100.0, 1e-9);
  EXPECT_EQ(r.total_source, Source::estimate);
  ASSERT_TRUE(r.estimate);
}

// AMD on Linux 6.10-6.11: the power PMU's cpumask names one CPU per CCD, each
// reading its socket's counter. One event per package must be opened.
TEST(MeterPerfRapl, OneCpuPerCcdIsReadOncePerPackage) {
  TempDir root;
  FakeClock clock;
  write_fake_proc(root, "AMD EPYC 9354 32-Core Processor", "AuthenticAMD", 25, 17);
  write_power_pmu(root);
  write_file(root / "sys/bus/event_source/devices/power/cpumask", "0,8,16,24,64,72,80,88\n");
  for (int c : {0, 8, 16, 24, 64, 72, 80, 88}) write_topology(root, c, c < 64 ? 0 : 1, c % 64 / 8);
  std::remove((root / "sys/bus/event_source/devices/power/events/energy-ram").c_str());  // AMD has none
  auto perf = std::make_shared<FakePerf>();
  Options o = hermetic_options(root, clock);
  o.perf_ops = perf;
  Session s(o);
  ASSERT_EQ(perf->opened.size(), 2u);
  EXPECT_EQ(perf->opened[0].cpu, 0);
  EXPECT_EQ(perf->opened[1].cpu, 64);
  const uint64_t one_joule = 1ull << 32;
  s.start();
  for (int c : {0, 8, 16, 24, 64, 72, 80, 88}) perf->counts[{2, c}] += (c < 64 ? 50 : 70) * one_joule;
  clock.advance(1.0);
  Reading r = s.stop();
  EXPECT_NEAR(domain(r, "package-0").energy_j.value(), 50.0, 1e-9);
  EXPECT_NEAR(domain(r, "package-1").energy_j.value(), 70.0, 1e-9);
  EXPECT_NEAR(r.energy_of(Kind::cpu).value(), 120.0, 1e-9);  // not 4x
  EXPECT_TRUE(any_warning_contains(r, "package-wide"));
}

// Intel multi-die: the PMU's scope is the die and each die has its own counter.
TEST(MeterPerfRapl, IntelDiesOfOnePackageAreAdded) {
  TempDir root;
  FakeClock clock;
  write_fake_proc(root, "Intel(R) Xeon(R) Platinum 9282 CPU @ 2.60GHz", "GenuineIntel", 6, 0x55);
  write_power_pmu(root);
  write_file(root / "sys/bus/event_source/devices/power/cpumask", "0,56\n");
  write_topology(root, 0, 0, 0);
  write_topology(root, 56, 0, 1);
  auto perf = std::make_shared<FakePerf>();
  Options o = hermetic_options(root, clock);
  o.perf_ops = perf;
  Session s(o);
  const uint64_t one_joule = 1ull << 32;
  s.start();
  perf->counts[{2, 0}] += 30 * one_joule;
  perf->counts[{2, 56}] += 40 * one_joule;
  perf->counts[{3, 0}] += 3 * one_joule;
  perf->counts[{3, 56}] += 4 * one_joule;
  clock.advance(1.0);
  Reading r = s.stop();
  EXPECT_NEAR(domain(r, "package-0-die-0").energy_j.value(), 30.0, 1e-9);
  EXPECT_NEAR(domain(r, "package-0-die-1").energy_j.value(), 40.0, 1e-9);
  EXPECT_NEAR(domain(r, "dram-0-die-1").energy_j.value(), 4.0, 1e-9);
  EXPECT_NEAR(r.total_energy_j.value(), 77.0, 1e-9);
  EXPECT_EQ(r.total_source, Source::counter);
}

void write_msr(const std::string& path, uint32_t reg, uint64_t value) {
  fs::create_directories(fs::path(path).parent_path());
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::pwrite(fd, &value, sizeof value, static_cast<off_t>(reg)), 8);
  ::close(fd);
}

TEST(MeterMsrRapl, IntelServerPackagesAndDram) {
  TempDir root;
  FakeClock clock;
  write_fake_proc(root, "Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz", "GenuineIntel", 6, 0x55);
  // Two packages: CPUs 0-1 in package 0, CPU 2 in package 1.
  for (int c = 0; c < 3; ++c)
    write_file(root / ("sys/devices/system/cpu/cpu" + std::to_string(c) + "/topology/physical_package_id"),
               c < 2 ? "0\n" : "1\n");
  const uint64_t unit = 0xA0E03;  // ESU 14: 2^-14 J
  for (int c : {0, 2}) {
    std::string dev = root / ("dev/cpu/" + std::to_string(c) + "/msr");
    write_msr(dev, 0x606, unit);
    write_msr(dev, 0x611, 0xFFFF0000ull);  // near the 32-bit top: will wrap
    write_msr(dev, 0x619, 1000);
  }
  Session s(hermetic_options(root, clock));
  s.start();
  for (int c : {0, 2}) {
    std::string dev = root / ("dev/cpu/" + std::to_string(c) + "/msr");
    write_msr(dev, 0x611, 0x10000ull | 0xABCD00000000ull);  // upper bits are not the counter
    write_msr(dev, 0x619, 1000 + 65536 * 3);
  }
  clock.advance(1.0);
  Reading r = s.stop();
  const double pkg_j = static_cast<double>(0x10000 + 0x10000) / 16384.0;  // across the wrap
  EXPECT_EQ(domain(r, "package-0").meter, "msr");
  EXPECT_NEAR(domain(r, "package-0").energy_j.value(), pkg_j, 1e-12);
  EXPECT_NEAR(domain(r, "package-1").energy_j.value(), pkg_j, 1e-12);
  EXPECT_NE(domain(r, "package-0").reason.find("1 counter wrap"), std::string::npos);
  // Skylake-SP counts DRAM in 2^-16 J whatever the unit register says.
  EXPECT_NEAR(domain(r, "dram-0").energy_j.value(), 3.0, 1e-12);
  EXPECT_NEAR(r.total_energy_j.value(), 2 * pkg_j + 6.0, 1e-9);
}

// One Intel package whose unit register says 2^-14 J, over a 1 s window in which the
// package counter advances by 100 J in that unit and 0x619 goes from dram_start by
// dram_units.
Reading intel_msr_window(const std::string& model_name, int model, uint64_t dram_start, uint64_t dram_units) {
  TempDir root;
  FakeClock clock;
  write_fake_proc(root, model_name, "GenuineIntel", 6, model);
  std::string dev = root / "dev/cpu/0/msr";
  write_msr(dev, 0x606, 0xA0E03);  // ESU 14
  write_msr(dev, 0x611, 1);
  write_msr(dev, 0x619, dram_start);
  Session s(hermetic_options(root, clock));
  s.start();
  write_msr(dev, 0x611, 1 + 16384 * 100);
  write_msr(dev, 0x619, dram_start + dram_units);
  clock.advance(1.0);
  return s.stop();
}

// Sapphire Rapids and later count DRAM in 0x606's unit, not the fixed 2^-16 J.
TEST(MeterMsrRapl, SapphireRapidsDramUsesTheUnitRegister) {
  Reading r = intel_msr_window("Intel(R) Xeon(R) Platinum 8480+", 0x8F, 1, 16384 * 12);
  EXPECT_NEAR(domain(r, "package-0").energy_j.value(), 100.0, 1e-12);
  EXPECT_NEAR(domain(r, "dram-0").energy_j.value(), 12.0, 1e-12);  // 3 J with the old fixed unit
  EXPECT_EQ(r.find("ram"), nullptr);
  // Ice Lake-SP still has the fixed unit.
  Reading icx = intel_msr_window("Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz", 0x6A, 1, 65536 * 12);
  EXPECT_NEAR(domain(icx, "dram-0").energy_j.value(), 12.0, 1e-12);
}

TEST(MeterMsrRapl, ClientDramUsesTheUnitRegister) {
  Reading r = intel_msr_window("Intel(R) Core(TM) i7-8700K CPU @ 3.70GHz", 158, 5, 16384 * 2);
  EXPECT_NEAR(domain(r, "dram-0").energy_j.value(), 2.0, 1e-12);
}

// The kernel drops RAPL domains whose counter reads 0; so must the MSR path, and the
// RAM estimate must then cover memory.
TEST(MeterMsrRapl, DramRegisterReadingZeroIsNoDomain) {
  Reading r = intel_msr_window("Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz", 0x55, 0, 0);
  const DomainReading& dram = domain(r, "dram-0");
  EXPECT_EQ(dram.source, Source::unavailable);
  EXPECT_FALSE(dram.in_total);
  EXPECT_NE(dram.reason.find("reads 0"), std::string::npos) << dram.reason;
  const DomainReading& ram = domain(r, "ram");
  EXPECT_EQ(ram.source, Source::estimate);
  EXPECT_NEAR(ram.energy_j.value(), 3.0, 1e-9);
}

TEST(MeterMsrRapl, AmdPackage) {
  TempDir root;
  FakeClock clock;
  write_fake_proc(root, "AMD EPYC 7763 64-Core Processor", "AuthenticAMD", 25, 1);
  std::string dev = root / "dev/cpu/0/msr";
  write_msr(dev, 0xC0010299, 0xA1003);  // ESU 16
  write_msr(dev, 0xC001029B, 0);
  Session s(hermetic_options(root, clock));
  s.start();
  write_msr(dev, 0xC001029B, 65536 * 50);
  clock.advance(1.0);
  Reading r = s.stop();
  EXPECT_NEAR(domain(r, "package-0").energy_j.value(), 50.0, 1e-12);
  EXPECT_EQ(r.find("dram-0"), nullptr);  // AMD has no DRAM domain
  EXPECT_EQ(domain(r, "ram").source, Source::estimate);
}

TEST(MeterMsrRapl, UnreadableRegisterIsAReason) {
  TempDir root;
  FakeClock clock;
  write_fake_proc(root, "Intel(R) Core(TM) i7-8700K", "GenuineIntel", 6, 158);
  write_file(root / "dev/cpu/0/msr", "");  // exists, but reads at 0x606 return nothing
  Session s(hermetic_options(root, clock));
  auto d = s.describe();
  bool found = false;
  for (const DomainReading& x : d)
    if (x.name == "rapl") {
      found = true;
      EXPECT_NE(x.reason.find("RAPL unit register unreadable"), std::string::npos) << x.reason;
    }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace ecoinfer::meter
