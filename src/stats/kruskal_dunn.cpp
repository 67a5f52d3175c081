#include "stats/kruskal_dunn.h"

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <string>

#include "core/error.h"
#include "stats/holm.h"
#include "stats/ranks.h"
#include "stats/validate.h"

namespace ecoinfer::stats {
namespace {

struct PooledRanks {
  std::vector<double> rank_sums;  // per group
  std::vector<double> sizes;      // per group
  double n = 0;                   // pooled size
  double tie_term = 0;            // sum(t^3 - t) over the pooled sample
};

PooledRanks pooled_ranks(std::span<const std::vector<double>> groups, const char* what) {
  ECO_CHECK(groups.size() >= 2, "{}: needs at least 2 groups, got {}", what, groups.size());
  std::vector<double> pooled;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    check_sample(groups[g], 1, (std::string(what) + ": group " + std::to_string(g)).c_str());
    pooled.insert(pooled.end(), groups[g].begin(), groups[g].end());
  }
  const Ranking r = rank_average(pooled);
  PooledRanks p;
  p.n = static_cast<double>(pooled.size());
  p.tie_term = r.tie_term;
  std::size_t at = 0;
  for (const auto& g : groups) {
    double sum = 0;
    for (std::size_t i = 0; i < g.size(); ++i) sum += r.ranks[at + i];
    at += g.size();
    p.rank_sums.push_back(sum);
    p.sizes.push_back(static_cast<double>(g.size()));
  }
  return p;
}

bool all_tied(const PooledRanks& p) { return p.tie_term == p.n * p.n * p.n - p.n; }

}  // namespace

std::optional<KruskalResult> kruskal_wallis(std::span<const std::vector<double>> groups) {
  const PooledRanks pr = pooled_ranks(groups, "kruskal_wallis");
  if (all_tied(pr)) return std::nullopt;
  const double n = pr.n;
  double ssbn = 0;
  for (std::size_t g = 0; g < groups.size(); ++g) ssbn += pr.rank_sums[g] * pr.rank_sums[g] / pr.sizes[g];
  const double correction = 1 - pr.tie_term / (n * n * n - n);
  KruskalResult r;
  r.df = groups.size() - 1;
  r.h = (12.0 / (n * (n + 1)) * ssbn - 3 * (n + 1)) / correction;
  // H can come out a rounding error below 0 when all mean ranks are equal.
  r.p = r.h <= 0 ? 1.0
                 : boost::math::cdf(boost::math::complement(
                       boost::math::chi_squared_distribution<double>(static_cast<double>(r.df)), r.h));
  return r;
}

std::optional<std::vector<DunnPair>> dunn_test(std::span<const std::vector<double>> groups) {
  const PooledRanks pr = pooled_ranks(groups, "dunn_test");
  if (all_tied(pr)) return std::nullopt;
  const double n = pr.n;
  const double base_var = n * (n + 1) / 12 - pr.tie_term / (12 * (n - 1));
  const boost::math::normal_distribution<double> normal;
  std::vector<DunnPair> pairs;
  std::vector<double> p;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    for (std::size_t j = i + 1; j < groups.size(); ++j) {
      DunnPair d;
      d.a = i;
      d.b = j;
      const double diff = pr.rank_sums[i] / pr.sizes[i] - pr.rank_sums[j] / pr.sizes[j];
      d.z = diff / std::sqrt(base_var * (1 / pr.sizes[i] + 1 / pr.sizes[j]));
      d.p = 2 * boost::math::cdf(boost::math::complement(normal, std::fabs(d.z)));
      pairs.push_back(d);
      p.push_back(d.p);
    }
  }
  const std::vector<double> adjusted = holm_adjust(p);
  for (std::size_t k = 0; k < pairs.size(); ++k) pairs[k].p_holm = adjusted[k];
  return pairs;
}

}  // namespace ecoinfer::stats
