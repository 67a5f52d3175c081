// report.md, summary.csv and report.html from generated stores: the same tables in both
// documents, one CSV row per model x tactic, runs with failed checks left out and listed,
// outliers flagged and excluded only on request, the estimate warning, and a clear error
// when Chart.js is missing.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "core/error.h"
#include "report/html_writer.h"
#include "report/report_content.h"
#include "report/synthetic_store.h"
#include "report/tables.h"
#include "report/write_report.h"

namespace ecoinfer::report {
namespace {

namespace fs = std::filesystem;
using test::SyntheticStudy;
using test::SyntheticTactic;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t pos = 0; (pos = text.find(what, pos)) != std::string::npos; pos += what.size()) ++n;
  return n;
}

SyntheticStudy two_models() {
  SyntheticStudy s;
  s.repetitions = 12;
  SyntheticTactic compile{"compile"};
  compile.energy_per_image_j = 0.04;
  SyntheticTactic int8{"dynamic-int8"};
  int8.energy_per_image_j = 0.03;
  int8.top1 = 0.895;
  s.models = {test::synthetic_model("alpha", {compile, int8}), test::synthetic_model("beta", {compile, int8})};
  return s;
}

TEST(ReportOutputs, WritesHtmlMarkdownAndCsvWithTheSameTables) {
  const fs::path dir = test::report_test_dir("outputs");
  const SyntheticStudy s = two_models();
  test::write_synthetic_store(dir / "results.sqlite", s);
  const ReportFiles files = write_report(dir);
  ASSERT_TRUE(fs::exists(files.html));
  ASSERT_TRUE(fs::exists(files.markdown));
  ASSERT_TRUE(fs::exists(files.csv));
  ASSERT_EQ(files.answers.size(), 2u);
  EXPECT_EQ(files.answers[0].rfind("alpha: Use dynamic-int8", 0), 0u) << files.answers[0];

  const std::string md = slurp(files.markdown), html = slurp(files.html), csv = slurp(files.csv);
  // Every table of the report appears, by title, in both documents.
  const StudyData d = load_study(dir / "results.sqlite");
  const ReportContent c = build_report(d, d.report, {});
  const ReportTables t = tables_of(c);
  std::vector<const Table*> all;
  for (const Table& x : t.overview) all.push_back(&x);
  for (const ModelTables& m : t.models)
    for (const Table& x : m.tables) all.push_back(&x);
  for (const Table& x : t.appendix) all.push_back(&x);
  EXPECT_GE(all.size(), 25u);
  for (const Table* x : all) {
    EXPECT_NE(md.find("### " + x->title + "\n"), std::string::npos) << x->title;
    EXPECT_NE(html.find("id=\"" + x->id + "\""), std::string::npos) << x->id;
  }
  // The per-run table lists every run of each model.
  EXPECT_EQ(t.models[0].tables.back().id, "model-alpha-runs");
  EXPECT_EQ(t.models[0].tables.back().rows.size(), 36u);

  // summary.csv: a header and one row per model x tactic, each with as many cells.
  std::istringstream lines(csv);
  std::string header, line;
  std::getline(lines, header);
  EXPECT_EQ(header.rfind("model,batch,threads,tactic,n_runs,", 0), 0u) << header;
  const std::size_t columns = occurrences(header, ",") + 1;
  int rows = 0;
  while (std::getline(lines, line)) {
    ++rows;
    EXPECT_EQ(occurrences(line, ",") + 1, columns) << line;
  }
  EXPECT_EQ(rows, 6);
  EXPECT_NE(csv.find("alpha,32,1,dynamic-int8,12,0,counter,"), std::string::npos) << csv;

  // Self-contained: Chart.js and the data inlined, no external resource.
  EXPECT_NE(html.find("Chart.js v"), std::string::npos);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(occurrences(html, "<canvas"), 10u);  // five charts per model
  EXPECT_EQ(html.find("estimate-warning"), std::string::npos);

  // The same store gives the same report (seeded bootstrap).
  const std::string md1 = md;
  write_report(dir);
  EXPECT_EQ(slurp(files.markdown), md1);
}

