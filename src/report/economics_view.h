#pragma once
// The economics of each tactic of a model setting against its baseline
// (../shared/docs/economics.md): cost per inference from the median energy per image
// (total, and above the idle baseline, each labelled), the one-off optimization cost,
// break-even, ROI at the horizons, emissions and the cloud-time cost.
//
// One-off optimization cost = max(0, prep_energy_j(tactic) - prep_energy_j(none)) x PUE /
// 3.6e6 x price + engineering_cost[tactic]. The baseline's own preparation (loading,
// first inference) is paid whatever the user chooses, so only the tactic's extra counts;
// floored at 0 because a tactic whose metered preparation happened to use less energy than
// the baseline's has not earned anything by it (the difference is noise of one window).
#include <optional>
#include <string>
#include <vector>

#include "report/analysis.h"
#include "report/study_data.h"

namespace ecoinfer::report {

struct CostCurvePoint {
  double inferences = 0;
  double baseline_cost = 0;  // N x C_old
  double tactic_cost = 0;    // C_opt + N x C_new
};

struct TacticEconomics {
  std::string tactic;
  std::string energy_source;  // least trustworthy source of the runs behind the medians
  std::optional<double> energy_j;             // median total energy per image
  std::optional<double> energy_above_idle_j;  // median energy above idle per image
  std::optional<double> time_s;               // median time per image
  std::optional<double> cost;                 // per inference, total energy
  std::optional<double> cost_above_idle;      // per inference, energy above idle
  std::optional<double> extra_prep_seconds;   // prep_seconds - baseline's (not floored; information)
  std::optional<double> extra_prep_energy_j;  // floored at 0; nullopt when either preparation was not metered
  std::string prep_energy_source;             // least trustworthy of the two preparations
  double engineering_cost = 0;
  std::optional<double> one_off_cost;         // nullopt when the preparation energy is unknown
  // Break-even in inferences (rounded up) on the total-energy cost; +inf: never pays off.
  std::optional<double> break_even;
  std::optional<double> break_even_above_idle;
  std::vector<std::optional<double>> roi;     // per horizon (analysis_json.economics.horizons)
  std::optional<double> emissions_g;          // per inference, total energy
  std::vector<std::optional<double>> emissions_kg;  // per horizon: one-off preparation + N inferences
  std::optional<double> cloud_cost;           // per inference; nullopt without an instance price
  // Cost at the largest horizon, C_opt + N x C (+ cloud time): the cost objective.
  std::optional<double> total_cost_at_horizon;
  std::optional<bool> pays_off_within_horizon;  // break-even <= the largest horizon
  std::vector<CostCurvePoint> curve;          // log-spaced, 1 .. largest horizon, plus break-even
};

struct GroupEconomics {
  ModelSetting setting;
  std::vector<TacticEconomics> tactics;  // baseline first
  const TacticEconomics* find(const std::string& tactic) const;
};

GroupEconomics economics_of(const StudyData& d, const GroupAnalysis& g);

}  // namespace ecoinfer::report
