#pragma once
// The estimate used when no sensor is readable. Always labelled `estimate`.
//
// CPU: P(u) = idle + (full - idle) * u, u the CPU utilization (machine by default).
//   full  = an override (--cpu-tdp, ECOINFER_CPU_TDP_W), else the TDP table entry
//           times the sockets (bare metal) or, in a virtual machine, times
//           vCPUs / threads per package (above 1 when the guest spans several
//           sockets), else 4 W per logical CPU (a
//           CodeCarbon constant; it scales with the CPUs, where CodeCarbon's 85 W for
//           an unknown CPU does not).
//   idle  = full * idle fraction (default 0.10; --cpu-idle-fraction,
//           ECOINFER_CPU_IDLE_FRACTION).
// RAM: constant power = W per GiB * installed GiB (default 3 W per 8 GiB, CodeCarbon
//   v2's constant; --ram-w-per-gb, ECOINFER_RAM_W_PER_GB).
// Because P is affine in u, the window's energy is P(mean u) * duration exactly.
#include "meter/cpu_info.h"
#include "meter/meter.h"

namespace ecoinfer::meter {

inline constexpr double kDefaultWattsPerThread = 4.0;
inline constexpr double kDefaultIdleFraction = 0.10;
inline constexpr double kDefaultRamWattsPerGb = 3.0 / 8.0;

EstimateParams resolve_estimate(const CpuInfo& cpu, const Options& opts);
double estimate_cpu_power_w(const EstimateParams& p, double utilization);
double estimate_ram_power_w(const EstimateParams& p);

}  // namespace ecoinfer::meter
