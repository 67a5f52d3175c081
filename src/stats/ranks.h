#pragma once
// Average ranks with ties (scipy.stats.rankdata's default "average" method) and the
// tie term sum(t^3 - t) over groups of tied values, used by the rank tests.
#include <span>
#include <vector>

namespace ecoinfer::stats {

struct Ranking {
  std::vector<double> ranks;  // 1-based average ranks, in the order of the input
  double tie_term = 0;        // sum over tie groups of t^3 - t (0 when there are no ties)
};

Ranking rank_average(std::span<const double> x);

// scipy.stats.tiecorrect: 1 - sum(t^3 - t) / (N^3 - N); 1 for N < 2.
double tie_correction(std::span<const double> x);

}  // namespace ecoinfer::stats
