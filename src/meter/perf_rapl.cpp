// RAPL through perf_event: the `power` PMU, used when powercap is unreadable.
// <sysfs>/bus/event_source/devices/power/{type,cpumask,events/energy-*[.scale|.unit]};
// one event per cpumask CPU, opened system-wide on that CPU. cpumask names one CPU
// per counter scope: a package, or a die on Intel multi-die parts (summed), or - on
// AMD with Linux 6.10-6.11 - a CCD that reads the whole socket's counter (one per
// package is kept; cpu_topology.h has the rule and its sources).
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "meter/backend.h"
#include "meter/cpu_info.h"
#include "meter/cpu_topology.h"
#include "meter/fsread.h"

namespace ecoinfer::meter {
namespace {

class SyscallPerfOps : public PerfOps {
 public:
  int open(uint32_t type, uint64_t config, int cpu) override {
    perf_event_attr attr;
    std::memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.type = type;
    attr.config = config;
    long fd = ::syscall(SYS_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
    return fd < 0 ? -errno : static_cast<int>(fd);
  }
  // read(), not pread(): perf event fds are not seekable, and pread fails with ESPIPE.
  bool read(int fd, uint64_t& value) override {
    return ::read(fd, &value, sizeof value) == static_cast<ssize_t>(sizeof value);
  }
  void close(int fd) override { ::close(fd); }
};

// "event=0x02" or "event=0x02,umask=0x1" with format files "config:0-7".
std::optional<uint64_t> parse_event_config(const std::string& pmu_dir, const std::string& text) {
  uint64_t config = 0;
  for (const std::string& term : split(trim(text), ',')) {
    size_t eq = term.find('=');
    if (eq == std::string::npos) return std::nullopt;
    std::string key = trim(term.substr(0, eq));
    std::string val = trim(term.substr(eq + 1));
    errno = 0;
    char* end = nullptr;
    unsigned long long v = std::strtoull(val.c_str(), &end, 0);
    if (errno != 0 || end == val.c_str() || *end != '\0') return std::nullopt;
    int shift = 0;
    FileText fmt = read_file(pmu_dir + "/format/" + key);
    if (fmt.ok) {
      // config:LO-HI or config:BIT
      std::string f = trim(fmt.text);
      size_t colon = f.find(':');
      if (colon == std::string::npos || f.substr(0, colon) != "config") return std::nullopt;
      auto lo = parse_u64(split(f.substr(colon + 1), '-')[0]);
      if (!lo || *lo > 63) return std::nullopt;
      shift = static_cast<int>(*lo);
    } else if (key != "event") {
      return std::nullopt;
    }
    config |= static_cast<uint64_t>(v) << shift;
  }
  return config;
}

class PerfBackend : public Backend {
 public:
  explicit PerfBackend(std::shared_ptr<PerfOps> ops) : ops_(std::move(ops)) {}
  ~PerfBackend() override {
    for (int fd : fds_) ops_->close(fd);
  }
  void add(ChannelSpec spec, int fd) {
    channels_.push_back(std::move(spec));
    fds_.push_back(fd);
  }
  void read(std::vector<ChannelValue>& out) override {
    out.assign(fds_.size(), {});
    for (size_t i = 0; i < fds_.size(); ++i) {
      out[i].ok = ops_->read(fds_[i], out[i].raw);
      if (!out[i].ok) out[i].error = "read of perf event " + channels_[i].name + " failed";
    }
  }

