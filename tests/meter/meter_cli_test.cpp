// `ecoinfer meter` end to end on this machine (acceptance 3 and 4 of issue 5).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "meter_test_util.h"

namespace ecoinfer::meter {
namespace {

using namespace testing;

struct CliResult {
  int status = -1;
  std::string out, err;
};

// Runs the CLI through the shell; args are already shell-quoted.
CliResult run_cli(const std::string& args, const std::string& env = "") {
  TempDir dir;
  std::string cmd = env + " '" + std::string(ECOINFER_CLI_PATH) + "' " + args + " >'" + (dir / "out") + "' 2>'" +
                    (dir / "err") + "'";
  int st = std::system(cmd.c_str());
  CliResult r;
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  r.out = slurp(dir / "out");
  r.err = slurp(dir / "err");
  return r;
}

// args: what follows `ecoinfer meter --json`.
nlohmann::json run_json(const std::string& args) {
  CliResult r = run_cli("meter --json " + args);
  EXPECT_EQ(r.status, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

const nlohmann::json* find_domain(const nlohmann::json& j, const std::string& name) {
  for (const auto& d : j["domains"])
    if (d["name"] == name) return &d;
  return nullptr;
}

// Runs `meter --json -o FILE -- bash -c '<script>'` where the script prints its own
// start and end times ($EPOCHREALTIME, no fork); returns the report and sets `inner`
// to the command's own duration.
nlohmann::json run_timed(const std::string& script, double& inner) {
  TempDir dir;
  CliResult r = run_cli("meter --json -o '" + (dir / "report.json") + "' -- bash -c 'echo $EPOCHREALTIME; " + script +
                        "; echo $EPOCHREALTIME'");
  EXPECT_EQ(r.status, 0) << r.err;
  double t0 = 0, t1 = 0;
  EXPECT_EQ(std::sscanf(r.out.c_str(), "%lf %lf", &t0, &t1), 2) << r.out;
  inner = t1 - t0;
  return nlohmann::json::parse(slurp(dir / "report.json"));
}

// This machine: no RAPL, no GPU. Skips where a RAPL counter or a GPU exists, since
// the test is about what is reported without them.
TEST(MeterCli, SleepVersusBusyLoopOnThisMachine) {
  double inner_sleep = 0, inner_busy = 0;
  nlohmann::json sleep = run_timed("sleep 1", inner_sleep);
  nlohmann::json busy = run_timed(
      R"(timeout 2 sh -c "while :; do :; done" & timeout 2 sh -c "while :; do :; done"; wait)", inner_busy);
  if (!find_domain(sleep, "rapl") || !find_domain(sleep, "nvml")) GTEST_SKIP() << "this machine has RAPL or NVML";

  for (const nlohmann::json* j : {&sleep, &busy}) {
    for (const char* k : {"duration_s", "domains", "total_energy_j", "cpu_utilization", "peak_rss_bytes"})
      EXPECT_TRUE(j->contains(k)) << k;
    for (const char* meter : {"rapl", "nvml"}) {
      const nlohmann::json* d = find_domain(*j, meter);
      ASSERT_NE(d, nullptr);
      EXPECT_EQ((*d)["source"], "unavailable");
      EXPECT_TRUE((*d)["energy_j"].is_null());
      EXPECT_FALSE((*d)["reason"].get<std::string>().empty());
    }
    const nlohmann::json* cpu = find_domain(*j, "cpu");
    ASSERT_NE(cpu, nullptr);
    EXPECT_EQ((*cpu)["source"], "estimate");
    EXPECT_EQ((*j)["total_source"], "estimate");
    EXPECT_LT((*j)["sampler_overhead_cpu_fraction"].get<double>(), 0.01);
    EXPECT_GT((*j)["peak_rss_bytes"].get<double>(), 0);
  }
  // The window matches the command's own duration within 2 % plus 50 ms (spawning and
  // reaping the child are a fixed cost, longer on a loaded machine), and the nominal one.
  const double d_sleep = sleep["duration_s"], d_busy = busy["duration_s"];
  EXPECT_GE(d_sleep, inner_sleep);
  EXPECT_LE(d_sleep, inner_sleep * 1.02 + 0.05);
  EXPECT_GE(d_busy, inner_busy);
  EXPECT_LE(d_busy, inner_busy * 1.02 + 0.05);
  EXPECT_GE(d_sleep, 1.0);
  EXPECT_LT(d_sleep, 1.2);
  EXPECT_GE(d_busy, 2.0);
  EXPECT_LT(d_busy, 2.4);
  // The busy loop asks for both CPUs; its estimated CPU energy is non-zero and
  // exceeds the sleep's. (Other work on the machine may take part of the CPUs, so
  // the process's own share is only required to be clearly above the sleep's.)
  double e_sleep = (*find_domain(sleep, "cpu"))["energy_j"];
  double e_busy = (*find_domain(busy, "cpu"))["energy_j"];
  EXPECT_GT(e_busy, 0.0);
  EXPECT_GT(e_busy, e_sleep);
  EXPECT_GT(busy["total_energy_j"].get<double>(), sleep["total_energy_j"].get<double>());
  EXPECT_GT(busy["cpu_utilization"].get<double>(), 0.75);
  EXPECT_GT(busy["process_cpu_utilization"].get<double>(), 0.05);  // from wait4
  EXPECT_LT(sleep["process_cpu_utilization"].get<double>(), 0.05);
  std::printf("[ meter    ] sleep 1: %.4f s (command's own %.4f s), cpu %.3f J (estimate), total %.3f J, machine "
              "utilization %.3f\n[ meter    ] busy loop: %.4f s (own %.4f s), cpu %.3f J, total %.3f J, machine "
              "utilization %.3f, process %.3f\n[ meter    ] sampler overhead at 100 ms: %.4f %% and %.4f %% of one core\n",
              d_sleep, inner_sleep, e_sleep, sleep["total_energy_j"].get<double>(),
              sleep["cpu_utilization"].get<double>(), d_busy, inner_busy, e_busy, busy["total_energy_j"].get<double>(),
              busy["cpu_utilization"].get<double>(), busy["process_cpu_utilization"].get<double>(),
              sleep["sampler_overhead_cpu_fraction"].get<double>() * 100,
              busy["sampler_overhead_cpu_fraction"].get<double>() * 100);
}

TEST(MeterCli, ProcessBasisSeparatesSleepFromBusyEvenOnABusyMachine) {
  nlohmann::json sleep = run_json("--estimate-basis process -- sleep 0.5");
  nlohmann::json busy = run_json(R"(--estimate-basis process -- sh -c 'timeout 0.5 sh -c "while :; do :; done"; exit 0')");
  const nlohmann::json* cs = find_domain(sleep, "cpu");
  const nlohmann::json* cb = find_domain(busy, "cpu");
  if (!cs || !cb) GTEST_SKIP() << "CPU measured by a counter here";
  EXPECT_GT((*cb)["avg_power_w"].get<double>(), (*cs)["avg_power_w"].get<double>());
  EXPECT_EQ(sleep["estimate"]["basis"], "process");
}

TEST(MeterCli, ForwardsTheExitStatus) {
  EXPECT_EQ(run_cli("meter --interval 0 -- sh -c 'exit 3'").status, 3);
  EXPECT_EQ(run_cli("meter -- true").status, 0);
  EXPECT_EQ(run_cli("meter -- sh -c 'kill -TERM $$'").status, 128 + 15);
}

TEST(MeterCli, CommandThatCannotStart) {
  CliResult r = run_cli("meter -- /nonexistent/command --flag");
  EXPECT_EQ(r.status, 127);
  EXPECT_NE(r.err.find("cannot run '/nonexistent/command'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("No such file or directory"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(MeterCli, MissingCommandIsAUsageError) {
  CliResult r = run_cli("meter --json");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("command"), std::string::npos) << r.err;
}

TEST(MeterCli, TableAndCsvAndOutputFile) {
  TempDir dir;
  std::string csv = dir / "emissions.csv";
  std::string report = dir / "report.txt";
  CliResult r = run_cli("meter --interval 50 --csv '" + csv + "' -o '" + report + "' -- sh -c 'echo hello'",
                        "ECOINFER_CARBON_INTENSITY_G_PER_KWH=100");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "hello\n");  // the command's output alone; the report went to the file
  std::string table = slurp(report);
  EXPECT_NE(table.find("duration"), std::string::npos) << table;
  EXPECT_NE(table.find("domain"), std::string::npos);
  EXPECT_NE(table.find("sampler"), std::string::npos);
  std::string text = slurp(csv);
  EXPECT_EQ(text.rfind("timestamp,project_name,run_id,duration,", 0), 0u) << text;
  size_t lines = 0;
  for (char c : text) lines += c == '\n';
  EXPECT_EQ(lines, 2u);
  // Estimate overrides reach the estimate.
  nlohmann::json j = nlohmann::json::parse(
      run_cli("meter --json --no-series --cpu-tdp 77 --ram-w-per-gb 0 -- true").out);
  if (!j["estimate"].is_null()) {
    EXPECT_DOUBLE_EQ(j["estimate"]["cpu_tdp_w"].get<double>(), 77.0);
    EXPECT_DOUBLE_EQ(j["estimate"]["ram_w_per_gb"].get<double>(), 0.0);
  }
  EXPECT_FALSE(j.contains("series"));
}

}  // namespace
}  // namespace ecoinfer::meter
