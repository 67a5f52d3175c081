// RAPL through perf_event: the `power` PMU, used when powercap is unreadable.
// <sysfs>/bus/event_source/devices/power/{type,cpumask,events/energy-*[.scale|.unit]};
// one event per package, opened system-wide on the CPU that cpumask names for it.
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>

#include "meter/backend.h"
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
  bool read(int fd, uint64_t& value) override {
    return ::pread(fd, &value, sizeof value, 0) == static_cast<ssize_t>(sizeof value);
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
    for (size_t i = 0; i < cpus.size(); ++i) {
      std::string name = ev.prefix + std::to_string(i);
      int fd = ops->open(static_cast<uint32_t>(*type), *config, cpus[i]);
      if (fd < 0) {
        std::string why = open_failure(roots, ev.event, -fd);
        if (ev.kind == Kind::cpu && probe.failure.empty()) probe.failure = why;
        probe.unavailable.push_back(unavailable_domain(name, ev.kind, "perf", why));
        continue;
      }
      // 64-bit counts, overflow handled by the kernel: no modulus.
      ChannelSpec s = counter_channel(name, ev.kind, "perf", *scale, 0);
      s.details = {{"event", std::string("power/") + ev.event + "/"}, {"cpu", std::to_string(cpus[i])}};
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
