#include "report/pareto.h"

namespace ecoinfer::report {

std::vector<bool> pareto_front(const std::vector<AccuracyEnergyPoint>& points) {
  std::vector<bool> on(points.size(), false);
  for (std::size_t i = 0; i < points.size(); ++i) {
    const AccuracyEnergyPoint& p = points[i];
    if (!p.energy || !p.accuracy) continue;
    bool dominated = false;
    for (std::size_t j = 0; j < points.size() && !dominated; ++j) {
      const AccuracyEnergyPoint& q = points[j];
      if (j == i || !q.energy || !q.accuracy) continue;
      dominated = *q.energy <= *p.energy && *q.accuracy >= *p.accuracy && (*q.energy < *p.energy || *q.accuracy > *p.accuracy);
    }
    on[i] = !dominated;
  }
  return on;
}

}  // namespace ecoinfer::report
