#pragma once
// Cumulative cost against the number of inferences, for a chart: the baseline costs
// C_old N, the optimized variant C_new N + C_opt; the lines cross at the break-even point.
#include <cstddef>
#include <optional>
#include <vector>

namespace ecoinfer::economics {

struct CurvePoint {
  double inferences = 0;
  double baseline_cost = 0;   // C_old N
  double optimized_cost = 0;  // C_new N + C_opt
};

enum class Spacing {
  linear,  // 0, max/(k-1), ..., max
  log,     // 1, ..., max, evenly spaced in log10 (for a logarithmic axis)
};

struct CostCurve {
  std::vector<CurvePoint> points;        // ascending; includes the break-even point when in range
  std::optional<CurvePoint> break_even;  // at N* (break_even.h), when N* <= max_inferences
};

// `count` >= 2 evenly spaced points up to max_inferences (> 0; >= 1 for log spacing),
// plus the break-even point. Costs as in break_even.h.
CostCurve cumulative_cost_curve(double c_old, double c_new, double c_opt, double max_inferences,
                                std::size_t count = 50, Spacing spacing = Spacing::linear);

}  // namespace ecoinfer::economics
