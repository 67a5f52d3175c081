#pragma once
// The Pareto front of accuracy against energy: a tactic is on it when no other tactic has
// at most its energy and at least its accuracy, one of the two strictly better.
#include <optional>
#include <vector>

namespace ecoinfer::report {

struct AccuracyEnergyPoint {
  std::optional<double> energy;    // lower is better
  std::optional<double> accuracy;  // higher is better
};

// One flag per point; a point missing either value is never on the front and dominates nothing.
std::vector<bool> pareto_front(const std::vector<AccuracyEnergyPoint>& points);

}  // namespace ecoinfer::report
