#pragma once
// Descriptive statistics of one sample.
//
// Quantiles use numpy's default definition ("linear", Hyndman & Fan type 7, the one
// scipy users get from np.percentile/np.quantile): with the sorted sample x[0..n-1],
// h = (n - 1) q, q-quantile = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]),
// evaluated in the same floating-point order as numpy 1.24 so results agree to the bit
// in the common cases.
#include <cstddef>
#include <span>
#include <vector>

namespace ecoinfer::stats {

struct Summary {
  std::size_t n = 0;
  double mean = 0;
  double sd = 0;      // sample standard deviation, divisor n - 1 (0 when n == 1)
  double median = 0;
  double q1 = 0;      // 25th percentile (numpy linear)
  double q3 = 0;      // 75th percentile (numpy linear)
  double iqr = 0;     // q3 - q1
  double min = 0;
  double max = 0;
};

// Needs at least one finite value (throws ecoinfer::Error otherwise).
Summary describe(std::span<const double> x);

double mean(std::span<const double> x);
// Sample variance with divisor n - 1 (two-pass, as numpy's var(ddof=1)); needs n >= 2.
double variance(std::span<const double> x);
// numpy.median: the middle value, or the mean of the two middle values when n is even.
double median(std::span<const double> x);
double median_sorted(std::span<const double> sorted);

// The q-quantile (0 <= q <= 1) of an already sorted, non-empty sample, numpy "linear".
double quantile_sorted(std::span<const double> sorted, double q);

std::vector<double> sorted_copy(std::span<const double> x);

}  // namespace ecoinfer::stats
