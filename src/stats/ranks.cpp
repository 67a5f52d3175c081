#include "stats/ranks.h"

#include <algorithm>
#include <numeric>

namespace ecoinfer::stats {

Ranking rank_average(std::span<const double> x) {
  const std::size_t n = x.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) { return x[i] < x[j]; });
  Ranking r;
  r.ranks.resize(n);
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i + 1;
    while (j < n && x[order[j]] == x[order[i]]) ++j;
    // Positions i..j-1 (0-based) share the mean of the ranks i+1..j.
    const double rank = 0.5 * static_cast<double>(i + 1 + j);
    for (std::size_t k = i; k < j; ++k) r.ranks[order[k]] = rank;
    const double t = static_cast<double>(j - i);
    r.tie_term += t * t * t - t;
    i = j;
  }
  return r;
}

double tie_correction(std::span<const double> x) {
  const double n = static_cast<double>(x.size());
  if (x.size() < 2) return 1.0;
  return 1.0 - rank_average(x).tie_term / (n * n * n - n);
}

}  // namespace ecoinfer::stats
