#include "economics/cost_curve.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "economics/break_even.h"

namespace ecoinfer::economics {

CostCurve cumulative_cost_curve(double c_old, double c_new, double c_opt, double max_inferences, std::size_t count,
                                Spacing spacing) {
  ECO_CHECK(count >= 2, "cost curve: needs at least 2 points, got {}", count);
  ECO_CHECK(std::isfinite(max_inferences) && max_inferences > 0, "cost curve: the horizon {} must be finite and > 0",
            max_inferences);
  ECO_CHECK(spacing == Spacing::linear || max_inferences >= 1, "cost curve: a log-spaced horizon {} must be >= 1",
            max_inferences);
  const std::optional<double> n_star = break_even_inferences(c_old, c_new, c_opt);  // also checks the costs
  auto at = [&](double n) { return CurvePoint{n, c_old * n, c_new * n + c_opt}; };
  CostCurve curve;
  const double last = static_cast<double>(count - 1);
  for (std::size_t i = 0; i < count; ++i) {
    const double f = static_cast<double>(i) / last;
    double n = spacing == Spacing::linear ? max_inferences * f : std::pow(10.0, std::log10(max_inferences) * f);
    if (i == count - 1) n = max_inferences;  // exact end, whatever pow rounds to
    curve.points.push_back(at(n));
  }
  if (n_star && *n_star <= max_inferences) {
    curve.break_even = at(*n_star);
    const auto pos = std::lower_bound(curve.points.begin(), curve.points.end(), *n_star,
                                      [](const CurvePoint& p, double n) { return p.inferences < n; });
    if (pos == curve.points.end() || pos->inferences != *n_star) curve.points.insert(pos, *curve.break_even);
  }
  return curve;
}

}  // namespace ecoinfer::economics
