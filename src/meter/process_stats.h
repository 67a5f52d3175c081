#pragma once
// CPU time and memory from procfs: the machine's (/proc/stat) and one process's
// (/proc/<pid>/stat and status), plus this process's and this thread's CPU clocks.
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

namespace ecoinfer::meter {

// Aggregate "cpu" line of /proc/stat in clock ticks. busy = user + nice + system +
// irq + softirq (guest time is inside user); total adds idle, iowait and steal.
struct MachineTimes {
  uint64_t busy = 0, total = 0;
};
std::optional<MachineTimes> read_machine_times(const std::string& procfs_root);
// Utilization between two readings, 0..1 of all logical CPUs.
std::optional<double> machine_utilization(const MachineTimes& a, const MachineTimes& b);

// "self" when pid is 0.
std::string proc_dir(const std::string& procfs_root, pid_t pid);
// utime + stime + cutime + cstime in seconds (children count once reaped).
std::optional<double> read_process_cpu_s(const std::string& procfs_root, pid_t pid);
// A "Key:  N kB" line of /proc/<pid>/status, in bytes (VmRSS, VmHWM).
std::optional<uint64_t> read_status_bytes(const std::string& procfs_root, pid_t pid, const std::string& key);
// Resets VmHWM to the current RSS (writes 5 to clear_refs); false when refused.
bool reset_peak_rss(const std::string& procfs_root, pid_t pid);

double self_cpu_s();    // getrusage(RUSAGE_SELF): all threads of this process
double thread_cpu_s();  // CLOCK_THREAD_CPUTIME_ID of the calling thread

}  // namespace ecoinfer::meter
