#include "stats/effect_size.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "stats/descriptive.h"
#include "stats/validate.h"

namespace ecoinfer::stats {

PairCounts count_pairs(std::span<const double> a, std::span<const double> b) {
  check_sample(a, 1, "effect size: sample a");
  check_sample(b, 1, "effect size: sample b");
  const std::vector<double> sb = sorted_copy(b);
  PairCounts c;
  for (double v : a) {
    const auto lo = std::lower_bound(sb.begin(), sb.end(), v);
    const auto hi = std::upper_bound(lo, sb.end(), v);
    c.less += static_cast<double>(sb.end() - hi);
    c.ties += static_cast<double>(hi - lo);
    c.greater += static_cast<double>(lo - sb.begin());
  }
  return c;
}

double cliffs_delta(std::span<const double> a, std::span<const double> b) {
  const PairCounts c = count_pairs(a, b);
  return (c.greater - c.less) / (static_cast<double>(a.size()) * static_cast<double>(b.size()));
}

double vargha_delaney_a12(std::span<const double> a, std::span<const double> b) {
  const PairCounts c = count_pairs(a, b);
  return (c.greater + 0.5 * c.ties) / (static_cast<double>(a.size()) * static_cast<double>(b.size()));
}

Magnitude cliffs_magnitude(double delta) {
  ECO_CHECK(std::isfinite(delta) && std::fabs(delta) <= 1, "cliffs_magnitude: delta {} is not in [-1, 1]", delta);
  const double d = std::fabs(delta);
  if (d < 0.147) return Magnitude::negligible;
  if (d < 0.33) return Magnitude::small;
  if (d < 0.474) return Magnitude::medium;
  return Magnitude::large;
}

std::string_view magnitude_name(Magnitude m) {
  switch (m) {
    case Magnitude::negligible: return "negligible";
    case Magnitude::small: return "small";
    case Magnitude::medium: return "medium";
    case Magnitude::large: return "large";
  }
  return "?";
}

}  // namespace ecoinfer::stats
