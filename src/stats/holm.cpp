#include "stats/holm.h"

#include <algorithm>
#include <numeric>

#include "core/error.h"

namespace ecoinfer::stats {

std::vector<double> holm_adjust(std::span<const double> p) {
  const std::size_t m = p.size();
  for (std::size_t i = 0; i < m; ++i) ECO_CHECK(p[i] >= 0 && p[i] <= 1, "holm_adjust: p[{}] = {} is not in [0, 1]", i, p[i]);
  std::vector<std::size_t> order(m);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) { return p[i] < p[j]; });
  std::vector<double> adjusted(m);
  double running_max = 0;
  for (std::size_t rank = 0; rank < m; ++rank) {
    running_max = std::max(running_max, static_cast<double>(m - rank) * p[order[rank]]);
    adjusted[order[rank]] = std::min(running_max, 1.0);
  }
  return adjusted;
}

}  // namespace ecoinfer::stats
