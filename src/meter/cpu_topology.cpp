#include "meter/cpu_topology.h"

#include <algorithm>
#include <filesystem>
#include <vector>

#include "meter/fsread.h"

namespace ecoinfer::meter {
namespace {

std::optional<int> topology_value(const std::string& sysfs_root, int cpu, const char* leaf) {
  auto v = parse_u64(
      read_file(sysfs_root + "/devices/system/cpu/cpu" + std::to_string(cpu) + "/topology/" + leaf).text);
  if (!v || *v > 1u << 20) return std::nullopt;
  return static_cast<int>(*v);
}

}  // namespace

std::optional<int> cpu_package_id(const std::string& sysfs_root, int cpu) {
  return topology_value(sysfs_root, cpu, "physical_package_id");
}

std::optional<int> cpu_die_id(const std::string& sysfs_root, int cpu) {
  return topology_value(sysfs_root, cpu, "die_id");
}

std::map<int, int> cpu_per_package(const std::string& sysfs_root) {
  namespace fs = std::filesystem;
  std::map<int, int> out;
  std::error_code ec;
  std::vector<int> cpus;
  for (fs::directory_iterator it(sysfs_root + "/devices/system/cpu", ec), end; !ec && it != end; it.increment(ec)) {
    std::string leaf = it->path().filename().string();
    if (leaf.size() > 3 && leaf.compare(0, 3, "cpu") == 0)
      if (auto n = parse_u64(leaf.substr(3))) cpus.push_back(static_cast<int>(*n));
  }
  std::sort(cpus.begin(), cpus.end());
  for (int c : cpus)
    if (auto pkg = cpu_package_id(sysfs_root, c); pkg && !out.count(*pkg)) out[*pkg] = c;
  if (out.empty()) out[0] = 0;
  return out;
}

bool rapl_counters_are_package_wide(const CpuInfo& cpu) {
  return cpu.vendor == "AuthenticAMD" || cpu.vendor == "HygonGenuine";
}

}  // namespace ecoinfer::meter
