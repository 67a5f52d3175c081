// RAPL through perf_event (system calls faked) and through MSRs (device files faked
// with sparse regular files, read at the register's offset as /dev/cpu/N/msr is).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <map>

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
  bool deny = false;
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
