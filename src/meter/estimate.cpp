#include "meter/estimate.h"

#include <algorithm>

#include "core/error.h"
#include "meter/fsread.h"
#include "meter/tdp_table.h"

namespace ecoinfer::meter {

EstimateParams resolve_estimate(const CpuInfo& cpu, const Options& opts) {
  EstimateParams p;
  p.basis = opts.basis;
  std::optional<double> tdp = opts.cpu_tdp_w ? opts.cpu_tdp_w : env_number("ECOINFER_CPU_TDP_W");
  std::optional<double> idle = opts.cpu_idle_fraction ? opts.cpu_idle_fraction : env_number("ECOINFER_CPU_IDLE_FRACTION");
  std::optional<double> ram = opts.ram_w_per_gb ? opts.ram_w_per_gb : env_number("ECOINFER_RAM_W_PER_GB");
  ECO_CHECK(!tdp || *tdp > 0, "CPU TDP override must be positive, got {}", *tdp);
  ECO_CHECK(!idle || (*idle >= 0 && *idle <= 1), "CPU idle fraction must lie in [0, 1], got {}", *idle);
  int threads = std::max(1, cpu.logical_cpus);
  if (tdp) {
    p.cpu_tdp_w = *tdp;
    p.cpu_tdp_origin = fmt::format("override: {} W for the whole machine", *tdp);
  } else if (auto e = lookup_tdp(cpu.model_name)) {
    if (cpu.hypervisor) {
      // A guest sees vCPUs, not sockets: charge the host's power per hardware thread.
      // More vCPUs than one package has threads means the guest spans several
      // sockets (256 vCPUs of 2x EPYC 7763: 2 x 280 W), so there is no one-socket cap.
      p.cpu_tdp_w = e->tdp_w * threads / e->threads;
      int spanned = (threads + e->threads - 1) / e->threads;
      p.cpu_tdp_origin = fmt::format("table: {} ({} W, {} threads per socket) x {}/{} threads seen by this virtual "
                                     "machine",
                                     e->key, e->tdp_w, e->threads, threads, e->threads);
      if (spanned > 1)
        p.cpu_tdp_origin += fmt::format(" ({} vCPUs exceed one socket's {} threads: the guest spans at least {} sockets)",
                                        threads, e->threads, spanned);
    } else {
      p.cpu_tdp_w = e->tdp_w * cpu.sockets;
      p.cpu_tdp_origin = fmt::format("table: {} ({} W) x {} socket(s)", e->key, e->tdp_w, cpu.sockets);
    }
  } else {
    p.cpu_tdp_w = kDefaultWattsPerThread * threads;
    p.cpu_tdp_origin = fmt::format("default: CPU model '{}' not in the TDP table; {} W x {} logical CPUs",
                                   cpu.model_name.empty() ? "unknown" : cpu.model_name, kDefaultWattsPerThread,
                                   threads);
  }
  double frac = idle.value_or(kDefaultIdleFraction);
  p.cpu_idle_w = p.cpu_tdp_w * frac;
  p.cpu_tdp_origin += fmt::format("; idle floor {:.0f} %{}", frac * 100, idle ? " (override)" : " (default)");
  p.ram_w_per_gb = ram.value_or(kDefaultRamWattsPerGb);
  p.ram_gb = cpu.mem_total_bytes ? static_cast<double>(*cpu.mem_total_bytes) / (1024.0 * 1024 * 1024) : 0;
  p.ram_origin = ram ? fmt::format("override: {} W/GiB", *ram) : std::string("default: 3 W per 8 GiB (CodeCarbon v2)");
  return p;
}

double estimate_cpu_power_w(const EstimateParams& p, double utilization) {
  double u = std::clamp(utilization, 0.0, 1.0);
  return p.cpu_idle_w + (p.cpu_tdp_w - p.cpu_idle_w) * u;
}

double estimate_ram_power_w(const EstimateParams& p) { return p.ram_w_per_gb * p.ram_gb; }

}  // namespace ecoinfer::meter
