// Session on the real machine (sampler thread, process stats, overhead) and the
// wiring of the environment variables.
#include <gtest/gtest.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

#include "core/error.h"
#include "meter/meter.h"
#include "meter/process_stats.h"
#include "meter_test_util.h"

namespace ecoinfer::meter {
namespace {

using namespace testing;

void burn_cpu(double seconds) {
  timespec a{}, b{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
  volatile double x = 1;
  for (;;) {
    for (int i = 0; i < 100000; ++i) x = x * 1.0000001 + 1e-9;
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
    if ((b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) * 1e-9 >= seconds) break;
  }
}

TEST(MeterSession, SamplerRecordsASeriesOnTheRealMachine) {
  Options o;
  o.interval_ms = 50;
  o.nvml_library = "/nonexistent/libnvidia-ml.so.1";
  Session s(o);
  s.start();
  std::vector<char> block(64 << 20, 1);  // 64 MiB touched: the peak must see it
  burn_cpu(0.4);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  Reading r = s.stop();
  EXPECT_GT(r.duration_s, 0.55);
  EXPECT_LT(r.duration_s, 5.0);
  EXPECT_GE(r.sample_count, 6u);
  EXPECT_EQ(r.samples.size(), r.sample_count);
  for (size_t i = 1; i < r.samples.size(); ++i) EXPECT_GT(r.samples[i].t_s, r.samples[i - 1].t_s);
  ASSERT_TRUE(r.process_cpu_time_s);
  EXPECT_GT(*r.process_cpu_time_s, 0.3);
  ASSERT_TRUE(r.peak_rss_bytes);
  EXPECT_GT(r.peak_rss_bytes.value(), 64u << 20);
  EXPECT_TRUE(r.cpu_utilization);
  ASSERT_TRUE(r.sampler_overhead_cpu_fraction);
  EXPECT_LT(*r.sampler_overhead_cpu_fraction, 0.05);
  EXPECT_EQ(r.samples.back().power_w.size(), r.domains.size());
  volatile char sink = block[12345];
  (void)sink;
}

TEST(MeterSession, SamplerOverheadAt100msIsBelowOnePercentOfOneCore) {
  Options o;
  o.interval_ms = 100;
  o.nvml_library = "/nonexistent/libnvidia-ml.so.1";
  Session s(o);
  s.start();
  std::this_thread::sleep_for(std::chrono::seconds(3));
  Reading r = s.stop();
  ASSERT_TRUE(r.sampler_overhead_cpu_fraction);
  ASSERT_TRUE(r.sampler_cpu_s);
  std::printf("[ meter    ] sampler at 100 ms: %zu samples, %.6f s CPU over %.3f s = %.4f %% of one core\n",
              r.sample_count, *r.sampler_cpu_s, r.duration_s, *r.sampler_overhead_cpu_fraction * 100);
  // The count follows the wall time the window really took (a loaded machine stretches both)
  // rather than a fixed 30: never more samples than 100 ms ticks, and the typical gap one tick.
  const double ticks = r.duration_s / 0.1;
  EXPECT_LE(static_cast<double>(r.sample_count), ticks + 2);
  EXPECT_GE(static_cast<double>(r.sample_count), ticks * 0.5);
  ASSERT_GE(r.samples.size(), 3u);
  std::vector<double> gaps;
  for (size_t i = 1; i < r.samples.size(); ++i) gaps.push_back(r.samples[i].t_s - r.samples[i - 1].t_s);
  std::nth_element(gaps.begin(), gaps.begin() + gaps.size() / 2, gaps.end());
  EXPECT_NEAR(gaps[gaps.size() / 2], 0.1, 0.03);
  EXPECT_LT(*r.sampler_overhead_cpu_fraction, 0.01);
  EXPECT_GT(*r.sampler_cpu_s, 0.0);
}

TEST(MeterSession, LifecycleErrors) {
  TempDir root;
  FakeClock clock;
  write_fake_proc(root);
  Session s(hermetic_options(root, clock));
  EXPECT_THROW(s.stop(), Error);
  EXPECT_THROW(s.sample(), Error);
  s.start();
  EXPECT_THROW(s.start(), Error);
  clock.advance(1);
  Reading a = s.stop();
  EXPECT_THROW(s.stop(), Error);
  // A session can open another window.
  s.start();
  clock.advance(2);
  Reading b = s.stop();
  EXPECT_DOUBLE_EQ(a.duration_s, 1.0);
  EXPECT_DOUBLE_EQ(b.duration_s, 2.0);
}

TEST(MeterSession, DestroyedWhileRunningStopsTheSampler) {
  Options o;
  o.interval_ms = 10;
  o.nvml_library = "/nonexistent/libnvidia-ml.so.1";
  auto s = std::make_unique<Session>(o);
  s->start();
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  s.reset();  // must join, not crash
  SUCCEED();
}

TEST(MeterSession, RootsComeFromTheEnvironment) {
  TempDir root;
  write_fake_proc(root, "Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz");
  add_zone(root, "intel-rapl:0", "package-0", 0);
  ::setenv("ECOINFER_SYSFS_ROOT", (root / "sys").c_str(), 1);
  ::setenv("ECOINFER_PROCFS_ROOT", (root / "proc").c_str(), 1);
  ::setenv("ECOINFER_DEVFS_ROOT", (root / "dev").c_str(), 1);
  ::setenv("ECOINFER_NVML_LIBRARY", (root / "nvml.so").c_str(), 1);
  Options o;
  o.interval_ms = 0;
  Session s(o);
  ::unsetenv("ECOINFER_SYSFS_ROOT");
  ::unsetenv("ECOINFER_PROCFS_ROOT");
  ::unsetenv("ECOINFER_DEVFS_ROOT");
  ::unsetenv("ECOINFER_NVML_LIBRARY");
  EXPECT_EQ(s.options().sysfs_root, root / "sys");
  EXPECT_EQ(s.options().procfs_root, root / "proc");
  EXPECT_EQ(s.options().devfs_root, root / "dev");
  EXPECT_EQ(s.options().nvml_library, root / "nvml.so");
  bool pkg = false;
  for (const DomainReading& d : s.describe()) pkg |= d.name == "package-0" && d.source == Source::counter;
  EXPECT_TRUE(pkg);
  // Explicit options win over the environment.
  ::setenv("ECOINFER_SYSFS_ROOT", "/nonexistent", 1);
  Options e;
  e.sysfs_root = root / "sys";
  Session s2(e);
  ::unsetenv("ECOINFER_SYSFS_ROOT");
  EXPECT_EQ(s2.options().sysfs_root, root / "sys");
}

TEST(MeterProcessStats, ParsesProcFiles) {
  TempDir root;
  // A command name with spaces and parentheses; utime..cstime = 100 50 30 20 ticks.
  write_file(root / "proc/77/stat",
             "77 (my (odd) cmd) S 1 77 77 0 -1 4194560 100 0 0 0 100 50 30 20 20 0 1 0 100 1000 10\n");
  write_file(root / "proc/77/status", "Name:\tx\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\n");
  auto cpu = read_process_cpu_s(root / "proc", 77);
  ASSERT_TRUE(cpu);
  EXPECT_DOUBLE_EQ(*cpu, 200.0 / static_cast<double>(::sysconf(_SC_CLK_TCK)));
  EXPECT_EQ(read_status_bytes(root / "proc", 77, "VmRSS"), 1024u * 1024);
  EXPECT_EQ(read_status_bytes(root / "proc", 77, "VmHWM"), 2048u * 1024);
  EXPECT_FALSE(read_status_bytes(root / "proc", 77, "VmSwap"));
  EXPECT_FALSE(read_process_cpu_s(root / "proc", 78));

  write_file(root / "proc/stat", "cpu  10 5 5 80 0 0 0 0 0 0\n");
  auto a = read_machine_times(root / "proc");
  write_file(root / "proc/stat", "cpu  40 5 15 100 0 0 0 0 0 0\n");
  auto b = read_machine_times(root / "proc");
  ASSERT_TRUE(a && b);
  EXPECT_DOUBLE_EQ(*machine_utilization(*a, *b), 40.0 / 60.0);
  EXPECT_FALSE(machine_utilization(*b, *a));
}

TEST(MeterProcessStats, RealProcessReadings) {
  EXPECT_TRUE(read_machine_times("/proc"));
  EXPECT_TRUE(read_process_cpu_s("/proc", 0));
  EXPECT_TRUE(read_status_bytes("/proc", 0, "VmRSS"));
  EXPECT_GE(self_cpu_s(), 0.0);
  EXPECT_GE(thread_cpu_s(), 0.0);
}

}  // namespace
}  // namespace ecoinfer::meter
