#include "stats/descriptive.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "stats/validate.h"

namespace ecoinfer::stats {

std::vector<double> sorted_copy(std::span<const double> x) {
  std::vector<double> s(x.begin(), x.end());
  std::sort(s.begin(), s.end());
  return s;
}

double quantile_sorted(std::span<const double> sorted, double q) {
  ECO_CHECK(!sorted.empty(), "quantile: empty sample");
  ECO_CHECK(q >= 0 && q <= 1, "quantile: q = {} is outside [0, 1]", q);
  const std::size_t n = sorted.size();
  const double h = static_cast<double>(n - 1) * q;
  const double lo_f = std::floor(h);
  const auto lo = static_cast<std::size_t>(lo_f);
  const std::size_t hi = std::min(lo + 1, n - 1);
  const double gamma = h - lo_f;
  const double a = sorted[lo], b = sorted[hi];
  const double diff = b - a;
  // numpy's _lerp: from the nearer end, so that gamma = 1 gives b exactly.
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

double mean(std::span<const double> x) {
  check_sample(x, 1, "mean");
  double s = 0;
  for (double v : x) s += v;
  return s / static_cast<double>(x.size());
}

double variance(std::span<const double> x) {
  check_sample(x, 2, "variance");
  const double m = mean(x);
  double ss = 0;
  for (double v : x) ss += (v - m) * (v - m);
  return ss / static_cast<double>(x.size() - 1);
}

double median_sorted(std::span<const double> sorted) {
  ECO_CHECK(!sorted.empty(), "median: empty sample");
  const std::size_t n = sorted.size();
  // As numpy.median: the mean of the two middle values when n is even.
  return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

double median(std::span<const double> x) {
  check_sample(x, 1, "median");
  return median_sorted(sorted_copy(x));
}

Summary describe(std::span<const double> x) {
  check_sample(x, 1, "describe");
  const std::vector<double> s = sorted_copy(x);
  Summary r;
  r.n = x.size();
  r.mean = mean(x);
  r.sd = x.size() >= 2 ? std::sqrt(variance(x)) : 0.0;
  r.median = median_sorted(s);
  r.q1 = quantile_sorted(s, 0.25);
  r.q3 = quantile_sorted(s, 0.75);
  r.iqr = r.q3 - r.q1;
  r.min = s.front();
  r.max = s.back();
  return r;
}

}  // namespace ecoinfer::stats
