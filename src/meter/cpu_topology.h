#pragma once
// CPU topology from sysfs (<sysfs>/devices/system/cpu/cpuN/topology/*), and the
// vendor rule for RAPL counters that the kernel exposes once per die.
//
// Die-scoped RAPL: since Linux 5.3 ("perf/x86/rapl: Support multi-die/package",
// "powercap/intel_rapl: Support multi-die/package") the kernel registers one RAPL
// package per die when a package has several dies. On Intel multi-die parts
// (Cascade Lake-AP) each die has its own energy counter: the dies add up. On AMD
// and Hygon the energy MSRs are package-wide; since "x86/cpu/topology: Add support
// for the AMD 0x80000026 leaf" (Linux 6.10) the kernel calls each CCD a die, so every
// die zone and every cpumask CPU of the power PMU reads the whole socket until
// "perf/x86/rapl: Fix the energy-pkg event for AMD CPUs" and "powercap/intel_rapl:
// Fix the energy-pkg event for AMD CPUs" put them back to package scope. Hence:
// on AMD/Hygon count one per package, elsewhere sum the dies.
#include <map>
#include <optional>
#include <string>

#include "meter/cpu_info.h"

namespace ecoinfer::meter {

std::optional<int> cpu_package_id(const std::string& sysfs_root, int cpu);
std::optional<int> cpu_die_id(const std::string& sysfs_root, int cpu);
// Package id -> its lowest-numbered CPU; {0: 0} when the topology is unreadable.
std::map<int, int> cpu_per_package(const std::string& sysfs_root);
// True when the vendor's RAPL energy counters are package-wide (AMD, Hygon), so
// per-die copies of one package repeat the same counter.
bool rapl_counters_are_package_wide(const CpuInfo& cpu);

}  // namespace ecoinfer::meter
