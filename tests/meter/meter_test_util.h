#pragma once
// Helpers for the meter tests: temporary fake sysfs/procfs/devfs trees, a fake
// clock, and options that keep a Session away from the real machine.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "meter/meter.h"
#include "test_paths.h"

namespace ecoinfer::meter::testing {

namespace fs = std::filesystem;

// The temporary folder class all tests share (test_paths.h).
using ecoinfer::test::TempDir;

inline void write_file(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A powercap zone <sysfs>/class/powercap/<id> with name, energy_uj and range.
inline void add_zone(const TempDir& root, const std::string& id, const std::string& name, uint64_t energy_uj,
                     uint64_t max_range_uj = 262143328850ull) {
  std::string dir = root / ("sys/class/powercap/" + id);
  write_file(dir + "/name", name + "\n");
  write_file(dir + "/energy_uj", std::to_string(energy_uj) + "\n");
  write_file(dir + "/max_energy_range_uj", std::to_string(max_range_uj) + "\n");
}
inline void set_energy(const TempDir& root, const std::string& id, uint64_t energy_uj) {
  write_file(root / ("sys/class/powercap/" + id + "/energy_uj"), std::to_string(energy_uj) + "\n");
}

// <sysfs>/devices/system/cpu/cpuN/topology: physical_package_id, and die_id when >= 0.
inline void write_topology(const TempDir& root, int cpu, int package, int die = -1) {
  std::string dir = root / ("sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/topology");
  write_file(dir + "/physical_package_id", std::to_string(package) + "\n");
  if (die >= 0) write_file(dir + "/die_id", std::to_string(die) + "\n");
}

inline bool any_warning_contains(const Reading& r, const std::string& text) {
  for (const std::string& w : r.warnings)
    if (w.find(text) != std::string::npos) return true;
  return false;
}

// /proc/stat with an aggregate line (busy and idle ticks) for `cpus` CPUs.
inline void write_proc_stat(const TempDir& root, uint64_t busy, uint64_t idle, int cpus = 2) {
  std::string s = "cpu  " + std::to_string(busy) + " 0 0 " + std::to_string(idle) + " 0 0 0 0 0 0\n";
  for (int i = 0; i < cpus; ++i) s += "cpu" + std::to_string(i) + " 0 0 0 0 0 0 0 0 0 0\n";
  s += "intr 0\nctxt 0\n";
  write_file(root / "proc/stat", s);
}

inline void write_fake_proc(const TempDir& root, const std::string& model = "Fake CPU 9000",
                            const std::string& vendor = "GenuineIntel", int family = 6, int model_no = 85,
                            bool hypervisor = false, uint64_t mem_kb = 8ull * 1024 * 1024) {
  std::string flags = std::string("fpu msr") + (hypervisor ? " hypervisor" : "");
  std::string cpuinfo;
  for (int i = 0; i < 2; ++i)
    cpuinfo += "processor\t: " + std::to_string(i) + "\nvendor_id\t: " + vendor + "\ncpu family\t: " +
               std::to_string(family) + "\nmodel\t\t: " + std::to_string(model_no) + "\nmodel name\t: " + model +
               "\nphysical id\t: 0\nflags\t\t: " + flags + "\n\n";
  write_file(root / "proc/cpuinfo", cpuinfo);
  write_file(root / "proc/meminfo", "MemTotal:       " + std::to_string(mem_kb) + " kB\nMemFree: 1 kB\n");
  write_proc_stat(root, 1000, 9000);
}

struct FakeClock {
  std::shared_ptr<double> t = std::make_shared<double>(100.0);
  void advance(double s) { *t += s; }
  std::function<double()> fn() const {
    auto p = t;
    return [p] { return *p; };
  }
};

// Options that read only the fake trees under `root`: no NVML unless asked, no sampler
// thread, a fake clock.
inline Options hermetic_options(const TempDir& root, const FakeClock& clock) {
  Options o;
  o.sysfs_root = root / "sys";
  o.procfs_root = root / "proc";
  o.devfs_root = root / "dev";
  o.nvml_library = root / "no-such-libnvidia-ml.so.1";
  o.cuda_visible_devices = std::nullopt;
  o.interval_ms = 0;
  o.clock = clock.fn();
  return o;
}

inline const DomainReading& domain(const Reading& r, const std::string& name) {
  static const DomainReading none = [] {
    DomainReading d;
    d.name = "<missing>";
    return d;
  }();
  const DomainReading* d = r.find(name);
  return d ? *d : none;
}

}  // namespace ecoinfer::meter::testing
