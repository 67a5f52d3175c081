// `ecoinfer report OUTPUT_FOLDER [--objective energy|cost|time] [--accuracy-budget POINTS]
// [--exclude-outliers]`: reads OUTPUT_FOLDER/results.sqlite and writes report.html,
// report.md and summary.csv there (docs/report.md).
#include <cstdio>
#include <memory>
#include <optional>

#include "cli/commands.h"
#include "report/write_report.h"

namespace ecoinfer::cli {

namespace {
struct ReportArgs {
  std::string folder;
  std::optional<std::string> objective;      // unset: the store's
  std::optional<double> accuracy_budget;     // unset: the store's
  bool exclude_outliers = false;
};
}  // namespace

void add_report_command(CLI::App& app) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "report", "the study's answer: statistics, economics, a recommendation per model; writes report.html, report.md, summary.csv");
  cmd->add_option("OUTPUT_FOLDER", args->folder, "the study's output folder (holds results.sqlite)")->required();
  cmd->add_option("--objective", args->objective, "what the recommendation minimizes (default: the study's, else energy)")
      ->check(CLI::IsMember({"energy", "cost", "time"}));
  cmd->add_option("--accuracy-budget", args->accuracy_budget,
                  "top-1 points a tactic may lose against the baseline (default: the study's, else 1)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--exclude-outliers", args->exclude_outliers, "leave runs beyond 1.5 IQR out of the statistics (default: flag only)");
  cmd->callback([args] {
    report::ReportOptions opts;
    opts.objective = args->objective;
    opts.accuracy_budget_points = args->accuracy_budget;
    opts.exclude_outliers = args->exclude_outliers;
    const report::ReportFiles files = report::write_report(args->folder, opts);
    for (const std::string& a : files.answers) std::printf("%s\n", a.c_str());
    std::printf("wrote %s\nwrote %s\nwrote %s\n", files.html.c_str(), files.markdown.c_str(), files.csv.c_str());
  });
}

}  // namespace ecoinfer::cli
