// RAPL through the powercap sysfs interface.
//
// Zones live under <sysfs>/class/powercap (flat links) and
// <sysfs>/devices/virtual/powercap (nested directories); the same zone is found
// through both, so zones are de-duplicated by their canonical path. Domains are
// chosen by their `name` file, never by position:
//   package-N  one per socket (de-duplicated by N: intel-rapl is preferred to
//              intel-rapl-mmio, which repeats package-0 on client parts)
//   package-N-die-M  one per die when a package has several (Linux 5.3 and later).
//              Intel: each die has its own counter, so the dies are added. AMD and
//              Hygon (Linux 6.10-6.11, CCDs taken for dies): every die zone reads the
//              same package-wide MSR, so one per package is kept (cpu_topology.h).
//   dram       separate from the package: added to the total
//   core/uncore  part of their package: reported, never added. On AMD, `core` is
//              one core's counter (MSR 0xC001029A read on the package's lead CPU).
//   psys       the whole platform, a superset of the packages: added only when no
//              package zone is readable
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>

#include "meter/backend.h"
#include "meter/cpu_info.h"
#include "meter/cpu_topology.h"
#include "meter/fsread.h"

namespace ecoinfer::meter {
namespace {

namespace fs = std::filesystem;

struct Zone {
  std::string id;       // intel-rapl:0:1
  std::string type;     // intel-rapl
  std::vector<int> idx;  // {0, 1}
  std::string name;     // dram
  std::string dir;
  std::string canon;
};

std::string parent_id(const Zone& z) {
  size_t p = z.id.rfind(':');
  return z.id.substr(0, p);
}

void walk(const fs::path& dir, int depth, std::vector<Zone>& out, std::map<std::string, bool>& seen) {
  static const std::regex top_re(R"(^[A-Za-z0-9_-]+(:[0-9]+)*$)");
  static const std::regex zone_re(R"(^([A-Za-z0-9_-]+)((:[0-9]+)+)$)");
  if (depth > 6) return;
  std::error_code ec;
  fs::directory_iterator it(dir, ec), end;
  if (ec) return;
  for (; it != end; it.increment(ec)) {
    if (ec) break;
    std::string leaf = it->path().filename().string();
    std::smatch m;
    bool is_zone = std::regex_match(leaf, m, zone_re);
    if (!(depth == 0 ? std::regex_match(leaf, top_re) : is_zone)) continue;
    if (!it->is_directory(ec)) continue;
    if (is_zone && fs::exists(it->path() / "name", ec)) {
      char buf[PATH_MAX];
      std::string canon = ::realpath(it->path().c_str(), buf) ? std::string(buf) : it->path().string();
      if (!seen[canon]) {
        seen[canon] = true;
        Zone z;
        z.id = leaf;
        z.type = m[1].str();
        for (const std::string& s : split(m[2].str().substr(1), ':')) z.idx.push_back(std::atoi(s.c_str()));
        z.name = trim(read_file((it->path() / "name").string()).text);
        z.dir = it->path().string();
        z.canon = canon;
        out.push_back(std::move(z));
      }
    }
    walk(it->path(), depth + 1, out, seen);
  }
}

std::string unreadable_reason(const std::string& path, int err) {
  if (err == EACCES || err == EPERM)
    return "energy_uj is readable by root only (" + path + ": " + errno_text(err) +
           "; restricted since the fix for CVE-2020-8694 (Platypus): Linux 5.10, and stable and distribution "
           "kernels updated from November 2020 on; run as root or grant read access)";
  return path + ": " + errno_text(err);
}

class PowercapBackend : public Backend {
 public:
  void add(ChannelSpec spec, std::string energy_path) {
    channels_.push_back(std::move(spec));
    paths_.push_back(std::move(energy_path));
  }
  void read(std::vector<ChannelValue>& out) override {
    out.assign(paths_.size(), {});
    for (size_t i = 0; i < paths_.size(); ++i) {
      FileText f = read_file(paths_[i]);
      auto v = f.ok ? parse_u64(f.text) : std::nullopt;
      if (v) {
        out[i].ok = true;
        out[i].raw = *v;
      } else {
        out[i].error = f.ok ? paths_[i] + ": not a number" : unreadable_reason(paths_[i], f.err);
      }
    }
  }
  bool empty() const { return paths_.empty(); }

