// Issue 10, acceptances 4 and 5: report.html of a 5 models x 6 tactics x 30 repetitions study
// opens in headless Chromium from a file URL with the network off, raises no error, draws
// every chart (canvas with painted pixels and plotted points), is under 5 MB and renders in
// under 2 s. Saves a screenshot under the build folder (report-tests/chromium/report.png)
// for a person to look at. Skipped, saying so, when Debian's chromium is not installed.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "report/synthetic_store.h"
#include "report/write_report.h"
#include "test_paths.h"

namespace ecoinfer::report {
namespace {

namespace fs = std::filesystem;

std::string attribute(const std::string& dom, const std::string& id, const std::string& name) {
  const std::size_t at = dom.find("id=\"" + id + "\"");
  if (at == std::string::npos) return "";
  const std::size_t open = dom.rfind('<', at), close = dom.find('>', at);
  const std::string tag = dom.substr(open, close - open);
  std::smatch m;
  if (std::regex_search(tag, m, std::regex(name + "=\"([^\"]*)\""))) return m[1];
  return "";
}

// User + system CPU time of the waited-for children (Chromium and its helper processes).
double children_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_CHILDREN, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

test::SyntheticStudy acceptance_study() {
  test::SyntheticStudy s;
  s.name = "acceptance 5: 5 models x 6 tactics x 30 repetitions";
  s.repetitions = 30;
  const std::vector<std::tuple<std::string, double, double, double, double>> tactics = {
      // name, energy factor, time factor, top-1 change, preparation seconds
      {"compile", 0.85, 0.80, 0.0, 2.5},
      {"dynamic-int8", 0.60, 0.55, -0.004, 1.8},
      {"dynamic-int8+compile", 0.55, 0.50, -0.004, 3.0},
      {"prune-local:0.3", 1.00, 1.00, -0.002, 2.0},
      {"prune-global:0.3", 1.01, 1.00, -0.003, 12.0}};
  for (int k = 0; k < 5; ++k) {
    std::vector<test::SyntheticTactic> others;
    const double e0 = 0.02 * (k + 1), t0 = 0.001 * (k + 1);
    for (const auto& [name, ef, tf, dtop1, prep] : tactics) {
      test::SyntheticTactic t{name};
      t.energy_per_image_j = e0 * ef;
      t.time_per_image_s = t0 * tf;
      t.top1 = 0.80 + 0.02 * k + dtop1;
      t.prep_seconds = prep;
      t.prep_energy_j = prep * 30;
      others.push_back(t);
    }
    test::SyntheticModel m = test::synthetic_model("model-" + std::to_string(k + 1), others);
    m.tactics[0].energy_per_image_j = e0;
    m.tactics[0].time_per_image_s = t0;
    m.tactics[0].top1 = 0.80 + 0.02 * k;
    m.tactics[0].prep_energy_j = 30;
    s.models.push_back(m);
  }
  s.energy_factor[test::synthetic_run_id("model-2", "compile", 7)] = 1.6;  // a flagged outlier to draw
  return s;
}

TEST(ReportChromium, OpensOfflineDrawsEveryChartUnder5MbAnd2s) {
  const fs::path dir = test::report_test_dir("chromium");
  test::write_synthetic_store(dir / "results.sqlite", acceptance_study());
  const ReportFiles files = write_report(dir);
  const auto bytes = fs::file_size(files.html);
  std::printf("report.html: %.2f MB\n", bytes / 1e6);
  EXPECT_LT(bytes, 5'000'000u);

  if (test::run_command("command -v chromium").status != 0)
    GTEST_SKIP() << "chromium is not installed (Debian: apt-get install chromium); report.html was written to " << files.html
                 << " but not opened";
  // The network off: a namespace with no interface when the kernel lets us make one, and in any
  // case no proxy and no name resolution.
  const bool netns = test::run_command("unshare -n true").status == 0;
  const std::string base = std::string(netns ? "unshare -n " : "") +
                           "chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-extensions "
                           "--disable-background-networking --disable-sync --host-resolver-rules='MAP * ~NOTFOUND' "
                           "--proxy-server=127.0.0.1:9 --user-data-dir=" + (dir / "profile").string() + " ";
  const std::string url = "file://" + fs::absolute(files.html).string();
  // Chromium's own chatter (no D-Bus in a container, ...) goes to a log beside the report.
  const std::string log = " 2>>" + (dir / "chromium.log").string();
  // Three loads: each must pass every check. Two timings, best of three each (all printed):
  //  - the page's own clock, navigation start to the last chart drawn: the acceptance figure,
  //    asserted when the machine is not oversubscribed (on a shared 2-core machine at load 10,
  //    other processes' turns would be billed to the page);
  //  - the CPU time Chromium spends on the report beyond an empty page: asserted always, since
  //    it does not depend on others' load and bounds the render time on an idle machine.
  const fs::path empty = dir / "empty.html";
  std::ofstream(empty) << "<!DOCTYPE html><html><body><p>empty</p></body></html>\n";
  std::vector<double> times, report_cpu, empty_cpu;
  for (int load = 0; load < 3; ++load) {
    const double cpu0 = children_cpu_seconds();
    test::run_command(base + "--dump-dom 'file://" + empty.string() + "' >/dev/null" + log, false);
    const double cpu1 = children_cpu_seconds();
    const auto t0 = std::chrono::steady_clock::now();
    const test::CommandResult dom = test::run_command(base + "--dump-dom '" + url + "'" + log, false);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    empty_cpu.push_back(cpu1 - cpu0);
    report_cpu.push_back(children_cpu_seconds() - cpu1);
    ASSERT_EQ(dom.status, 0) << dom.out.substr(0, 2000);
    EXPECT_EQ(attribute(dom.out, "render-status", "data-state"), "done") << "the chart script did not finish";
    EXPECT_EQ(attribute(dom.out, "render-status", "data-charts"), "25");
    EXPECT_EQ(attribute(dom.out, "render-status", "data-drawn"), "25");
    EXPECT_EQ(attribute(dom.out, "render-status", "data-errors"), "0");
    const std::size_t error_at = dom.out.find("class=\"render-error\"");
    EXPECT_EQ(error_at, std::string::npos) << dom.out.substr(error_at == std::string::npos ? 0 : error_at, 1000);
    // Every canvas marked drawn by the page itself.
    std::size_t canvases = 0, drawn = 0;
    for (std::size_t p = 0; (p = dom.out.find("<canvas", p)) != std::string::npos; ++p) {
      ++canvases;
      drawn += dom.out.substr(p, dom.out.find('>', p) - p).find("data-drawn=\"1\"") != std::string::npos;
    }
    EXPECT_EQ(canvases, 25u);
    EXPECT_EQ(drawn, 25u);
    // From navigation start to the last chart drawn, as the page measured it.
    const double ms = std::stod("0" + attribute(dom.out, "render-status", "data-ms"));
    std::printf("load %d: ready %.0f ms after navigation start, %s ms of it drawing (%.2f s wall with Chromium's "
                "start-up; Chromium CPU %.2f s, %.2f s for an empty page; network namespace: %s)\n",
                load + 1, ms, attribute(dom.out, "render-status", "data-chart-ms").c_str(), wall, report_cpu.back(),
                empty_cpu.back(), netns ? "yes" : "no");
    EXPECT_GT(ms, 0);
    times.push_back(ms);
  }
  const double best_ms = *std::min_element(times.begin(), times.end());
  const double page_cpu =
      *std::min_element(report_cpu.begin(), report_cpu.end()) - *std::min_element(empty_cpu.begin(), empty_cpu.end());
  std::printf("page CPU beyond an empty page: %.2f s; best in-page render: %.0f ms\n", page_cpu, best_ms);
  EXPECT_LT(page_cpu, 2.0);
  double load1 = 0;
  std::ifstream("/proc/loadavg") >> load1;
  const unsigned cores = std::thread::hardware_concurrency();
  if (load1 < cores)
    EXPECT_LT(best_ms, 2000);
  else
    std::printf("in-page render time not asserted: load average %.1f on %u cores (others' processes share the CPU)\n",
                load1, cores);

  const fs::path png = dir / "report.png";
  const test::CommandResult shot =
      test::run_command(base + "--window-size=1280,2600 --screenshot=" + png.string() + " '" + url + "'" + log, false);
  ASSERT_EQ(shot.status, 0) << shot.out.substr(0, 2000);
  ASSERT_TRUE(fs::exists(png));
  EXPECT_GT(fs::file_size(png), 50'000u);  // a page of charts, not a blank image
  std::printf("screenshot: %s\n", png.c_str());
}

}  // namespace
}  // namespace ecoinfer::report
