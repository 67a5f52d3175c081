#pragma once
// The metering layer: energy, power, utilization and memory over a window, every
// figure labelled with where it came from.
//
//   meter::Session s(meter::Options{});        // discovers meters (RAPL, NVML, estimate)
//   s.start();                                 // opens the window, starts the sampler
//   ... workload ...
//   meter::Reading r = s.stop();               // closes it
//
// Sources, best first (docs/metering.md has the details):
//   counter     a hardware energy counter differenced over the window: RAPL through
//               powercap sysfs, perf_event or MSRs; NVML's total-energy counter.
//               Wraps (RAPL) are counted at every sample; backward steps without a
//               wrap range (NVML) are counted as resets.
//   sampled     NVML power samples integrated with the trapezoid rule over the
//               actual sample times.
//   estimate    no sensor readable: CPU power from a TDP table and measured CPU
//               utilization (with an idle floor), RAM from a per-GB constant. Also
//               stands in (its 1/N share) for a counter that fails during a window.
//   unavailable nothing could be read; `reason` says exactly what failed and why.
// Unknown figures are std::nullopt, never 0.
//
// Domains: one per RAPL package and DRAM zone, one per visible GPU, the estimates,
// and one `unavailable` entry per meter that could not be used. `in_total` marks the
// domains whose energies add up without double counting (package + dram, or psys
// alone; core/uncore are part of their package and never in the total).
//
// Roots: sysfs, procfs and /dev (for MSRs) can be redirected, and so can the NVML
// library; fields left empty take ECOINFER_SYSFS_ROOT, ECOINFER_PROCFS_ROOT,
// ECOINFER_DEVFS_ROOT and ECOINFER_NVML_LIBRARY from the environment, then the
// system defaults. Estimate constants likewise take ECOINFER_CPU_TDP_W,
// ECOINFER_CPU_IDLE_FRACTION and ECOINFER_RAM_W_PER_GB.
//
// Threading: a Session is used from one thread; its sampler runs on its own thread
// and sample() may be called from the owning thread while the window is open.
#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ecoinfer::meter {

enum class Source { counter, sampled, estimate, unavailable };
enum class Kind { cpu, dram, gpu, ram, platform };  // platform: RAPL psys

const char* source_name(Source s);
const char* kind_name(Kind k);

// Whose CPU utilization scales the CPU estimate: the whole machine (what a RAPL
// counter would see; the default) or the measured process alone.
enum class EstimateBasis { machine, process };

// Test hook for RAPL through perf_event: the three system calls it needs.
class PerfOps {
 public:
  virtual ~PerfOps() = default;
  // Returns a file descriptor, or -errno.
  virtual int open(uint32_t type, uint64_t config, int cpu) = 0;
  virtual bool read(int fd, uint64_t& value) = 0;
  virtual void close(int fd) = 0;
};

struct Options {
  std::string sysfs_root;    // "" -> $ECOINFER_SYSFS_ROOT or /sys
  std::string procfs_root;   // "" -> $ECOINFER_PROCFS_ROOT or /proc
  std::string devfs_root;    // "" -> $ECOINFER_DEVFS_ROOT or /dev (MSRs: cpu/N/msr)
  std::string nvml_library;  // "" -> $ECOINFER_NVML_LIBRARY or libnvidia-ml.so.1
  // nullopt -> $CUDA_VISIBLE_DEVICES (unset: every GPU).
  std::optional<std::string> cuda_visible_devices;
  // How CUDA numbers GPUs: "PCI_BUS_ID" or "FASTEST_FIRST" (CUDA's default); nullopt ->
  // $CUDA_DEVICE_ORDER. Used to map CUDA_VISIBLE_DEVICES indices to NVML devices.
  std::optional<std::string> cuda_device_order;
  // Sampler period; 0 runs no thread (call sample() yourself, or rely on start/stop).
  int interval_ms = 100;
  // Process whose CPU time and memory are reported; 0 is this process.
  pid_t pid = 0;
  EstimateBasis basis = EstimateBasis::machine;
  std::optional<double> cpu_tdp_w;          // overrides the TDP table
  std::optional<double> cpu_idle_fraction;  // idle floor as a fraction of TDP
  std::optional<double> ram_w_per_gb;       // RAM power per GiB of installed memory
  bool use_powercap = true, use_perf = true, use_msr = true, use_nvml = true;
  bool allow_estimate = true;
  // Keep the series of samples in the Reading (false keeps only the totals).
  bool keep_samples = true;
  // Test hooks: a monotonic clock in seconds, and perf_event system calls.
  std::function<double()> clock;
  std::shared_ptr<PerfOps> perf_ops;
};

