#include "study/environment.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <dnnl.h>
#include <fmt/format.h>

#include "meter/cpu_info.h"

#ifndef ECOINFER_GIT_HASH
#define ECOINFER_GIT_HASH "unknown"
#endif
#ifndef ECOINFER_VERSION
#define ECOINFER_VERSION "0.1.0"
#endif

namespace ecoinfer::study {

namespace fs = std::filesystem;

namespace {
std::string first_line(const fs::path& p) {
  std::ifstream in(p);
  std::string s;
  std::getline(in, s);
  return s;
}
std::string env_or_empty(const char* k) {
  const char* v = std::getenv(k);
  return v ? v : "";
}
}  // namespace

std::string ecoinfer_version() { return ECOINFER_VERSION; }
std::string ecoinfer_git_hash() { return ECOINFER_GIT_HASH; }

std::string host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

std::string slurm_job() {
  const std::string job = env_or_empty("SLURM_JOB_ID");
  if (job.empty()) return "";
  std::string s = "job " + job;
  const std::string array_job = env_or_empty("SLURM_ARRAY_JOB_ID"), task = env_or_empty("SLURM_ARRAY_TASK_ID");
  if (!array_job.empty()) s += " array " + array_job + "_" + task;
  return s;
}

SlurmIds slurm_ids() {
  return {env_or_empty("SLURM_JOB_ID"), env_or_empty("SLURM_ARRAY_JOB_ID"), env_or_empty("SLURM_ARRAY_TASK_ID"),
          env_or_empty("SLURMD_NODENAME"), env_or_empty("SLURM_JOB_PARTITION")};
}

std::string NodeIdentity::gpu_model() const {
  // Counted in order of first appearance, so that "A, 2x B" reads as the machine lists them.
  std::vector<std::pair<std::string, int>> counted;
  for (const std::string& g : gpus) {
    auto it = std::find_if(counted.begin(), counted.end(), [&](const auto& c) { return c.first == g; });
    if (it == counted.end())
      counted.emplace_back(g, 1);
    else
      ++it->second;
  }
  std::string s;
  for (const auto& [name, n] : counted) s += (s.empty() ? "" : ", ") + (n > 1 ? fmt::format("{}x {}", n, name) : name);
  return s;
}

std::string NodeIdentity::node_type() const {
  std::string t = fmt::format("{} ({} logical CPUs)", cpu_model.empty() ? std::string("unknown CPU") : cpu_model, cpu_count);
  const std::string g = gpu_model();
  return g.empty() ? t : t + " + " + g;
}

NodeIdentity this_node(std::vector<std::string> gpu_models) {
  const meter::CpuInfo cpu = meter::read_cpu_info("/proc");
  return {host_name(), cpu.model_name, cpu.logical_cpus, std::move(gpu_models)};
}

std::optional<double> max_temperature_c() {
  std::optional<double> best;
  std::error_code ec;
  auto consider = [&](const fs::path& file) {
    std::ifstream in(file);
    long long milli = 0;
    if (!(in >> milli)) return;
    const double c = milli / 1000.0;
    if (c <= -50 || c >= 150) return;  // sensors that report nonsense (unplugged probes)
    if (!best || c > *best) best = c;
  };
  for (auto it = fs::directory_iterator("/sys/class/hwmon", ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::error_code ec2;
    for (auto f = fs::directory_iterator(it->path(), ec2); !ec2 && f != fs::directory_iterator(); f.increment(ec2)) {
      const std::string n = f->path().filename().string();
      if (n.rfind("temp", 0) == 0 && n.size() > 6 && n.substr(n.size() - 6) == "_input") consider(f->path());
    }
  }
  if (best) return best;
  for (auto it = fs::directory_iterator("/sys/class/thermal", ec); !ec && it != fs::directory_iterator(); it.increment(ec))
    if (it->path().filename().string().rfind("thermal_zone", 0) == 0) consider(it->path() / "temp");
  return best;
}

nlohmann::json environment_json() {
  const meter::CpuInfo cpu = meter::read_cpu_info("/proc");
  utsname u{};
  uname(&u);
  std::string os = "Linux";
  {
    std::ifstream in("/etc/os-release");
    std::string line;
    while (std::getline(in, line))
      if (line.rfind("PRETTY_NAME=", 0) == 0) {
        os = line.substr(12);
        if (os.size() >= 2 && os.front() == '"') os = os.substr(1, os.size() - 2);
      }
  }
  const dnnl_version_t* dv = dnnl_version();
  nlohmann::json j{
      {"host", host_name()},
      {"cpu_model", cpu.model_name.empty() ? nlohmann::json(nullptr) : nlohmann::json(cpu.model_name)},
      {"cpu_vendor", cpu.vendor},
      {"cpu_count", cpu.logical_cpus},
      {"sockets", cpu.sockets},
      {"governor", nullptr},
      {"kernel", std::string(u.sysname) + " " + u.release},
      {"machine", u.machine},
      {"os", os},
      {"ram_total_bytes", cpu.mem_total_bytes ? nlohmann::json(*cpu.mem_total_bytes) : nlohmann::json(nullptr)},
      {"gpus", nlohmann::json::array()},
      {"ecoinfer_version", ecoinfer_version()},
      {"git_hash", ecoinfer_git_hash()},
      {"onednn_version", fmt::format("{}.{}.{}", dv->major, dv->minor, dv->patch)},
      {"compiler", __VERSION__},
  };
  const std::string gov = first_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
  if (!gov.empty()) j["governor"] = gov;
  if (!slurm_job().empty()) {
    const SlurmIds ids = slurm_ids();
    j["slurm"] = {{"job", slurm_job()},         {"job_id", ids.job_id}, {"array_job_id", ids.array_job_id},
                  {"array_task_id", ids.array_task_id}, {"node", ids.node},   {"partition", ids.partition}};
  }
  return j;
}

}  // namespace ecoinfer::study
