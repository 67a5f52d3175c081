#pragma once
// Per model setting: the tactic chain that minimizes the objective (median energy per image,
// median time per image, or the total cost at the largest horizon: one-off cost plus every
// inference) among the chains that
//   - lose at most `accuracy_budget_points` of top-1 against the baseline,
//   - differ significantly from the baseline on the objective's metric: Dunn's
//     Holm-corrected p (Mann–Whitney's p with only two tactics) below alpha, and
//     |Cliff's delta| at least small (0.147),
//   - and are lower than the baseline on it.
// No such chain is a valid answer: "no tactic helps here".
#include <optional>
#include <string>
#include <vector>

#include "report/analysis.h"
#include "report/economics_view.h"

namespace ecoinfer::report {

// The metric whose runs decide significance for an objective.
Metric objective_metric(const std::string& objective);

struct Candidate {
  std::string tactic;
  std::optional<double> objective_value;      // what is minimized
  std::optional<double> accuracy_drop_points;  // 100 (top1(none) - top1(tactic)); negative: a gain
  bool within_budget = false, significant = false, lower = false;
  bool eligible = false;
  std::string reason;  // why it is or is not eligible, in words
};

struct Recommendation {
  ModelSetting setting;
  std::string label;
  std::string objective;
  std::optional<std::string> tactic;  // nullopt: no tactic helps here
  std::string statement;              // the answer, one sentence, numbers included
  std::optional<double> break_even;   // of the chosen tactic (+inf: never)
  std::optional<bool> pays_off_within_horizon;
  std::vector<Candidate> candidates;  // every tactic but the baseline, in the study's order
};

Recommendation recommend(const StudyData& d, const GroupAnalysis& g, const GroupEconomics& e,
                         const ReportSettings& settings);

// top1 of the variant behind (setting, tactic); nullopt when unknown.
std::optional<double> top1_of(const StudyData& d, const ModelSetting& s, const std::string& tactic);

}  // namespace ecoinfer::report
