// The estimate path: TDP table, scaling, overrides and its use by a Session.
#include <gtest/gtest.h>

#include <cstdlib>
#include <unistd.h>

#include "meter/cpu_info.h"
#include "meter/estimate.h"
#include "core/error.h"
#include "meter/meter.h"
#include "meter/tdp_table.h"
#include "meter_test_util.h"

namespace ecoinfer::meter {
namespace {

using namespace testing;

TEST(MeterTdpTable, LooksUpCommonModelNames) {
  auto e = lookup_tdp("AMD EPYC 7763 64-Core Processor");
  ASSERT_TRUE(e);
  EXPECT_DOUBLE_EQ(e->tdp_w, 280);
  EXPECT_EQ(e->threads, 128);
  e = lookup_tdp("Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz");
  ASSERT_TRUE(e);
  EXPECT_DOUBLE_EQ(e->tdp_w, 270);
  e = lookup_tdp("13th Gen Intel(R) Core(TM) i9-13900K");
  ASSERT_TRUE(e);
  EXPECT_DOUBLE_EQ(e->tdp_w, 125);
  e = lookup_tdp("Intel(R) Xeon(R) Platinum 8480+");
  ASSERT_TRUE(e);
  EXPECT_DOUBLE_EQ(e->tdp_w, 350);
  e = lookup_tdp("AMD Ryzen 9 5950X 16-Core Processor");
  ASSERT_TRUE(e);
  EXPECT_DOUBLE_EQ(e->tdp_w, 105);
}

TEST(MeterTdpTable, MatchesWholeModelNumbersOnly) {
  EXPECT_FALSE(lookup_tdp("Intel(R) Xeon(R) Platinum 8380H CPU @ 2.90GHz"));  // a different part
  EXPECT_FALSE(lookup_tdp("13th Gen Intel(R) Core(TM) i9-13900KS"));
  EXPECT_FALSE(lookup_tdp("AMD EPYC"));  // this virtual machine's name: no model number
  EXPECT_FALSE(lookup_tdp(""));
  EXPECT_EQ(normalize_cpu_model("Intel(R)  Xeon(R) Gold 6148 CPU"), "intel xeon gold 6148 cpu");
}

TEST(MeterTdpTable, EveryEntryIsSane) {
  for (const TdpEntry& e : tdp_table()) {
    EXPECT_GT(e.tdp_w, 10) << e.key;
    EXPECT_LT(e.tdp_w, 1000) << e.key;
    EXPECT_GE(e.threads, 4) << e.key;
    EXPECT_EQ(normalize_cpu_model(e.key), e.key) << "keys must be normalized";
    auto self = lookup_tdp(e.key);
    ASSERT_TRUE(self) << e.key;
    EXPECT_STREQ(self->key, e.key);
  }
}

CpuInfo cpu(std::string model, bool vm, int threads, int sockets = 1) {
  CpuInfo c;
  c.model_name = std::move(model);
  c.hypervisor = vm;
  c.logical_cpus = threads;
  c.sockets = sockets;
  c.mem_total_bytes = 16ull << 30;
  return c;
}

TEST(MeterEstimate, UnknownModelUsesFourWattsPerThread) {
  EstimateParams p = resolve_estimate(cpu("AMD EPYC", true, 2), Options{});
  EXPECT_DOUBLE_EQ(p.cpu_tdp_w, 8.0);
  EXPECT_DOUBLE_EQ(p.cpu_idle_w, 0.8);
  EXPECT_NE(p.cpu_tdp_origin.find("not in the TDP table"), std::string::npos);
  EXPECT_DOUBLE_EQ(p.ram_w_per_gb, 0.375);
  EXPECT_DOUBLE_EQ(estimate_ram_power_w(p), 6.0);
  EXPECT_DOUBLE_EQ(estimate_cpu_power_w(p, 0), 0.8);
  EXPECT_DOUBLE_EQ(estimate_cpu_power_w(p, 1), 8.0);
  EXPECT_DOUBLE_EQ(estimate_cpu_power_w(p, 0.5), 4.4);
  EXPECT_DOUBLE_EQ(estimate_cpu_power_w(p, 7), 8.0);  // clamped
}

TEST(MeterEstimate, VirtualMachineGetsItsShareOfThePackage) {
  EstimateParams p = resolve_estimate(cpu("AMD EPYC 7763 64-Core Processor", true, 8), Options{});
  EXPECT_DOUBLE_EQ(p.cpu_tdp_w, 280.0 * 8 / 128);
  EXPECT_NE(p.cpu_tdp_origin.find("8/128"), std::string::npos) << p.cpu_tdp_origin;
}

// A 256-vCPU guest on a 2-socket EPYC 7763 host (128 threads per socket) spans both
// sockets: 2 x 280 W, not one socket's 280 W.
TEST(MeterEstimate, VirtualMachineSpanningTwoSocketsIsNotCappedAtOne) {
  EstimateParams p = resolve_estimate(cpu("AMD EPYC 7763 64-Core Processor", true, 256), Options{});
  EXPECT_DOUBLE_EQ(p.cpu_tdp_w, 560.0);
  EXPECT_NE(p.cpu_tdp_origin.find("256/128"), std::string::npos) << p.cpu_tdp_origin;
  EXPECT_NE(p.cpu_tdp_origin.find("at least 2 sockets"), std::string::npos) << p.cpu_tdp_origin;
  // 192 vCPUs: one and a half sockets' threads.
  EXPECT_DOUBLE_EQ(resolve_estimate(cpu("AMD EPYC 7763 64-Core Processor", true, 192), Options{}).cpu_tdp_w, 420.0);
}

TEST(MeterEstimate, BareMetalCountsSockets) {
  EstimateParams p = resolve_estimate(cpu("Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz", false, 80, 2), Options{});
  EXPECT_DOUBLE_EQ(p.cpu_tdp_w, 300.0);
}

TEST(MeterEstimate, OverridesFromOptionsAndEnvironment) {
  Options o;
  o.cpu_tdp_w = 50;
  o.cpu_idle_fraction = 0.2;
  o.ram_w_per_gb = 1.0;
  EstimateParams p = resolve_estimate(cpu("AMD EPYC 7763", false, 128), o);
  EXPECT_DOUBLE_EQ(p.cpu_tdp_w, 50);
  EXPECT_DOUBLE_EQ(p.cpu_idle_w, 10);
  EXPECT_DOUBLE_EQ(estimate_ram_power_w(p), 16);
  EXPECT_NE(p.cpu_tdp_origin.find("override"), std::string::npos);

  ::setenv("ECOINFER_CPU_TDP_W", "65", 1);
  ::setenv("ECOINFER_RAM_W_PER_GB", "0.5", 1);
  ::setenv("ECOINFER_CPU_IDLE_FRACTION", "0", 1);
  EstimateParams q = resolve_estimate(cpu("AMD EPYC", true, 2), Options{});
  ::setenv("ECOINFER_CPU_TDP_W", "lots", 1);
  EXPECT_THROW(resolve_estimate(cpu("AMD EPYC", true, 2), Options{}), Error);
  ::unsetenv("ECOINFER_CPU_TDP_W");
  ::unsetenv("ECOINFER_RAM_W_PER_GB");
  ::unsetenv("ECOINFER_CPU_IDLE_FRACTION");
  EXPECT_DOUBLE_EQ(q.cpu_tdp_w, 65);
  EXPECT_DOUBLE_EQ(q.cpu_idle_w, 0);
  EXPECT_DOUBLE_EQ(q.ram_w_per_gb, 0.5);
}

TEST(MeterEstimate, SessionScalesByMachineUtilization) {
  TempDir root;
  FakeClock clock;
  write_fake_proc(root, "Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz", "GenuineIntel", 6, 85, false);
  write_proc_stat(root, 1000, 9000);
  Session s(hermetic_options(root, clock));
  s.start();
  write_proc_stat(root, 1000 + 150, 9000 + 50);  // 75 % busy
  clock.advance(4.0);
  Reading r = s.stop();
  ASSERT_TRUE(r.cpu_utilization);
  EXPECT_DOUBLE_EQ(r.cpu_utilization.value(), 0.75);
  EXPECT_DOUBLE_EQ(r.machine_cpu_time_s.value(), 150.0 / static_cast<double>(::sysconf(_SC_CLK_TCK)));
  const DomainReading& c = domain(r, "cpu");
  EXPECT_EQ(c.source, Source::estimate);
  EXPECT_EQ(c.meter, "estimate");
  const double p = 15.0 + (150.0 - 15.0) * 0.75;  // 6148: 150 W, idle 10 %
  EXPECT_NEAR(c.energy_j.value(), p * 4.0, 1e-9);
  EXPECT_NEAR(c.avg_power_w.value(), p, 1e-9);
  EXPECT_NE(c.reason.find("xeon gold 6148"), std::string::npos) << c.reason;
  EXPECT_NEAR(domain(r, "ram").energy_j.value(), 3.0 * 4.0, 1e-9);
  EXPECT_NEAR(r.total_energy_j.value(), p * 4.0 + 12.0, 1e-9);
  EXPECT_EQ(r.total_source, Source::estimate);
  ASSERT_TRUE(r.estimate);
  EXPECT_DOUBLE_EQ(r.estimate->cpu_tdp_w, 150.0);
}

TEST(MeterEstimate, ProcessBasisUsesTheProcessCpuTime) {
  TempDir root;
  FakeClock clock;
  write_fake_proc(root);
  Options o = hermetic_options(root, clock);
  o.basis = EstimateBasis::process;
  o.cpu_tdp_w = 100;
  o.pid = 4242;  // a child: its final usage comes from wait4()
  Session s(o);
  s.start();
  clock.advance(2.0);
  ProcessUsage u;
  u.cpu_time_s = 1.0;  // 1 CPU-second over 2 s on 2 CPUs: 25 %
  u.peak_rss_bytes = 123456;
  Reading r = s.stop(u);
  EXPECT_DOUBLE_EQ(r.process_cpu_utilization.value(), 0.25);
  EXPECT_EQ(r.peak_rss_bytes.value(), 123456u);
  EXPECT_NEAR(domain(r, "cpu").energy_j.value(), (10 + 90 * 0.25) * 2.0, 1e-9);
  EXPECT_NE(domain(r, "cpu").reason.find("process CPU utilization"), std::string::npos);
}

TEST(MeterEstimate, UnknownUtilizationIsUnavailableNotZero) {
  TempDir root;
  FakeClock clock;
  write_fake_proc(root);
  write_file(root / "proc/stat", "garbage\n");
  Options o = hermetic_options(root, clock);
  o.pid = 4242;  // no /proc entry: the process's utilization is unknown too
  Session s(o);
  s.start();
  clock.advance(1.0);
  Reading r = s.stop();
  EXPECT_FALSE(r.cpu_utilization);
  const DomainReading& c = domain(r, "cpu");
  EXPECT_EQ(c.source, Source::unavailable);
  EXPECT_FALSE(c.energy_j);
  EXPECT_FALSE(c.in_total);
  // RAM is still estimated: the total is RAM alone, labelled estimate.
  EXPECT_NEAR(r.total_energy_j.value(), 3.0, 1e-9);
}

}  // namespace
}  // namespace ecoinfer::meter
