#include "stats/outliers.h"

#include "core/error.h"
#include "stats/descriptive.h"

namespace ecoinfer::stats {

OutlierFlags flag_outliers(std::span<const double> x) {
  const Summary s = describe(x);
  OutlierFlags f;
  f.lower_fence = s.q1 - 1.5 * s.iqr;
  f.upper_fence = s.q3 + 1.5 * s.iqr;
  f.flagged.resize(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    f.flagged[i] = x[i] < f.lower_fence || x[i] > f.upper_fence;
    f.count += f.flagged[i] ? 1 : 0;
  }
  return f;
}

std::vector<double> without_outliers(std::span<const double> x, const OutlierFlags& flags) {
  ECO_CHECK(flags.flagged.size() == x.size(), "without_outliers: {} flags for {} values", flags.flagged.size(), x.size());
  std::vector<double> kept;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!flags.flagged[i]) kept.push_back(x[i]);
  return kept;
}

}  // namespace ecoinfer::stats
