#pragma once
// Shapiro–Wilk test of normality: W and its p-value by Royston's algorithm AS R94
// (Applied Statistics 44(4), 1995), as scipy.stats.shapiro computes them, for
// 3 <= n <= 5000 (the range of Royston's approximation).
//
// scipy runs AS R94 in single precision (its Fortran swilk.f, REAL arguments); this is
// the same algorithm and constants in double precision, with the normal quantile and
// tail from Boost.Math instead of AS 111 / AS 66. W agrees with scipy 1.10 to about
// 1e-7 and p to about 1e-6 relative (docs/statistics.md).
#include <cstddef>
#include <optional>
#include <span>

namespace ecoinfer::stats {

struct ShapiroWilkResult {
  double w = 0;
  double p = 0;
};

// nullopt when the sample has zero range (all values equal: W is 0/0; scipy warns and
// returns W = 1, p = 1). Throws ecoinfer::Error for n < 3, n > 5000 or non-finite values.
std::optional<ShapiroWilkResult> shapiro_wilk(std::span<const double> x);

// Royston's p-value for a given W and n (3..5000): exact for n = 3, the normalizing
// transformations of log(1 - W) for 4..11 and 12..5000 otherwise. shapiro_wilk uses it;
// exposed so that a W's uncertainty can be carried over to p.
double shapiro_wilk_p_value(double w, std::size_t n);

}  // namespace ecoinfer::stats