struct DomainReading {
  std::string name;   // package-0, dram-0, psys, core-0, gpu-1, cpu, ram, rapl, nvml
  Kind kind = Kind::cpu;
  Source source = Source::unavailable;
  std::string meter;  // powercap, perf, msr, nvml, estimate
  std::optional<double> energy_j;
  std::optional<double> avg_power_w;
  bool in_total = false;
  std::string reason;  // why unavailable; for others, notes (how estimated, resets seen)
  std::vector<std::pair<std::string, std::string>> details;  // model, uuid, zone path...
  // The shortest time this figure resolves: how often the counter updates (RAPL about
  // 1 ms, NVML's energy counter about 100 ms), the averaging window of the power read
  // (1 s for NVML's average), or the sampler interval for integrated samples. A window
  // of length T may be off by up to resolution_s / T of its energy.
  std::optional<double> resolution_s;
};

struct GpuTelemetry {
  std::string name;  // matches the domain name, gpu-N
  std::optional<double> utilization;        // 0..1
  std::optional<uint64_t> memory_used_bytes;
  std::optional<double> power_limit_w;
  std::optional<double> sm_clock_mhz, mem_clock_mhz;
  std::optional<double> temperature_c;
};

struct Sample {
  double t_s = 0;  // since start()
  std::optional<double> cpu_utilization;          // machine, over the last tick, 0..1
  std::optional<double> process_cpu_utilization;  // process CPU time / (tick x cpus)
  std::optional<uint64_t> rss_bytes;
  std::vector<std::optional<double>> power_w;  // one per Reading::domains entry
  std::vector<GpuTelemetry> gpus;
};

// Parameters the estimate used, so that the report can state them.
struct EstimateParams {
  double cpu_tdp_w = 0;        // full-load CPU power attributed to this machine
  double cpu_idle_w = 0;       // power at zero utilization
  std::string cpu_tdp_origin;  // "table: EPYC 7763 (280 W, 128 threads)", "default: ...", "override: ..."
  double ram_w_per_gb = 0;
  double ram_gb = 0;
  std::string ram_origin;
  EstimateBasis basis = EstimateBasis::machine;
};

struct Reading {
  double duration_s = 0;  // monotonic clock
  std::vector<DomainReading> domains;
  std::optional<double> total_energy_j;  // sum of in_total domains; nullopt if none
  std::optional<double> total_avg_power_w;
  Source total_source = Source::unavailable;  // least trustworthy source in the total
  std::optional<double> cpu_utilization;          // machine, 0..1 of all logical CPUs
  std::optional<double> machine_cpu_time_s;       // busy CPU time of the whole machine
  std::optional<double> process_cpu_time_s;       // excludes the sampler thread
  std::optional<double> process_cpu_utilization;  // process CPU time / (duration x cpus)
  std::optional<uint64_t> peak_rss_bytes;         // peak resident memory in the window
  int cpu_count = 0;                              // logical CPUs
  std::string cpu_model;
  std::optional<double> ram_total_gb;  // GiB
  std::optional<EstimateParams> estimate;
  int interval_ms = 0;
  std::optional<double> sampler_cpu_s;                 // CPU time of the sampler thread
  std::optional<double> sampler_overhead_cpu_fraction;  // sampler_cpu_s / duration (of one core)
  size_t sample_count = 0;
  std::vector<Sample> samples;
  std::vector<std::string> warnings;
  // The coarsest resolution_s among the in_total domains with an energy: windows
  // shorter than this cannot be measured (shorter than 10x it, only roughly).
  std::optional<double> resolution_s;

  const DomainReading* find(const std::string& name) const;
  // Sum of energy over in_total domains of one kind; nullopt when there are none.
  std::optional<double> energy_of(Kind k) const;
};

// Final usage of a child process, from wait4(): more complete than /proc, which
// forgets a process once it is reaped.
struct ProcessUsage {
  double cpu_time_s = 0;
  uint64_t peak_rss_bytes = 0;
};

class Session {
 public:
  explicit Session(Options opts = {});
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start();
  // Measure this process from now on (a child started after start(), whose final
  // usage stop() then takes from wait4()).
  void set_pid(pid_t pid);
  // One sample now (the sampler does this every interval_ms).
  void sample();
  Reading stop(std::optional<ProcessUsage> final_usage = std::nullopt);

  // The meters found, before start(): domain names, kinds, sources and reasons.
  std::vector<DomainReading> describe() const;
  const Options& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ecoinfer::meter
