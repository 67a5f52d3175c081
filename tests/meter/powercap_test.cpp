// RAPL through powercap on fake sysfs trees (acceptance 1 of issue 5).
#include <gtest/gtest.h>
#include <grp.h>
#include <pwd.h>
#include <sys/wait.h>

#include "meter/meter.h"
#include "meter_test_util.h"

namespace ecoinfer::meter {
namespace {

using namespace testing;

TEST(MeterPowercap, OnePackage) {
  TempDir root;
  FakeClock clock;
  write_fake_proc(root);
  write_file(root / "sys/class/powercap/intel-rapl/enabled", "1\n");  // the control type: not a zone
  add_zone(root, "intel-rapl:0", "package-0", 1'000'000);
  Session s(hermetic_options(root, clock));
  s.start();
  clock.advance(2.0);
  set_energy(root, "intel-rapl:0", 41'000'000);
  Reading r = s.stop();

  const DomainReading& pkg = domain(r, "package-0");
  EXPECT_EQ(pkg.source, Source::counter);
  EXPECT_EQ(pkg.kind, Kind::cpu);
  EXPECT_EQ(pkg.meter, "powercap");
  EXPECT_TRUE(pkg.in_total);
  ASSERT_TRUE(pkg.energy_j);
  EXPECT_DOUBLE_EQ(pkg.energy_j.value(), 40.0);
  EXPECT_DOUBLE_EQ(pkg.avg_power_w.value(), 20.0);
  EXPECT_DOUBLE_EQ(r.duration_s, 2.0);
  // The CPU is measured, so no CPU estimate; DRAM is not, so RAM is estimated and
  // the total says so.
  EXPECT_EQ(r.find("cpu"), nullptr);
  EXPECT_EQ(r.find("rapl"), nullptr);
  const DomainReading& ram = domain(r, "ram");
  EXPECT_EQ(ram.source, Source::estimate);
  ASSERT_TRUE(ram.energy_j);
  EXPECT_DOUBLE_EQ(ram.energy_j.value(), 3.0 * 2.0);  // 8 GiB at 3 W per 8 GiB, 2 s
  ASSERT_TRUE(r.total_energy_j);
  EXPECT_DOUBLE_EQ(r.total_energy_j.value(), 46.0);
  EXPECT_EQ(r.total_source, Source::estimate);
}

TEST(MeterPowercap, OnePackageWithoutEstimatesIsAllCounter) {
  TempDir root;
  FakeClock clock;
  write_fake_proc(root);
  add_zone(root, "intel-rapl:0", "package-0", 0);
  Options o = hermetic_options(root, clock);
  o.allow_estimate = false;
  Session s(o);
  s.start();
  clock.advance(1.0);
  set_energy(root, "intel-rapl:0", 5'000'000);
  Reading r = s.stop();
  ASSERT_TRUE(r.total_energy_j);
  EXPECT_DOUBLE_EQ(r.total_energy_j.value(), 5.0);
  EXPECT_EQ(r.total_source, Source::counter);
  EXPECT_EQ(r.find("ram"), nullptr);
}

TEST(MeterPowercap, TwoPackagesWithDram) {
  TempDir root;
  FakeClock clock;
  write_fake_proc(root);
  add_zone(root, "intel-rapl:0", "package-0", 1000);
  add_zone(root, "intel-rapl:0:0", "dram", 2000);
  add_zone(root, "intel-rapl:1", "package-1", 3000);
  add_zone(root, "intel-rapl:1:0", "dram", 4000);
  Session s(hermetic_options(root, clock));
  s.start();
  clock.advance(1.0);
  set_energy(root, "intel-rapl:0", 1000 + 10'000'000);
  set_energy(root, "intel-rapl:0:0", 2000 + 2'000'000);
  set_energy(root, "intel-rapl:1", 3000 + 12'000'000);
  set_energy(root, "intel-rapl:1:0", 4000 + 3'000'000);
  Reading r = s.stop();
  EXPECT_DOUBLE_EQ(domain(r, "package-0").energy_j.value(), 10.0);
  EXPECT_DOUBLE_EQ(domain(r, "dram-0").energy_j.value(), 2.0);
  EXPECT_DOUBLE_EQ(domain(r, "package-1").energy_j.value(), 12.0);
  EXPECT_DOUBLE_EQ(domain(r, "dram-1").energy_j.value(), 3.0);
  EXPECT_EQ(domain(r, "dram-1").kind, Kind::dram);
  EXPECT_EQ(r.find("ram"), nullptr);  // DRAM measured: no RAM estimate
  EXPECT_EQ(r.find("cpu"), nullptr);
  EXPECT_DOUBLE_EQ(r.total_energy_j.value(), 27.0);
  EXPECT_EQ(r.total_source, Source::counter);
  EXPECT_DOUBLE_EQ(r.energy_of(Kind::cpu).value(), 22.0);
  EXPECT_DOUBLE_EQ(r.energy_of(Kind::dram).value(), 5.0);
}

TEST(MeterPowercap, PsysAbovePackageIsNotDoubleCounted) {
  TempDir root;
  FakeClock clock;
  write_fake_proc(root);
  add_zone(root, "intel-rapl:0", "package-0", 0);
  add_zone(root, "intel-rapl:0:0", "core", 0);
  add_zone(root, "intel-rapl:0:1", "uncore", 0);
  add_zone(root, "intel-rapl:0:2", "dram", 0);
  add_zone(root, "intel-rapl:1", "psys", 0);
  Session s(hermetic_options(root, clock));
  s.start();
  clock.advance(1.0);
  set_energy(root, "intel-rapl:0", 20'000'000);
  set_energy(root, "intel-rapl:0:0", 12'000'000);
  set_energy(root, "intel-rapl:0:1", 3'000'000);
  set_energy(root, "intel-rapl:0:2", 4'000'000);
  set_energy(root, "intel-rapl:1", 35'000'000);
  Reading r = s.stop();
  EXPECT_TRUE(domain(r, "package-0").in_total);
  EXPECT_TRUE(domain(r, "dram-0").in_total);
  for (const char* n : {"psys", "core-0", "uncore-0"}) {
    EXPECT_EQ(domain(r, n).source, Source::counter) << n;
    EXPECT_FALSE(domain(r, n).in_total) << n;
    EXPECT_NE(domain(r, n).reason.find("not added to the total"), std::string::npos) << n;
  }
  EXPECT_EQ(domain(r, "psys").kind, Kind::platform);
  EXPECT_DOUBLE_EQ(domain(r, "psys").energy_j.value(), 35.0);
  EXPECT_DOUBLE_EQ(r.total_energy_j.value(), 24.0);  // package + dram only
}

TEST(MeterPowercap, PsysAloneIsTheTotal) {
  TempDir root;
  FakeClock clock;
  write_fake_proc(root);
  add_zone(root, "intel-rapl:0", "psys", 0);
  Session s(hermetic_options(root, clock));
  s.start();
  clock.advance(1.0);
  set_energy(root, "intel-rapl:0", 7'000'000);
  Reading r = s.stop();
  EXPECT_TRUE(domain(r, "psys").in_total);
  EXPECT_EQ(r.find("cpu"), nullptr);
  EXPECT_EQ(r.find("ram"), nullptr);  // the platform includes memory
  EXPECT_DOUBLE_EQ(r.total_energy_j.value(), 7.0);
}

TEST(MeterPowercap, NestedTreeSeenTwiceAndMmioDuplicateCountOnce) {
  TempDir root;
  FakeClock clock;
  write_fake_proc(root);
  // The real layout: nested zones under devices/virtual, flat links under class.
  std::string v = root / "sys/devices/virtual/powercap";
  write_file(v + "/intel-rapl/intel-rapl:0/name", "package-0\n");
  write_file(v + "/intel-rapl/intel-rapl:0/energy_uj", "100\n");
  write_file(v + "/intel-rapl/intel-rapl:0/max_energy_range_uj", "262143328850\n");
  write_file(v + "/intel-rapl/intel-rapl:0/intel-rapl:0:0/name", "dram\n");
  write_file(v + "/intel-rapl/intel-rapl:0/intel-rapl:0:0/energy_uj", "100\n");
  write_file(v + "/intel-rapl-mmio/intel-rapl-mmio:0/name", "package-0\n");
  write_file(v + "/intel-rapl-mmio/intel-rapl-mmio:0/energy_uj", "100\n");
  fs::create_directories(root / "sys/class/powercap");
  fs::create_directory_symlink(v + "/intel-rapl/intel-rapl:0", root / "sys/class/powercap/intel-rapl:0");
  fs::create_directory_symlink(v + "/intel-rapl/intel-rapl:0/intel-rapl:0:0",
                               root / "sys/class/powercap/intel-rapl:0:0");
  fs::create_directory_symlink(v + "/intel-rapl-mmio/intel-rapl-mmio:0",
                               root / "sys/class/powercap/intel-rapl-mmio:0");
  Session s(hermetic_options(root, clock));
  s.start();
  clock.advance(1.0);
  write_file(v + "/intel-rapl/intel-rapl:0/energy_uj", "3000100\n");
  write_file(v + "/intel-rapl/intel-rapl:0/intel-rapl:0:0/energy_uj", "1000100\n");
  write_file(v + "/intel-rapl-mmio/intel-rapl-mmio:0/energy_uj", "3000100\n");
  Reading r = s.stop();
  int packages = 0;
  for (const DomainReading& d : r.domains) packages += d.name == "package-0";
  EXPECT_EQ(packages, 1);
  EXPECT_DOUBLE_EQ(r.total_energy_j.value(), 4.0);
  bool warned = false;
  for (const std::string& w : r.warnings) warned |= w.find("duplicate RAPL zone") != std::string::npos;
  EXPECT_TRUE(warned);
  // The package read is the MSR-backed intel-rapl zone, not the mmio one.
  bool from_msr_zone = false;
  for (const auto& [k, val] : domain(r, "package-0").details)
    from_msr_zone |= k == "zone" && val.find("intel-rapl:0") != std::string::npos &&
                     val.find("mmio") == std::string::npos;
  EXPECT_TRUE(from_msr_zone);
}

TEST(MeterPowercap, OneWrapIsCounted) {
  TempDir root;
  FakeClock clock;
  write_fake_proc(root);
  add_zone(root, "intel-rapl:0", "package-0", 900'000, 1'000'000);
  Session s(hermetic_options(root, clock));
  s.start();
  clock.advance(1.0);
  set_energy(root, "intel-rapl:0", 100'000);
  Reading r = s.stop();
  // 900000 -> 1000000 (top of the range) -> 0 -> 100000, the modulus being range + 1.
  EXPECT_NEAR(domain(r, "package-0").energy_j.value(), 0.200001, 1e-12);
  EXPECT_NE(domain(r, "package-0").reason.find("1 counter wrap"), std::string::npos);
}

TEST(MeterPowercap, ThreeWrapsWithinOneWindow) {
  TempDir root;
  FakeClock clock;
  write_fake_proc(root);
  const uint64_t range = 1'000'000;
  add_zone(root, "intel-rapl:0", "package-0", 500'000, range);
  Session s(hermetic_options(root, clock));
  s.start();
  const uint64_t seq[] = {900'000, 200'000, 800'000, 100'000, 600'000, 50'000, 300'000};
  for (uint64_t v : seq) {
    clock.advance(0.1);
    set_energy(root, "intel-rapl:0", v);
    s.sample();
  }
  clock.advance(0.1);
  Reading r = s.stop();
  uint64_t uj = (900'000 - 500'000) + (range + 1 - 900'000 + 200'000) + (800'000 - 200'000) +
                (range + 1 - 800'000 + 100'000) + (600'000 - 100'000) + (range + 1 - 600'000 + 50'000) +
                (300'000 - 50'000);
  EXPECT_NEAR(domain(r, "package-0").energy_j.value(), uj * 1e-6, 1e-9);
  EXPECT_NE(domain(r, "package-0").reason.find("3 counter wrap"), std::string::npos);
  EXPECT_EQ(r.sample_count, 9u);  // start, 7 samples, stop
  ASSERT_EQ(r.samples.size(), 9u);
  // Each sample carries the power of the tick before it.
  size_t pkg = 0;
  while (r.domains[pkg].name != "package-0") ++pkg;
  ASSERT_TRUE(r.samples[1].power_w[pkg]);
  EXPECT_NEAR(*r.samples[1].power_w[pkg], 0.4 / 0.1, 1e-9);
}

TEST(MeterPowercap, ReadsTooFarApartForTheWrapTimeAreFlagged) {
  TempDir root;
  FakeClock clock;
  write_fake_proc(root);
  add_zone(root, "intel-rapl:0", "package-0", 0, 10'000'000);  // 10 J range
  write_file(root / "sys/class/powercap/intel-rapl:0/constraint_0_max_power_uw", "5000000\n");  // 5 W: 2 s
  Session s(hermetic_options(root, clock));
  s.start();
  clock.advance(3.0);
  set_energy(root, "intel-rapl:0", 1'000'000);
  Reading r = s.stop();
  bool warned = false;
  for (const std::string& w : r.warnings) warned |= w.find("wraps may have been missed") != std::string::npos;
  EXPECT_TRUE(warned);
}

// Runs fn with privileges dropped when we are root, so that file modes apply.
// Returns fn's result through the exit code: 0 = pass; otherwise a message.
std::string run_unprivileged(const std::function<std::string()>& fn) {
  if (::geteuid() != 0) return fn();
  int p[2];
  if (::pipe(p) != 0) return "pipe failed";
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(p[0]);
    std::string msg;
    const passwd* nobody = ::getpwnam("nobody");
    uid_t uid = nobody ? nobody->pw_uid : 65534;
    gid_t gid = nobody ? nobody->pw_gid : 65534;
    if (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0) msg = "cannot drop privileges";
    else msg = fn();
    ssize_t w = ::write(p[1], msg.data(), msg.size());
    (void)w;
    ::_exit(0);
  }
  ::close(p[1]);
  std::string msg;
  char buf[512];
  for (ssize_t n; (n = ::read(p[0], buf, sizeof buf)) > 0;) msg.append(buf, static_cast<size_t>(n));
  ::close(p[0]);
  int st = 0;
  ::waitpid(pid, &st, 0);
  if (!WIFEXITED(st)) return "child crashed";
  return msg;
}

TEST(MeterPowercap, UnreadableEnergyFallsBackAndSaysWhy) {
  TempDir root;
  FakeClock clock;
  write_fake_proc(root);
  add_zone(root, "intel-rapl:0", "package-0", 1000);
  add_zone(root, "intel-rapl:0:0", "dram", 1000);
  for (const auto& e : fs::recursive_directory_iterator(root.path())) fs::permissions(e.path(), fs::perms(0755));
  fs::permissions(root.path(), fs::perms(0755));
  fs::permissions(root / "sys/class/powercap/intel-rapl:0/energy_uj", fs::perms(0400));
  fs::permissions(root / "sys/class/powercap/intel-rapl:0:0/energy_uj", fs::perms(0400));
  Options o = hermetic_options(root, clock);
  std::string result = run_unprivileged([&]() -> std::string {
    Session s(o);
    s.start();
    clock.advance(1.0);
    write_proc_stat(root, 1100, 9100);
    Reading r = s.stop();
    const DomainReading* rapl = r.find("rapl");
    if (!rapl) return "no rapl domain";
    if (rapl->source != Source::unavailable) return "rapl not unavailable";
    if (rapl->reason.find("energy_uj is readable by root only") == std::string::npos)
      return "reason lacks 'root only': " + rapl->reason;
    // CVE-2020-8694's fix reached stable and distribution kernels in November 2020,
    // not only Linux 5.10.
    if (rapl->reason.find("CVE-2020-8694") == std::string::npos ||
        rapl->reason.find("November 2020") == std::string::npos)
      return "reason does not name the CVE fix and its backports: " + rapl->reason;
    if (rapl->reason.find("perf_event:") == std::string::npos || rapl->reason.find("msr:") == std::string::npos)
      return "reason does not list the fallbacks: " + rapl->reason;
    const DomainReading* cpu = r.find("cpu");
    if (!cpu || cpu->source != Source::estimate || !cpu->energy_j || *cpu->energy_j <= 0)
      return "no CPU estimate after the fallback";
    if (r.total_source != Source::estimate) return "total not labelled estimate";
    return "";
  });
  EXPECT_EQ(result, "");
}

// Intel multi-die (Cascade Lake-AP): the kernel registers package-X-die-Y zones, each
// with its own counter and DRAM child; every die is added.
TEST(MeterPowercap, IntelDieZonesAreEachCountedAndAdded) {
  TempDir root;
  FakeClock clock;
  write_fake_proc(root, "Intel(R) Xeon(R) Platinum 9282 CPU @ 2.60GHz", "GenuineIntel", 6, 0x55);
  add_zone(root, "intel-rapl:0", "package-0-die-0", 0);
  add_zone(root, "intel-rapl:0:0", "dram", 0);
  add_zone(root, "intel-rapl:1", "package-0-die-1", 0);
  add_zone(root, "intel-rapl:1:0", "dram", 0);
  Session s(hermetic_options(root, clock));
  s.start();
  clock.advance(1.0);
  set_energy(root, "intel-rapl:0", 100'000'000);
  set_energy(root, "intel-rapl:0:0", 10'000'000);
  set_energy(root, "intel-rapl:1", 120'000'000);
  set_energy(root, "intel-rapl:1:0", 11'000'000);
  Reading r = s.stop();
  EXPECT_EQ(r.find("rapl"), nullptr);
  EXPECT_DOUBLE_EQ(domain(r, "package-0-die-0").energy_j.value(), 100.0);
  EXPECT_DOUBLE_EQ(domain(r, "package-0-die-1").energy_j.value(), 120.0);
  EXPECT_DOUBLE_EQ(domain(r, "dram-0-die-0").energy_j.value(), 10.0);
  EXPECT_DOUBLE_EQ(domain(r, "dram-0-die-1").energy_j.value(), 11.0);
  EXPECT_DOUBLE_EQ(r.energy_of(Kind::cpu).value(), 220.0);
  EXPECT_DOUBLE_EQ(r.total_energy_j.value(), 241.0);
  EXPECT_EQ(r.total_source, Source::counter);
}

// AMD Zen 4 on Linux 6.10-6.11: CCDs are taken for dies, so a 2-socket, 8-CCD server
// shows 16 package-X-die-Y zones, each reading its socket's one counter. Each package
// must be counted once.
TEST(MeterPowercap, AmdDieZonesMirrorTheirPackageAndCountOnce) {
  TempDir root;
  FakeClock clock;
  write_fake_proc(root, "AMD EPYC 9354 32-Core Processor", "AuthenticAMD", 25, 17);
  for (int p = 0; p < 2; ++p)
    for (int d = 0; d < 8; ++d) {
      std::string id = "intel-rapl:" + std::to_string(p * 8 + d);
      add_zone(root, id, "package-" + std::to_string(p) + "-die-" + std::to_string(d), 1000);
      add_zone(root, id + ":0", "core", 1000);
    }
  Session s(hermetic_options(root, clock));
  s.start();
  clock.advance(2.0);
  for (int p = 0; p < 2; ++p)
    for (int d = 0; d < 8; ++d) set_energy(root, "intel-rapl:" + std::to_string(p * 8 + d), 1000 + (p + 1) * 200'000'000);
  Reading r = s.stop();
  EXPECT_DOUBLE_EQ(domain(r, "package-0").energy_j.value(), 200.0);
  EXPECT_DOUBLE_EQ(domain(r, "package-1").energy_j.value(), 400.0);
  EXPECT_NE(domain(r, "package-0").reason.find("package-wide"), std::string::npos) << domain(r, "package-0").reason;
  int packages = 0;
  for (const DomainReading& d : r.domains) packages += d.kind == Kind::cpu && d.in_total && d.source == Source::counter;
  EXPECT_EQ(packages, 2);
  EXPECT_DOUBLE_EQ(r.energy_of(Kind::cpu).value(), 600.0);  // not 16 zones' worth
  EXPECT_TRUE(any_warning_contains(r, "counted once"));
  // The core zone of an AMD package is one core's counter.
  const DomainReading& core = domain(r, "core-0");
  EXPECT_FALSE(core.in_total);
  EXPECT_NE(core.reason.find("one core only"), std::string::npos) << core.reason;
  EXPECT_EQ(core.reason.find("part of package"), std::string::npos) << core.reason;
}

TEST(MeterPowercap, IntelCoreZoneIsPartOfItsPackage) {
  TempDir root;
  FakeClock clock;
  write_fake_proc(root);
  add_zone(root, "intel-rapl:0", "package-0", 1000);
  add_zone(root, "intel-rapl:0:0", "core", 1000);
  Session s(hermetic_options(root, clock));
  auto d = s.describe();
  bool seen = false;
  for (const DomainReading& x : d)
    if (x.name == "core-0") {
      seen = true;
      EXPECT_NE(x.reason.find("part of package-0"), std::string::npos) << x.reason;
    }
  EXPECT_TRUE(seen);
}

TEST(MeterPowercap, NoPowercapAtAllSaysSo) {
  TempDir root;
  FakeClock clock;
  write_fake_proc(root);
  Session s(hermetic_options(root, clock));
  s.start();
  clock.advance(1.0);
  Reading r = s.stop();
  const DomainReading& rapl = domain(r, "rapl");
  EXPECT_EQ(rapl.source, Source::unavailable);
  EXPECT_FALSE(rapl.energy_j.has_value());
  EXPECT_NE(rapl.reason.find("no RAPL zones under"), std::string::npos) << rapl.reason;
  EXPECT_NE(rapl.reason.find("no perf PMU 'power'"), std::string::npos) << rapl.reason;
  EXPECT_NE(rapl.reason.find("msr module not loaded"), std::string::npos) << rapl.reason;
}

}  // namespace
}  // namespace ecoinfer::meter
