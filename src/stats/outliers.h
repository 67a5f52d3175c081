#pragma once
// Outlier flags by Tukey's fences: a value is flagged when it lies below
// Q1 - 1.5 IQR or above Q3 + 1.5 IQR (quartiles by numpy's linear definition,
// descriptive.h). Nothing is removed here; callers decide what to exclude.
#include <span>
#include <vector>

namespace ecoinfer::stats {

struct OutlierFlags {
  double lower_fence = 0;   // Q1 - 1.5 IQR
  double upper_fence = 0;   // Q3 + 1.5 IQR
  std::vector<bool> flagged;  // per value, in input order
  std::size_t count = 0;      // number flagged
};

OutlierFlags flag_outliers(std::span<const double> x);

// The values of x that are not flagged, in input order.
std::vector<double> without_outliers(std::span<const double> x, const OutlierFlags& flags);

}  // namespace ecoinfer::stats
