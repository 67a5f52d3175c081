// `ecoinfer meter [options] -- COMMAND [ARGS...]`: runs COMMAND and reports the
// energy, power, CPU utilization and peak memory of the window it ran in, each
// figure with its source. Exits with the command's status (128 + signal when it was
// killed; 127 when it could not be started).
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "core/error.h"
#include "meter/codecarbon_csv.h"
#include "meter/meter.h"
#include "meter/report.h"

namespace ecoinfer::cli {
namespace {

struct MeterArgs {
  int interval_ms = 100;
  bool json = false;
  bool no_series = false;
  std::string csv, output, basis = "machine", project = "ecoinfer";
  std::optional<double> cpu_tdp, idle_fraction, ram_w_per_gb, carbon_intensity;
  std::vector<std::string> command;
};

// Ignores SIGINT/SIGQUIT while the command runs (as system(3) does): Ctrl-C reaches
// the command, and the meter still reports. Restored on scope exit.
struct IgnoreInterrupts {
  struct sigaction old_int {}, old_quit {};
  IgnoreInterrupts() {
    struct sigaction ign {};
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGINT, &ign, &old_int);
    sigaction(SIGQUIT, &ign, &old_quit);
  }
  ~IgnoreInterrupts() {
    sigaction(SIGINT, &old_int, nullptr);
    sigaction(SIGQUIT, &old_quit, nullptr);
  }
};

std::string quote_command(const std::vector<std::string>& argv) {
  std::string s;
  for (const std::string& a : argv) {
    if (!s.empty()) s += ' ';
    bool plain = !a.empty() && a.find_first_of(" \t\n'\"\\$`*?;&|<>()") == std::string::npos;
    if (plain) {
      s += a;
      continue;
    }
    s += '\'';
    for (char c : a) s += c == '\'' ? std::string("'\\''") : std::string(1, c);
    s += '\'';
  }
  return s;
}

// --csv is checked before the command runs (a measurement that cannot be written would be
// lost): an existing file must be a regular file with CodeCarbon's header, a new one must
// be creatable (it is created empty; the header is written with the first row).
void check_csv_path(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (st.type() == fs::file_type::regular) {
    std::ifstream in(path, std::ios::binary);
    std::string first;
    std::getline(in, first);
    if (!first.empty() && first.back() == '\r') first.pop_back();
    ECO_CHECK(first.empty() || first == meter::csv_line(meter::codecarbon_columns()),
              "meter: --csv {}: its header is not CodeCarbon's version 2 header; refusing to append (nothing was run)",
              path);
    return;
  }
  ECO_CHECK(st.type() == fs::file_type::not_found, "meter: --csv {}: exists and is not a regular file (nothing was run)",
            path);
  std::ofstream probe(path, std::ios::app | std::ios::binary);
  ECO_CHECK(probe.good(), "meter: --csv {}: cannot create the file: {} (nothing was run)", path, std::strerror(errno));
}

// "killed by signal 9 (SIGKILL)" or "exit status 3".
std::string describe_status(bool reaped, int status) {
  if (!reaped) return "exit status unknown (the command could not be waited for)";
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* abbrev = ::sigabbrev_np(sig);
    return fmt::format("killed by signal {} ({}{})", sig, abbrev ? "SIG" : "", abbrev ? abbrev : "unknown signal");
  }
  return fmt::format("exit status {}", WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

int run_meter(const MeterArgs& a) {
  ECO_CHECK(!a.command.empty(), "meter: no command given (usage: ecoinfer meter [options] -- COMMAND [ARGS...])");
  if (!a.csv.empty()) check_csv_path(a.csv);
  std::ofstream report_file;
  if (!a.output.empty()) {
    report_file.open(a.output, std::ios::binary | std::ios::trunc);
    ECO_CHECK(report_file.good(), "meter: cannot write the report to {}: {} (nothing was run)", a.output,
              std::strerror(errno));
  }
  meter::Options opts;
  opts.interval_ms = a.interval_ms;
  opts.cpu_tdp_w = a.cpu_tdp;
  opts.cpu_idle_fraction = a.idle_fraction;
  opts.ram_w_per_gb = a.ram_w_per_gb;
  opts.basis = a.basis == "process" ? meter::EstimateBasis::process : meter::EstimateBasis::machine;
  opts.keep_samples = !a.no_series;
  meter::CsvContext csv_ctx;
  csv_ctx.project_name = a.project;
  csv_ctx.carbon_intensity_g_per_kwh = a.carbon_intensity ? *a.carbon_intensity : meter::carbon_intensity_g_per_kwh();

  // The window opens first, then the command is spawned (posix_spawn: vfork and
  // exec, so no copy or teardown of this process's memory lands in the window).
  meter::Session session(opts);
  std::vector<char*> argv;
  for (const std::string& arg : a.command) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  std::fflush(nullptr);
  IgnoreInterrupts guard;
  posix_spawnattr_t attr;
  ECO_CHECK(::posix_spawnattr_init(&attr) == 0, "meter: posix_spawnattr_init failed");
  sigset_t defaults;
  sigemptyset(&defaults);
  // The command gets the dispositions we were given: default unless we were ignoring them.
  if (guard.old_int.sa_handler != SIG_IGN) sigaddset(&defaults, SIGINT);
  if (guard.old_quit.sa_handler != SIG_IGN) sigaddset(&defaults, SIGQUIT);
  ::posix_spawnattr_setsigdefault(&attr, &defaults);
  ::posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
  session.start();
  pid_t pid = -1;
  int spawn_err = ::posix_spawnp(&pid, argv[0], nullptr, &attr, argv.data(), environ);
  ::posix_spawnattr_destroy(&attr);
  if (spawn_err != 0) {
    session.stop();
    std::fprintf(stderr, "ecoinfer: error: cannot run '%s': %s\n", a.command[0].c_str(), std::strerror(spawn_err));
    return 127;
  }
  session.set_pid(pid);
  int status = 0;
  rusage ru{};
  pid_t w;
  do w = ::wait4(pid, &status, 0, &ru);
  while (w < 0 && errno == EINTR);
  bool reaped = w == pid;
  meter::ProcessUsage usage;
  usage.cpu_time_s = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                     static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
  usage.peak_rss_bytes = static_cast<uint64_t>(ru.ru_maxrss) * 1024;
  meter::Reading r = reaped ? session.stop(usage) : session.stop();
  int code = !reaped ? 1 : WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;

  std::string text;
  if (a.json) {
    nlohmann::json j = meter::to_json(r, !a.no_series);
    j["command"] = a.command;
    j["exit_status"] = code;
    if (reaped && WIFSIGNALED(status)) {
      j["signal"] = WTERMSIG(status);
      const char* abbrev = ::sigabbrev_np(WTERMSIG(status));
      j["signal_name"] = abbrev ? std::string("SIG") + abbrev : std::string();
    }
    if (!a.csv.empty()) j["csv"] = a.csv;
    text = j.dump(2) + "\n";
  } else {
    text = fmt::format("{:<18}{} ({})\n", "command", quote_command(a.command), describe_status(reaped, status)) +
           meter::format_table(r);
  }
  if (!a.csv.empty()) meter::append_codecarbon_csv(a.csv, r, csv_ctx);
  if (a.output.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
  } else {
    report_file << text;
    report_file.flush();
    ECO_CHECK(report_file.good(), "meter: cannot write {}", a.output);
  }
  return code;
}

}  // namespace

void add_meter_command(CLI::App& app) {
  auto args = std::make_shared<MeterArgs>();
  CLI::App* sub = app.add_subcommand(
      "meter",
      "Run a command and report its duration, energy and average power per domain (each with its source: "
      "counter, sampled, estimate or unavailable), CPU utilization and peak memory; exits with the command's status");
  sub->add_option("--interval", args->interval_ms, "Sampler period in ms (0: read only at start and stop)")
      ->default_val(100)
      ->check(whole_number(0, 3600 * 1000));
  sub->add_flag("--json", args->json, "Print one JSON object instead of a table");
  sub->add_flag("--no-series", args->no_series, "Leave the sampled time series out of the JSON");
  sub->add_option("--csv", args->csv, "Append a row to FILE in CodeCarbon's emissions.csv (v2) format");
  sub->add_option("-o,--output", args->output, "Write the report to FILE instead of standard output");
  sub->add_option("--cpu-tdp", args->cpu_tdp, "Estimate: full-load CPU power of this machine in W (else the TDP table)")
      ->check(finite_number(0, DBL_MAX, Bound::exclusive));
  sub->add_option("--cpu-idle-fraction", args->idle_fraction, "Estimate: idle CPU power as a fraction of TDP (0.10)")
      ->check(finite_number(0.0, 1.0));
  sub->add_option("--ram-w-per-gb", args->ram_w_per_gb, "Estimate: RAM power per GiB installed (0.375, CodeCarbon's)")
      ->check(finite_number(0));
  sub->add_option("--estimate-basis", args->basis, "Estimate: scale CPU power by machine or process utilization")
      ->check(CLI::IsMember({"machine", "process"}));
  sub->add_option("--carbon-intensity", args->carbon_intensity,
                  "gCO2eq per kWh for the CSV's emissions (else ECOINFER_CARBON_INTENSITY_G_PER_KWH, else 475)")
      ->check(finite_number(0));
  sub->add_option("--project-name", args->project, "project_name written to the CSV");
  sub->add_option("command", args->command, "The command to run and its arguments (after --)")->required();
  sub->callback([args] {
    int code = run_meter(*args);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace ecoinfer::cli
