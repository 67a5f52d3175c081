#include "meter/cpu_info.h"

#include <unistd.h>

#include <sstream>

#include "meter/fsread.h"

namespace ecoinfer::meter {

CpuInfo read_cpu_info(const std::string& procfs_root) {
  CpuInfo info;
  std::set<std::string> physical_ids;
  std::istringstream in(read_file(procfs_root + "/cpuinfo").text);
  std::string line;
  while (std::getline(in, line)) {
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = trim(line.substr(0, colon));
    std::string val = trim(line.substr(colon + 1));
    if (key == "model name" && info.model_name.empty()) info.model_name = val;
    else if (key == "vendor_id" && info.vendor.empty()) info.vendor = val;
    else if (key == "cpu family" && info.family < 0) info.family = parse_u64(val).value_or(0);
    else if (key == "model" && info.model < 0) info.model = parse_u64(val).value_or(0);
    else if (key == "physical id") physical_ids.insert(val);
    else if (key == "flags" && (" " + val + " ").find(" hypervisor ") != std::string::npos) info.hypervisor = true;
  }
  if (!physical_ids.empty()) info.sockets = static_cast<int>(physical_ids.size());

  std::istringstream st(read_file(procfs_root + "/stat").text);
  while (std::getline(st, line))
    if (line.size() > 3 && line.compare(0, 3, "cpu") == 0 && line[3] >= '0' && line[3] <= '9') ++info.logical_cpus;
  if (info.logical_cpus == 0) info.logical_cpus = static_cast<int>(std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN)));

  std::istringstream mi(read_file(procfs_root + "/meminfo").text);
  while (std::getline(mi, line)) {
    if (line.compare(0, 9, "MemTotal:") != 0) continue;
    std::istringstream ls(line.substr(9));
    uint64_t kb = 0;
    std::string unit;
    if (ls >> kb >> unit && unit == "kB") info.mem_total_bytes = kb * 1024;
    break;
  }
  return info;
}

}  // namespace ecoinfer::meter
