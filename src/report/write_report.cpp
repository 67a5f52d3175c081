#include "report/write_report.h"

#include <cmath>
#include <fstream>

#include "core/error.h"
#include "report/html_writer.h"
#include "report/markdown_writer.h"
#include "report/report_content.h"
#include "report/summary_csv.h"
#include "report/tables.h"
#include "study/exports.h"

namespace ecoinfer::report {
namespace fs = std::filesystem;

namespace {

// Written beside the target and renamed over it, so that a reader never sees half a file.
void write_file(const fs::path& p, const std::string& text) { study::write_file_atomically(p, text); }

ReportSettings effective_settings(const StudyData& d, const ReportOptions& opts) {
  ReportSettings s = d.report;
  if (opts.objective) {
    ECO_CHECK(*opts.objective == "energy" || *opts.objective == "cost" || *opts.objective == "time",
              "--objective {}: expected energy, cost or time", *opts.objective);
    s.objective = *opts.objective;
  }
  if (opts.accuracy_budget_points) {
    ECO_CHECK(std::isfinite(*opts.accuracy_budget_points) && *opts.accuracy_budget_points >= 0,
              "--accuracy-budget {}: expected a number of top-1 points >= 0", *opts.accuracy_budget_points);
    s.accuracy_budget_points = *opts.accuracy_budget_points;
  }
  if (opts.exclude_outliers) s.exclude_outliers = true;
  return s;
}

}  // namespace

ReportFiles write_report(const fs::path& out_folder, const ReportOptions& opts) {
  std::error_code ec;
  ECO_CHECK(fs::is_directory(out_folder, ec), "{}: not a folder (expected a study's output folder holding results.sqlite)",
            out_folder.string());
  const fs::path store = opts.store.empty() ? out_folder / "results.sqlite" : opts.store;
  const StudyData data = load_study(store);
  const ReportContent content = build_report(data, effective_settings(data, opts), opts.bootstrap);
  const ReportTables tables = tables_of(content);

  ReportFiles files{out_folder / "report.html", out_folder / "report.md", out_folder / "summary.csv", {}};
  for (const ModelReport& m : content.models) files.answers.push_back(m.analysis.label + ": " + m.recommendation.statement);
  write_file(files.markdown, markdown_page(content, tables));
  write_file(files.csv, summary_csv(content));
  std::string chartjs;
  try {
    chartjs = read_chartjs();
  } catch (const Error& e) {
    fail("{} (report.md and summary.csv were written; report.html was not)", e.what());
  }
  write_file(files.html, html_page(content, tables, chartjs));
  return files;
}

}  // namespace ecoinfer::report