TEST(ReportOutputs, RunsWithFailedChecksAreLeftOutAndListed) {
  const fs::path dir = test::report_test_dir("checks");
  SyntheticStudy s = two_models();
  const std::string bad = test::synthetic_run_id("alpha", "compile", 3);
  s.checks[bad] = "short_window,energy_nonpositive";
  test::write_synthetic_store(dir / "results.sqlite", s);
  const StudyData d = load_study(dir / "results.sqlite");
  const ReportContent c = build_report(d, d.report, {});
  const GroupAnalysis& g = c.models[0].analysis;
  ASSERT_EQ(g.excluded.size(), 1u);
  EXPECT_EQ(g.excluded[0].run_id, bad);
  EXPECT_EQ(g.excluded[0].reason, "checks: short_window,energy_nonpositive");
  for (const MetricAnalysis& ma : g.metrics) EXPECT_EQ(ma.find("compile")->values.size(), 11u);
  EXPECT_EQ(c.excluded_runs, 1u);
  write_report(dir);
  const std::string md = slurp(dir / "report.md");
  std::string bad_md;  // Markdown cells escape the run id's pipes
  for (char ch : bad) bad_md += ch == '|' ? std::string("\\|") : std::string(1, ch);
  EXPECT_NE(md.find("| alpha | " + bad_md + " | compile | checks: short_window"), std::string::npos)
      << md.substr(md.find("Runs left out"), 800);
}

TEST(ReportOutputs, OutliersAreFlaggedAndExcludedOnlyWhenAsked) {
  const fs::path dir = test::report_test_dir("outliers");
  SyntheticStudy s = two_models();
  s.energy_factor[test::synthetic_run_id("beta", "none", 5)] = 3.0;
  test::write_synthetic_store(dir / "results.sqlite", s);
  const StudyData d = load_study(dir / "results.sqlite");
  ReportSettings keep = d.report;
  const ReportContent kept = build_report(d, keep, {});
  const TacticMetric* none = kept.models[1].analysis.find(Metric::energy_per_image)->find("none");
  EXPECT_GE(none->outliers_flagged, 1u);
  EXPECT_FALSE(none->outliers_excluded);
  EXPECT_EQ(none->values.size(), 12u);
  ReportSettings drop = keep;
  drop.exclude_outliers = true;
  const ReportContent dropped = build_report(d, drop, {});
  const TacticMetric* none2 = dropped.models[1].analysis.find(Metric::energy_per_image)->find("none");
  EXPECT_TRUE(none2->outliers_excluded);
  EXPECT_EQ(none2->values.size(), 12u - none->outliers_flagged);
  for (const std::string& id : none2->run_ids) EXPECT_NE(id, test::synthetic_run_id("beta", "none", 5));
}

TEST(ReportOutputs, EstimatedEnergyCarriesAProminentWarningAndItsParameters) {
  const fs::path dir = test::report_test_dir("estimate");
  SyntheticStudy s = two_models();
  s.energy_source = "estimate";
  test::write_synthetic_store(dir / "results.sqlite", s);
  write_report(dir);
  const std::string md = slurp(dir / "report.md"), html = slurp(dir / "report.html");
  EXPECT_NE(md.find("> **Warning: estimated energy.**"), std::string::npos);
  EXPECT_NE(html.find("id=\"estimate-warning\""), std::string::npos);
  // The warning comes before the first table.
  EXPECT_LT(html.find("id=\"estimate-warning\""), html.find("<table"));
  EXPECT_NE(md.find("cpu_tdp_w"), std::string::npos);
  EXPECT_NE(html.find("&quot;cpu_tdp_w&quot;: 65"), std::string::npos);
  EXPECT_NE(slurp(dir / "summary.csv").find(",estimate,"), std::string::npos);
}

TEST(ReportOutputs, MissingChartJsIsAClearErrorAndTheOtherFilesAreWritten) {
  const fs::path dir = test::report_test_dir("no_chartjs");
  SyntheticStudy s = two_models();
  s.repetitions = 4;
  test::write_synthetic_store(dir / "results.sqlite", s);
  const char* old = std::getenv("ECOINFER_CHARTJS");
  const std::string saved = old ? old : "";
  setenv("ECOINFER_CHARTJS", (dir / "missing/chart.min.js").c_str(), 1);
  std::string error;
  try {
    write_report(dir);
  } catch (const Error& e) {
    error = e.what();
  }
  if (old)
    setenv("ECOINFER_CHARTJS", saved.c_str(), 1);
  else
    unsetenv("ECOINFER_CHARTJS");
  EXPECT_NE(error.find((dir / "missing/chart.min.js").string() + ": Chart.js not found"), std::string::npos) << error;
  EXPECT_NE(error.find("libjs-chart.js"), std::string::npos) << error;
  EXPECT_NE(error.find("report.md and summary.csv were written"), std::string::npos) << error;
  EXPECT_TRUE(fs::exists(dir / "report.md"));
  EXPECT_TRUE(fs::exists(dir / "summary.csv"));
  EXPECT_FALSE(fs::exists(dir / "report.html"));
}

TEST(ReportOutputs, NotAFolderIsNamed) {
  const fs::path dir = test::report_test_dir("not_a_folder");
  try {
    write_report(dir / "nope");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find((dir / "nope").string() + ": not a folder"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ecoinfer::report
