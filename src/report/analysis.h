#pragma once
// The statistics of a study, per model setting (model, batch, threads) and metric: each
// tactic's descriptive statistics and bootstrap CI of the median, Kruskal–Wallis + Dunn
// (Holm) across the tactics, and each tactic against the baseline `none` (Mann–Whitney,
// Welch when both samples pass Shapiro–Wilk, Cliff's delta, A12, relative change of the
// median with its bootstrap CI). Runs with non-empty `checks` are left out and listed;
// Tukey outliers are flagged, and left out only when the settings say so.
#include <optional>
#include <string>
#include <vector>

#include "report/study_data.h"
#include "stats/bootstrap.h"
#include "stats/descriptive.h"
#include "stats/effect_size.h"
#include "stats/kruskal_dunn.h"
#include "stats/mann_whitney.h"
#include "stats/shapiro_wilk.h"
#include "stats/welch.h"

namespace ecoinfer::report {

inline constexpr const char* kBaselineTactic = "none";

enum class Metric { energy_per_image, time_per_image, avg_power, cost_per_inference };

struct MetricInfo {
  const char* key;    // summary.csv / JSON name
  const char* title;  // human name
  const char* unit;
};
MetricInfo metric_info(Metric m);

// The metric's value for one run (nullopt when the run does not have it).
std::optional<double> metric_value(const RunRow& r, Metric m, const EconomicsInputs& econ);

// One unit of analysis: the tactics of one model at one batch size and thread count.
struct ModelSetting {
  std::string model;
  int batch = 0, threads = 0;
  bool operator==(const ModelSetting&) const = default;
};

struct ExcludedRun {
  std::string run_id, tactic, reason;
};

struct VsBaseline {
  std::optional<stats::MannWhitneyResult> mann_whitney;
  std::optional<stats::WelchResult> welch;
  std::string welch_note;  // why Welch was not run, when it was not
  double cliffs_delta = 0;  // delta(tactic, baseline): negative when the tactic is lower
  stats::Magnitude magnitude = stats::Magnitude::negligible;
  double a12 = 0.5;  // P(tactic > baseline) + P(=)/2: below 0.5 when the tactic is lower
  std::optional<stats::RelativeChange> relative_change;  // of the median, % (negative: lower)
  std::string relative_change_note;
  std::optional<stats::DunnPair> dunn;  // the (baseline, tactic) pair, z signed as baseline - tactic
  // The decision: Dunn's Holm-corrected p with three or more tactics, Mann–Whitney's p with two.
  std::string decisive_test;
  std::optional<double> decisive_p;
  bool significant = false;  // decisive_p < alpha and |delta| at least small
  bool lower = false;        // the tactic's median is below the baseline's
};

struct TacticMetric {
  std::string tactic;
  std::vector<double> values;          // what the statistics use
  std::vector<std::string> run_ids;    // of `values`
  std::vector<double> all_values;      // every run with a value and no failed checks
  std::vector<std::string> all_run_ids;
  std::vector<bool> outlier;           // Tukey flags over all_values
  std::size_t outliers_flagged = 0;
  bool outliers_excluded = false;
  std::optional<stats::Summary> summary;
  std::optional<stats::MedianEstimate> median_ci;
  std::optional<stats::ShapiroWilkResult> shapiro;
  std::string shapiro_note;
  std::optional<VsBaseline> vs_baseline;  // absent for the baseline and when it has no runs
};

struct MetricAnalysis {
  Metric metric = Metric::energy_per_image;
  std::vector<TacticMetric> tactics;  // GroupAnalysis::tactics' order
  std::optional<stats::KruskalResult> kruskal;
  std::vector<stats::DunnPair> dunn;  // indices into `tactics`
  std::string tests_note;             // why Kruskal–Wallis/Dunn did not run, when they did not

  const TacticMetric* find(const std::string& tactic) const;
};

struct GroupAnalysis {
  ModelSetting setting;
  std::string label;                 // the model, plus " b{batch} t{threads}" when the study has several settings
  std::vector<std::string> tactics;  // baseline first, then the spec's order
  std::vector<MetricAnalysis> metrics;
  std::vector<ExcludedRun> excluded;  // runs with failed checks
  std::size_t min_n = 0;              // smallest sample among the tactics (energy per image)

  const MetricAnalysis* find(Metric m) const;
};

struct AnalysisOptions {
  ReportSettings settings;
  stats::BootstrapOptions bootstrap;
  EconomicsInputs economics;  // for the cost metric
  std::vector<Metric> metrics{Metric::energy_per_image, Metric::time_per_image, Metric::avg_power};
};

// The tactics in the order the study lists them (spec_json.tactics), baseline first.
std::vector<std::string> tactic_order(const StudyData& d);

std::vector<GroupAnalysis> analyze(const StudyData& d, const AnalysisOptions& opts);

}  // namespace ecoinfer::report
