#include "stats/mann_whitney.h"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <vector>

#include "stats/ranks.h"
#include "stats/validate.h"

namespace ecoinfer::stats {

const char* method_name(MannWhitneyMethod m) { return m == MannWhitneyMethod::exact ? "exact" : "asymptotic"; }

double mann_whitney_exact_sf(std::size_t u, std::size_t m, std::size_t n) {
  if (u == 0) return 1.0;
  if (u > m * n) return 0.0;
  // The distribution is symmetric, so P(U >= u) = P(U <= m n - u): count arrangements
  // with U <= k. Counts with sample sizes (i, j) obey f(i, j, k) = f(i - 1, j, k - j) +
  // f(i, j - 1, k) (Mann & Whitney 1947; scipy's recurrence). The smaller sample is `i`
  // so the table stays small; the layers run over j. Counts are kept in doubles, as
  // scipy does: they are exact up to 2^53 and only relatively rounded beyond.
  const std::size_t k_max = m * n - u;
  const std::size_t small = std::min(m, n), large = std::max(m, n);
  // prev[i][k] = f(i, j - 1, k), cur[i][k] = f(i, j, k), for k <= k_max.
  std::vector<std::vector<double>> prev(small + 1, std::vector<double>(k_max + 1, 0.0)), cur = prev;
  for (std::size_t i = 0; i <= small; ++i) prev[i][0] = 1;  // j = 0: only U = 0
  for (std::size_t j = 1; j <= large; ++j) {
    for (std::size_t i = 0; i <= small; ++i) {
      for (std::size_t k = 0; k <= k_max; ++k) {
        double f = prev[i][k];
        if (i >= 1 && k >= j) f += cur[i - 1][k - j];
        cur[i][k] = f;
      }
    }
    std::swap(prev, cur);
  }
  double below = 0;
  for (std::size_t k = 0; k <= k_max; ++k) below += prev[small][k];
  // Total arrangements C(m + n, m), as a double like scipy's special.binom.
  double total = 1;
  for (std::size_t i = 1; i <= small; ++i) total = total * static_cast<double>(large + i) / static_cast<double>(i);
  return below / total;
}

MannWhitneyResult mann_whitney(std::span<const double> a, std::span<const double> b) {
  check_sample(a, 1, "mann_whitney: sample a");
  check_sample(b, 1, "mann_whitney: sample b");
  const std::size_t na = a.size(), nb = b.size();
  std::vector<double> pooled(a.begin(), a.end());
  pooled.insert(pooled.end(), b.begin(), b.end());
  const Ranking r = rank_average(pooled);
  double rank_sum_a = 0;
  for (std::size_t i = 0; i < na; ++i) rank_sum_a += r.ranks[i];
  const double n1 = static_cast<double>(na), n2 = static_cast<double>(nb);
  MannWhitneyResult res;
  res.u = rank_sum_a - n1 * (n1 + 1) / 2;
  const double u_max = std::max(res.u, n1 * n2 - res.u);
  const bool ties = r.tie_term > 0;
  res.method = (std::min(na, nb) <= 8 && !ties) ? MannWhitneyMethod::exact : MannWhitneyMethod::asymptotic;
  double p;
  if (res.method == MannWhitneyMethod::exact) {
    p = 2 * mann_whitney_exact_sf(static_cast<std::size_t>(u_max), na, nb);
  } else {
    const double n = n1 + n2;
    const double var = n1 * n2 / 12 * ((n + 1) - r.tie_term / (n * (n - 1)));
    const double numerator = u_max - n1 * n2 / 2 - 0.5;  // continuity correction towards the mean
    if (!(var > 0)) {
      p = 1.0;  // all values tied: no evidence of a difference
    } else {
      const double z = numerator / std::sqrt(var);
      p = 2 * boost::math::cdf(boost::math::complement(boost::math::normal_distribution<double>(), z));
    }
  }
  res.p = std::clamp(p, 0.0, 1.0);
  return res;
}

}  // namespace ecoinfer::stats