 private:
  std::shared_ptr<PerfOps> ops_;
  std::vector<int> fds_;
};

std::string open_failure(const Roots& roots, const std::string& event, int err) {
  std::string s = "perf_event_open(power/" + event + "/) failed: " + errno_text(err);
  if (err == EACCES || err == EPERM) {
    auto paranoid = trim(read_file(roots.procfs + "/sys/kernel/perf_event_paranoid").text);
    s += " (system-wide events need CAP_PERFMON or root, or kernel.perf_event_paranoid <= 0; it is " +
         (paranoid.empty() ? std::string("unknown") : paranoid) + ")";
  }
  return s;
}

// One event CPU per counter: name suffix ("0", "0-die-1") and CPU.
struct CounterCpu {
  std::string suffix;
  int cpu;
};

std::vector<CounterCpu> counter_cpus(const Roots& roots, const std::vector<int>& cpus, Probe& probe) {
  std::vector<CounterCpu> out;
  std::vector<std::optional<int>> pkg;
  bool known = true;
  for (int c : cpus) {
    pkg.push_back(cpu_package_id(roots.sysfs, c));
    known &= pkg.back().has_value();
  }
  if (!known) {
    if (cpus.size() > 1)
      probe.warnings.push_back("perf: CPU topology (" + roots.sysfs +
                               "/devices/system/cpu/cpuN/topology/physical_package_id) unreadable: each cpumask CPU "
                               "of the power PMU is taken as one package");
    for (size_t i = 0; i < cpus.size(); ++i) out.push_back({std::to_string(i), cpus[i]});
    return out;
  }
  std::map<int, std::vector<int>> by_pkg;  // package -> its cpumask CPUs
  for (size_t i = 0; i < cpus.size(); ++i) by_pkg[*pkg[i]].push_back(cpus[i]);
  const bool package_wide = rapl_counters_are_package_wide(read_cpu_info(roots.procfs));
  for (const auto& [p, list] : by_pkg) {
    if (list.size() == 1 || package_wide) {
      if (list.size() > 1)
        probe.warnings.push_back(fmt::format(
            "perf: the power PMU lists {} CPUs ({}) in package {}: AMD RAPL counters are package-wide (one CPU per "
            "CCD is listed on kernels with the AMD 0x80000026 topology before \"perf/x86/rapl: Fix the energy-pkg "
            "event for AMD CPUs\"), so package {} is read once, on CPU {}",
            list.size(), fmt::join(list, ","), p, p, list.front()));
      out.push_back({std::to_string(p), list.front()});
      continue;
    }
    // Intel multi-die: one counter per die, all added.
    for (size_t k = 0; k < list.size(); ++k) {
      int die = cpu_die_id(roots.sysfs, list[k]).value_or(static_cast<int>(k));
      out.push_back({std::to_string(p) + "-die-" + std::to_string(die), list[k]});
    }
  }
  return out;
}

}  // namespace

Probe probe_perf_rapl(const Roots& roots, std::shared_ptr<PerfOps> ops) {
  Probe probe;
  const std::string pmu = roots.sysfs + "/bus/event_source/devices/power";
  FileText type_file = read_file(pmu + "/type");
  auto type = type_file.ok ? parse_u64(type_file.text) : std::nullopt;
  if (!type) {
    probe.failure = "no perf PMU 'power' (" + pmu + "/type: " +
                    (type_file.ok ? std::string("not a number") : errno_text(type_file.err)) + ")";
    return probe;
  }
  std::vector<int> cpus = parse_cpu_list(read_file(pmu + "/cpumask").text);
  if (cpus.empty()) cpus = {0};
  const std::vector<CounterCpu> targets = counter_cpus(roots, cpus, probe);
  if (!ops) ops = std::make_shared<SyscallPerfOps>();
  auto backend = std::make_unique<PerfBackend>(ops);
  struct Ev {
    const char* event;
    const char* prefix;
    Kind kind;
  };
  const Ev events[] = {{"energy-pkg", "package-", Kind::cpu}, {"energy-ram", "dram-", Kind::dram}};
  bool have_pkg = false;
  for (const Ev& ev : events) {
    FileText def = read_file(pmu + "/events/" + ev.event);
    if (!def.ok) {
      if (ev.kind == Kind::cpu) probe.failure = "perf PMU 'power' has no event " + std::string(ev.event);
      continue;
    }
    auto config = parse_event_config(pmu, def.text);
    auto scale = parse_double(read_file(pmu + "/events/" + ev.event + ".scale").text);
    std::string unit = trim(read_file(pmu + "/events/" + ev.event + ".unit").text);
    if (!config || !scale || *scale <= 0 || !(unit.empty() || unit == "Joules")) {
      probe.warnings.push_back("perf event power/" + std::string(ev.event) + "/ has an unexpected definition; skipped");
      continue;
    }
    for (const CounterCpu& cc : targets) {
      std::string name = ev.prefix + cc.suffix;
      int fd = ops->open(static_cast<uint32_t>(*type), *config, cc.cpu);
      if (fd < 0) {
        std::string why = open_failure(roots, ev.event, -fd);
        if (ev.kind == Kind::cpu && probe.failure.empty()) probe.failure = why;
        probe.unavailable.push_back(unavailable_domain(name, ev.kind, "perf", why));
        continue;
      }
      // 64-bit counts, overflow handled by the kernel: no modulus.
      ChannelSpec s = counter_channel(name, ev.kind, "perf", *scale, 0);
      s.resolution_s = kRaplUpdatePeriodS;
      s.details = {{"event", std::string("power/") + ev.event + "/"}, {"cpu", std::to_string(cc.cpu)}};
      backend->add(std::move(s), fd);
      if (ev.kind == Kind::cpu) have_pkg = true;
    }
  }
  if (!have_pkg) {
    if (probe.failure.empty()) probe.failure = "no usable energy-pkg event on the perf PMU 'power'";
    probe.unavailable.clear();
    return probe;  // backend's destructor closes any fd opened for energy-ram
  }
  probe.failure.clear();
  probe.backend = std::move(backend);
  return probe;
}

}  // namespace ecoinfer::meter
