// Runs ONNX's backend conformance cases (Debian's libonnx-testdata) against ecoinfer and
// fails on any wrong output, any crash, any unsupported case the allowlist does not name,
// any allowlist entry that no longer applies, and a pass rate below --min-pass-rate.
// Run by ctest (tests/conformance/CMakeLists.txt); docs/conformance.md has the numbers.
//
// Cases run in a worker process so that a crash (a signal, a hang) is caught and reported
// against the case that caused it; the worker is restarted at the next case. The parent
// never runs a kernel, so forking it is safe (no OpenMP pool exists yet).
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "conformance/allowlist.h"

namespace ecoinfer::conformance {
namespace {

namespace fs = std::filesystem;

struct Options {
  fs::path data = "/usr/share/libonnx-testdata/data";
  std::vector<std::string> suites{"node", "pytorch-converted", "pytorch-operator", "simple"};
  fs::path allowlist;
  std::string filter = "*";
  double min_pass_rate = 0.9;
  int case_timeout_s = 120;
  fs::path results;  // optional TSV of every case
  bool verbose = false;
};

struct Outcome {
  Result result;
  double seconds = 0;
  bool ran = false;
};

std::string one_line(std::string s) {
  for (char& ch : s)
    if (ch == '\n' || ch == '\t' || ch == '\r') ch = ' ';
  return s;
}

void write_all(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    const ssize_t w = ::write(fd, s.data() + off, s.size() - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) std::_Exit(3);  // the parent is gone
    off += static_cast<size_t>(w);
  }
}

// Worker: "B <i>" before case i, "R <i> <status> <seconds> <detail>" after it.
[[noreturn]] void worker(const std::vector<Case>& cases, const Allowlist& allow, size_t first, int fd) {
  for (size_t i = first; i < cases.size(); ++i) {
    write_all(fd, fmt::format("B {}\n", i));
    const auto t0 = std::chrono::steady_clock::now();
    const Result r = run_case(cases[i], allow.tolerance_for(cases[i].id));
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    write_all(fd, fmt::format("R {} {} {:.4f} {}\n", i, static_cast<int>(r.status), s, one_line(r.detail)));
  }
  ::close(fd);
  std::exit(0);  // normal exit: sanitizers' leak checks run in the worker
}

std::string describe_exit(int status) {
  if (WIFSIGNALED(status)) return fmt::format("killed by signal {} ({})", WTERMSIG(status), strsignal(WTERMSIG(status)));
  if (WIFEXITED(status)) return fmt::format("worker exited with status {}", WEXITSTATUS(status));
  return "worker stopped";
}

// Runs every case in worker processes; a case during which the worker dies or hangs is a crash.
// Returns false when a worker that finished its cases still exited abnormally (a sanitizer's
// leak report, say).
bool run_all(const std::vector<Case>& cases, const Allowlist& allow, const Options& opt, std::vector<Outcome>& out) {
  out.assign(cases.size(), Outcome{});
  bool clean = true;
  size_t next = 0;
  while (next < cases.size()) {
    int fds[2];
    ECO_CHECK(::pipe(fds) == 0, "pipe: {}", std::strerror(errno));
    std::fflush(stdout);
    std::fflush(stderr);
    const pid_t pid = ::fork();
    ECO_CHECK(pid >= 0, "fork: {}", std::strerror(errno));
    if (pid == 0) {
      ::close(fds[0]);
      worker(cases, allow, next, fds[1]);
    }
    ::close(fds[1]);
    std::string buf;
    long in_flight = -1;
    bool timed_out = false;
    auto started = std::chrono::steady_clock::now();
    for (;;) {
      pollfd p{fds[0], POLLIN, 0};
      const int rc = ::poll(&p, 1, 1000);
      if (rc < 0 && errno == EINTR) continue;
      const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      if (rc == 0) {
        if (in_flight >= 0 && waited > opt.case_timeout_s) {
          ::kill(pid, SIGKILL);
          timed_out = true;
          break;
        }
        continue;
      }
      char chunk[4096];
      const ssize_t got = ::read(fds[0], chunk, sizeof chunk);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) break;  // the worker is done or dead
      buf.append(chunk, static_cast<size_t>(got));
      size_t nl;
      while ((nl = buf.find('\n')) != std::string::npos) {
        std::istringstream line(buf.substr(0, nl));
        buf.erase(0, nl + 1);
        char tag = 0;
        size_t i = 0;
        line >> tag >> i;
        if (tag == 'B') {
          in_flight = static_cast<long>(i);
          started = std::chrono::steady_clock::now();
        } else if (tag == 'R') {
          int status = 0;
          double seconds = 0;
          line >> status >> seconds;
          std::string detail;
          std::getline(line, detail);
          if (!detail.empty() && detail[0] == ' ') detail.erase(0, 1);
          out[i] = Outcome{Result{static_cast<Status>(status), detail}, seconds, true};
          next = i + 1;
          in_flight = -1;
        }
      }
    }
    ::close(fds[0]);
    int wstatus = 0;
    while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
    }
    if (in_flight >= 0) {
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      const std::string why = timed_out ? fmt::format("no result after {} s (killed)", opt.case_timeout_s)
                                        : describe_exit(wstatus);
      out[in_flight] = Outcome{Result{Status::crash, why}, s, true};
      next = static_cast<size_t>(in_flight) + 1;
    } else if (!(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0)) {
      std::printf("FAIL: the worker finished its cases but %s (see its report above)\n", describe_exit(wstatus).c_str());
      clean = false;
      if (next < cases.size()) break;  // it died between cases without a result: do not loop
    }
  }
  return clean;
}

