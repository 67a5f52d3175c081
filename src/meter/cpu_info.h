#pragma once
// What /proc says about the processor and memory: model, vendor, sockets, logical
// CPUs, whether we run under a hypervisor, installed memory.
#include <cstdint>
#include <optional>
#include <set>
#include <string>

namespace ecoinfer::meter {

struct CpuInfo {
  std::string model_name;  // "" when unknown
  std::string vendor;      // GenuineIntel, AuthenticAMD, ...
  int family = -1, model = -1;
  bool hypervisor = false;
  int sockets = 1;       // distinct "physical id" values (1 when not stated)
  int logical_cpus = 0;  // cpuN lines of /proc/stat, else sysconf
  std::optional<uint64_t> mem_total_bytes;
};

CpuInfo read_cpu_info(const std::string& procfs_root);

}  // namespace ecoinfer::meter
