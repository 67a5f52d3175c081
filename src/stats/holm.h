#pragma once
// Holm's step-down correction for multiple comparisons (Holm 1979), as
// statsmodels.stats.multitest.multipletests(method="holm"): sort p ascending,
// multiply the i-th smallest (0-based) by (m - i), make the sequence non-decreasing
// (running maximum) and cap at 1. Controls the family-wise error rate.
#include <span>
#include <vector>

namespace ecoinfer::stats {

// Adjusted p-values in the order of the input. Each p must lie in [0, 1].
std::vector<double> holm_adjust(std::span<const double> p);

}  // namespace ecoinfer::stats
