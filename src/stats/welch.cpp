#include "stats/welch.h"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>

#include "stats/descriptive.h"
#include "stats/validate.h"

namespace ecoinfer::stats {

std::optional<WelchResult> welch_t_test(std::span<const double> a, std::span<const double> b) {
  check_sample(a, 2, "welch_t_test: sample a");
  check_sample(b, 2, "welch_t_test: sample b");
  const double na = static_cast<double>(a.size()), nb = static_cast<double>(b.size());
  const double va = variance(a) / na, vb = variance(b) / nb;
  const double se2 = va + vb;
  if (!(se2 > 0)) return std::nullopt;
  WelchResult r;
  r.df = se2 * se2 / (va * va / (na - 1) + vb * vb / (nb - 1));
  r.t = (mean(a) - mean(b)) / std::sqrt(se2);
  r.p = 2 * boost::math::cdf(boost::math::complement(boost::math::students_t_distribution<double>(r.df), std::fabs(r.t)));
  return r;
}

}  // namespace ecoinfer::stats
