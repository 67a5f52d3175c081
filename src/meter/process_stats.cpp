#include "meter/process_stats.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <sstream>
#include <vector>

#include "meter/fsread.h"

namespace ecoinfer::meter {

std::optional<MachineTimes> read_machine_times(const std::string& procfs_root) {
  FileText f = read_file(procfs_root + "/stat");
  if (!f.ok || f.text.compare(0, 4, "cpu ") != 0) return std::nullopt;
  std::istringstream in(f.text.substr(4, f.text.find('\n') - 4));
  uint64_t v[8] = {};
  for (int i = 0; i < 8; ++i)
    if (!(in >> v[i])) {
      if (i < 4) return std::nullopt;  // user nice system idle are always there
      break;
    }
  // user nice system idle iowait irq softirq steal
  MachineTimes t;
  t.busy = v[0] + v[1] + v[2] + v[5] + v[6];
  t.total = t.busy + v[3] + v[4] + v[7];
  return t;
}

std::optional<double> machine_utilization(const MachineTimes& a, const MachineTimes& b) {
  if (b.total <= a.total || b.busy < a.busy) return std::nullopt;
  return static_cast<double>(b.busy - a.busy) / static_cast<double>(b.total - a.total);
}

std::string proc_dir(const std::string& procfs_root, pid_t pid) {
  return procfs_root + "/" + (pid == 0 ? std::string("self") : std::to_string(pid));
}

std::optional<double> read_process_cpu_s(const std::string& procfs_root, pid_t pid) {
  FileText f = read_file(proc_dir(procfs_root, pid) + "/stat");
  if (!f.ok) return std::nullopt;
  size_t rp = f.text.rfind(')');  // the command name may hold spaces and parentheses
  if (rp == std::string::npos) return std::nullopt;
  std::istringstream in(f.text.substr(rp + 1));
  std::vector<std::string> fields;
  for (std::string s; in >> s;) fields.push_back(s);
  // fields[0] is field 3 (state); utime..cstime are fields 14..17.
  if (fields.size() < 15) return std::nullopt;
  double ticks = 0;
  for (int i = 11; i <= 14; ++i) {
    auto v = parse_u64(fields[static_cast<size_t>(i)]);
    if (!v) return std::nullopt;
    ticks += static_cast<double>(*v);
  }
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

std::optional<uint64_t> read_status_bytes(const std::string& procfs_root, pid_t pid, const std::string& key) {
  FileText f = read_file(proc_dir(procfs_root, pid) + "/status");
  if (!f.ok) return std::nullopt;
  std::istringstream in(f.text);
  for (std::string line; std::getline(in, line);) {
    if (line.compare(0, key.size(), key) != 0 || line.size() <= key.size() || line[key.size()] != ':') continue;
    std::istringstream ls(line.substr(key.size() + 1));
    uint64_t kb = 0;
    std::string unit;
    if (ls >> kb >> unit && unit == "kB") return kb * 1024;
    return std::nullopt;
  }
  return std::nullopt;
}

bool reset_peak_rss(const std::string& procfs_root, pid_t pid) {
  int fd = ::open((proc_dir(procfs_root, pid) + "/clear_refs").c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::write(fd, "5", 1) == 1;
  ::close(fd);
  return ok;
}

double self_cpu_s() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

double thread_cpu_s() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace ecoinfer::meter