Options parse_args(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      ECO_CHECK(i + 1 < argc, "{} needs a value", a);
      return argv[++i];
    };
    if (a == "--data") o.data = value();
    else if (a == "--allowlist") o.allowlist = value();
    else if (a == "--filter") o.filter = value();
    else if (a == "--results") o.results = value();
    else if (a == "--min-pass-rate") o.min_pass_rate = std::stod(value());
    else if (a == "--case-timeout") o.case_timeout_s = std::stoi(value());
    else if (a == "--verbose") o.verbose = true;
    else if (a == "--suites") {
      o.suites.clear();
      std::istringstream s(value());
      for (std::string part; std::getline(s, part, ',');) o.suites.push_back(part);
    } else {
      fail("unknown argument '{}'\nusage: onnx_conformance --allowlist FILE [--data DIR] [--suites a,b] [--filter GLOB] "
           "[--min-pass-rate F] [--case-timeout S] [--results FILE.tsv] [--verbose]", a);
    }
  }
  ECO_CHECK(!o.allowlist.empty(), "--allowlist FILE is required");
  return o;
}

const char* kind_name(AllowGroup::Kind k) {
  switch (k) {
    case AllowGroup::Kind::out_of_scope: return "out-of-scope";
    case AllowGroup::Kind::backlog: return "backlog";
    case AllowGroup::Kind::tolerance: return "tolerance";
  }
  return "?";
}