 private:
  std::vector<std::string> paths_;
};

int type_rank(const std::string& type) { return type == "intel-rapl" ? 0 : 1; }

}  // namespace

Probe probe_powercap(const Roots& roots) {
  Probe probe;
  std::vector<Zone> zones;
  std::map<std::string, bool> seen;
  const std::string bases[] = {roots.sysfs + "/class/powercap", roots.sysfs + "/devices/virtual/powercap"};
  for (const std::string& b : bases) walk(b, 0, zones, seen);
  std::erase_if(zones, [](const Zone& z) { return z.type.find("rapl") == std::string::npos; });
  if (zones.empty()) {
    probe.failure = "no RAPL zones under " + bases[0] + " or " + bases[1] +
                    " (no RAPL driver, or hidden by the virtual machine or container)";
    return probe;
  }
  std::sort(zones.begin(), zones.end(), [](const Zone& a, const Zone& b) {
    if (type_rank(a.type) != type_rank(b.type)) return type_rank(a.type) < type_rank(b.type);
    if (a.type != b.type) return a.type < b.type;
    return a.idx < b.idx;
  });

  // One package zone per package (or die) number.
  static const std::regex pkg_re(R"(^package-([0-9]+)(-die-([0-9]+))?$)");
  const CpuInfo cpu = read_cpu_info(roots.procfs);
  const bool package_wide = rapl_counters_are_package_wide(cpu);
  std::map<std::pair<int, int>, const Zone*> tops;  // (package, die or -1) -> zone
  for (const Zone& z : zones) {
    std::smatch m;
    if (z.idx.size() != 1 || !std::regex_match(z.name, m, pkg_re)) continue;
    std::pair<int, int> key{std::atoi(m[1].str().c_str()), m[3].matched ? std::atoi(m[3].str().c_str()) : -1};
    if (tops.count(key)) {
      probe.warnings.push_back("duplicate RAPL zone " + z.dir + " (" + z.name + ") ignored; using " + tops[key]->dir);
      continue;
    }
    tops[key] = &z;
  }
  struct Top {
    const Zone* zone;
    std::string suffix;  // "0" or "0-die-1": domain names are package-<suffix>, dram-<suffix>
  };
  std::vector<Top> packages;
  std::map<std::string, std::string> suffix_of_id;  // zone id -> suffix
  std::map<int, const Zone*> kept_die;               // AMD: the die zone kept per package
  for (auto& [key, z] : tops) {
    std::string suffix = std::to_string(key.first);
    if (key.second >= 0) {
      if (package_wide) {
        if (kept_die.count(key.first)) {
          probe.warnings.push_back("RAPL zone " + z->dir + " (" + z->name + ") reads the same package-wide counter as " +
                                   kept_die[key.first]->dir + " on " + cpu.vendor +
                                   " CPUs (the kernel names CCDs as dies before \"powercap/intel_rapl: Fix the "
                                   "energy-pkg event for AMD CPUs\"); counted once");
          continue;
        }
        kept_die[key.first] = z;
      } else {
        suffix += "-die-" + std::to_string(key.second);
      }
    }
    packages.push_back({z, suffix});
    suffix_of_id[z->id] = suffix;
  }

  struct Candidate {
    const Zone* zone;
    ChannelSpec spec;
  };
  std::vector<Candidate> cands;
  auto make_spec = [](const Zone& z, std::string name, Kind kind) {
    ChannelSpec s = counter_channel(std::move(name), kind, "powercap", 1e-6, 0);  // modulus once read
    s.resolution_s = kRaplUpdatePeriodS;
    s.details = {{"zone", z.dir}, {"zone_name", z.name}};
    return s;
  };
  for (const Top& t : packages) {
    Candidate c{t.zone, make_spec(*t.zone, "package-" + t.suffix, Kind::cpu)};
    if (package_wide && t.zone->name.find("-die-") != std::string::npos)
      c.spec.note = "zone " + t.zone->name + ": one die zone stands for the whole package (package-wide counter)";
    cands.push_back(std::move(c));
  }
  int top_dram = 0;
  std::map<std::string, bool> dram_parent_seen;
  for (const Zone& z : zones) {
    if (z.idx.size() == 1 && z.name == "psys") {
      bool dup = false;
      for (const Candidate& c : cands) dup |= c.spec.name == "psys";
      if (!dup) cands.push_back({&z, make_spec(z, "psys", Kind::platform)});
      continue;
    }
    if (z.idx.size() == 1 && z.name == "dram") {
      cands.push_back({&z, make_spec(z, "dram-top-" + std::to_string(top_dram++), Kind::dram)});
      continue;
    }
    if (z.idx.size() != 2) continue;
    auto pit = suffix_of_id.find(parent_id(z));
    if (pit == suffix_of_id.end()) continue;  // child of an ignored duplicate or of psys
    const std::string& n = pit->second;
    if (z.name == "dram") {
      if (dram_parent_seen[parent_id(z)]) continue;
      dram_parent_seen[parent_id(z)] = true;
      cands.push_back({&z, make_spec(z, "dram-" + n, Kind::dram)});
    } else if (z.name == "core" || z.name == "uncore") {
      Candidate c{&z, make_spec(z, z.name + "-" + n, Kind::cpu)};
      c.spec.in_total = false;
      if (z.name == "core" && package_wide)
        c.spec.note = "one core only: the " + cpu.vendor + " core zone reads MSR 0xC001029A of package-" + n +
                      "'s lead CPU, not all its cores; not added to the total";
      else
        c.spec.note = "part of package-" + n + "; not added to the total";
      cands.push_back(std::move(c));
    }
  }

  auto backend = std::make_unique<PowercapBackend>();
  bool package_readable = false;
  std::string first_failure;
  std::vector<Candidate> readable;
  for (Candidate& c : cands) {
    std::string path = c.zone->dir + "/energy_uj";
    FileText f = read_file(path);
    if (!f.ok || !parse_u64(f.text)) {
      DomainReading d = unavailable_domain(c.spec.name, c.spec.kind, "powercap",
                                           f.ok ? path + ": not a number" : unreadable_reason(path, f.err));
      if (first_failure.empty() && c.spec.in_total) first_failure = d.reason;
      probe.unavailable.push_back(std::move(d));
      continue;
    }
    auto range = parse_u64(read_file(c.zone->dir + "/max_energy_range_uj").text);
    if (range && *range > 0 && *range < UINT64_MAX) {
      c.spec.modulus = *range + 1;
      c.spec.details.push_back({"max_energy_range_uj", std::to_string(*range)});
      auto max_uw = parse_u64(read_file(c.zone->dir + "/constraint_0_max_power_uw").text);
      // Without a stated maximum, assume 1 kW per zone: an upper bound for any part.
      double max_w = max_uw && *max_uw > 0 ? static_cast<double>(*max_uw) * 1e-6 : 1000.0;
      c.spec.min_wrap_time_s = static_cast<double>(*range) * 1e-6 / max_w;
    } else {
      probe.warnings.push_back(c.zone->dir + "/max_energy_range_uj unreadable: a wrap of " + c.spec.name +
                               " would be taken for a counter reset");
    }
    if (c.spec.kind == Kind::cpu && c.spec.in_total) package_readable = true;
    readable.push_back(std::move(c));
  }
  for (Candidate& c : readable) {
    if (c.spec.name == "psys" && package_readable) {
      c.spec.in_total = false;
      c.spec.note = "whole platform, includes the packages; not added to the total";
    }
    backend->add(std::move(c.spec), c.zone->dir + "/energy_uj");
  }
  // Without a readable package (or psys) the CPU is not covered: let the next meter try.
  bool any_cpu = false;
  for (const ChannelSpec& s : backend->channels()) any_cpu |= s.in_total && s.kind != Kind::dram;
  if (!any_cpu) {
    probe.failure = first_failure.empty() ? "no package, dram or psys zone among the RAPL zones" : first_failure;
    probe.unavailable.clear();
    return probe;
  }
  probe.backend = std::move(backend);
  return probe;
}

}  // namespace ecoinfer::meter
