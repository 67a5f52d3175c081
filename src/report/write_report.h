#pragma once
// `ecoinfer report OUTPUT_FOLDER` and the end of `ecoinfer study run`: reads the folder's
// results.sqlite and writes report.html, report.md and summary.csv beside it.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "stats/bootstrap.h"

namespace ecoinfer::report {

struct ReportOptions {
  // Overrides of the store's analysis_json.report; unset keeps the store's value.
  std::optional<std::string> objective;  // energy | cost | time
  std::optional<double> accuracy_budget_points;
  bool exclude_outliers = false;  // true excludes outliers whatever the store says
  stats::BootstrapOptions bootstrap;
  // The store; empty: OUTPUT_FOLDER/results.sqlite.
  std::filesystem::path store;
};

struct ReportFiles {
  std::filesystem::path html, markdown, csv;
  std::vector<std::string> answers;  // "model: statement", one per model setting
};

// Throws ecoinfer::Error naming the file at fault. When Chart.js is missing, report.md and
// summary.csv are still written and the error says so.
ReportFiles write_report(const std::filesystem::path& out_folder, const ReportOptions& opts = {});

}  // namespace ecoinfer::report