int run(int argc, char** argv) {
  const Options opt = parse_args(argc, argv);
  const Allowlist allow = read_allowlist(opt.allowlist);
  std::vector<Case> cases;
  for (Case& c : discover_cases(opt.data, opt.suites))
    if (glob_match(opt.filter, c.id)) cases.push_back(std::move(c));
  ECO_CHECK(!cases.empty(), "no case matches --filter '{}'", opt.filter);
  std::string suites;
  for (const auto& s : opt.suites) suites += (suites.empty() ? "" : ", ") + s;
  std::printf("ONNX conformance: %zu cases from %s (%s), fast and reference kernels\n", cases.size(),
              opt.data.string().c_str(), suites.c_str());

  const auto t0 = std::chrono::steady_clock::now();
  std::vector<Outcome> out;
  bool ok = run_all(cases, allow, opt, out);
  const double total_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  std::map<Status, int> count;
  int out_of_scope = 0, backlog = 0, pass_in_scope = 0;
  std::map<const AllowGroup*, std::vector<size_t>> matched;
  std::vector<std::string> failures;
  for (size_t i = 0; i < cases.size(); ++i) {
    const Result& r = out[i].result;
    const std::string& id = cases[i].id;
    count[r.status]++;
    const AllowGroup* g = allow.exception_for(id);
    if (g) matched[g].push_back(i);
    const bool scoped_out = g && g->kind == AllowGroup::Kind::out_of_scope;
    if (scoped_out) ++out_of_scope;
    if (r.status == Status::pass && !scoped_out) ++pass_in_scope;
    if (r.status == Status::unsupported && g && g->kind == AllowGroup::Kind::backlog) ++backlog;
    if (r.status == Status::wrong || r.status == Status::crash)
      failures.push_back(fmt::format("{} {}: {}", status_name(r.status), id, r.detail));
    else if (r.status == Status::unsupported && !g)
      failures.push_back(fmt::format("unsupported and not in the allowlist {}: {}", id, r.detail));
    else if (r.status == Status::pass && g)
      failures.push_back(fmt::format("passes but the allowlist names it (line {}): remove it: {}", g->line, id));
  }
  // Every pattern must still match some case (with the full case set only).
  if (opt.filter == "*")
    for (const AllowGroup& g : allow.groups)
      for (const std::string& p : g.patterns) {
        bool any = false;
        for (const Case& c : cases) any = any || glob_match(p, c.id);
        if (!any) failures.push_back(fmt::format("allowlist line of group at line {}: '{}' matches no case", g.line, p));
      }

  std::printf("\nAllowlist (%s):\n", opt.allowlist.string().c_str());
  for (const AllowGroup& g : allow.groups) {
    if (g.kind == AllowGroup::Kind::tolerance) {
      std::printf("  [tolerance rtol=%g atol=%g] %s\n", g.tol.rtol, g.tol.atol, g.reason.c_str());
      for (const auto& p : g.patterns) std::printf("      %s\n", p.c_str());
      continue;
    }
    const auto& ids = matched[&g];
    std::printf("  [%s] %s: %zu case(s)\n", kind_name(g.kind), g.reason.c_str(), ids.size());
    for (size_t i : ids) {
      std::printf("      %s", cases[i].id.c_str());
      if (opt.verbose) std::printf("  (%s: %s)", std::string(status_name(out[i].result.status)).c_str(),
                                   out[i].result.detail.c_str());
      std::printf("\n");
    }
  }

  if (!opt.results.empty()) {
    std::ofstream f(opt.results);
    f << "case\tstatus\tseconds\tallowlist\tdetail\n";
    for (size_t i = 0; i < cases.size(); ++i) {
      const AllowGroup* g = allow.exception_for(cases[i].id);
      f << cases[i].id << '\t' << status_name(out[i].result.status) << '\t' << fmt::format("{:.3f}", out[i].seconds)
        << '\t' << (g ? kind_name(g->kind) : "") << '\t' << out[i].result.detail << '\n';
    }
  }

  std::vector<size_t> order(cases.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return out[a].seconds > out[b].seconds; });
  std::printf("\nSlowest cases:");
  for (size_t k = 0; k < 5 && k < order.size(); ++k)
    std::printf(" %s %.2fs%s", cases[order[k]].id.c_str(), out[order[k]].seconds, k + 1 < 5 ? "," : "");
  std::printf("\n");

  const int in_scope = static_cast<int>(cases.size()) - out_of_scope;
  const double rate = in_scope > 0 ? static_cast<double>(pass_in_scope) / in_scope : 1.0;
  std::printf("\nResult: %d pass, %d wrong, %d crash, %d unsupported (%d out of scope, %d backlog, %d not allowlisted)"
              " of %zu cases in %.1f s\n",
              count[Status::pass], count[Status::wrong], count[Status::crash], count[Status::unsupported],
              out_of_scope, backlog, count[Status::unsupported] - backlog - out_of_scope, cases.size(), total_s);
  std::printf("Pass rate outside the out-of-scope list: %d / %d = %.1f%% (minimum %.1f%%)\n", pass_in_scope, in_scope,
              100.0 * rate, 100.0 * opt.min_pass_rate);
  if (opt.filter == "*" && rate < opt.min_pass_rate)
    failures.push_back(fmt::format("pass rate {:.1f}% is below the minimum {:.1f}%", 100.0 * rate, 100.0 * opt.min_pass_rate));
  if (!failures.empty()) {
    std::printf("\n%zu failure(s):\n", failures.size());
    for (const auto& f : failures) std::printf("  %s\n", f.c_str());
    ok = false;
  }
  std::printf("%s\n", ok ? "CONFORMANCE PASSED" : "CONFORMANCE FAILED");
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace ecoinfer::conformance

int main(int argc, char** argv) {
  try {
    return ecoinfer::conformance::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "onnx_conformance: %s\n", e.what());
    return 2;
  }
}
