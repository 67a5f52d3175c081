// Issue 10, acceptances 4 and 5: report.html of a 5 models x 6 tactics x 30 repetitions study
// opens in headless Chromium from a file URL with the network off, raises no error, draws
// every chart (canvas with painted pixels and plotted points), is under 5 MB and renders in
// under 2 s. Saves a screenshot under the build folder (report-tests/chromium/report.png)
// for a person to look at. Skipped, saying so, when Debian's chromium is not installed.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>

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
  // Three loads: each must pass every check; the time is the best of the three, because on a
  // shared machine the other processes' load is not the page's cost (all three are printed).
  std::vector<double> times;
  for (int load = 0; load < 3; ++load) {
    const auto t0 = std::chrono::steady_clock::now();
    const test::CommandResult dom = test::run_command(base + "--dump-dom '" + url + "'" + log, false);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
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
    std::printf("load %d: ready %.0f ms after navigation start, %s ms of it drawing (%.2f s with Chromium's start-up; "
                "network namespace: %s)\n",
                load + 1, ms, attribute(dom.out, "render-status", "data-chart-ms").c_str(), wall, netns ? "yes" : "no");
    EXPECT_GT(ms, 0);
    times.push_back(ms);
  }
  EXPECT_LT(*std::min_element(times.begin(), times.end()), 2000);

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
