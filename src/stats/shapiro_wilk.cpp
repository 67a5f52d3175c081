#include "stats/shapiro_wilk.h"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <vector>

#include "core/error.h"
#include "stats/descriptive.h"
#include "stats/validate.h"

namespace ecoinfer::stats {
namespace {

// AS 181.2 POLY: c[0] + c[1] x + ... + c[n-1] x^(n-1).
template <std::size_t N>
double poly(const double (&c)[N], double x) {
  double r = 0;
  for (std::size_t i = N; i-- > 1;) r = (r + c[i]) * x;
  return c[0] + r;
}

// Royston's constants, as in AS R94 (and scipy's swilk.f).
constexpr double kC1[] = {0.0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056};
constexpr double kC2[] = {0.0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633};
constexpr double kC3[] = {0.5440, -0.39978, 0.025054, -6.714e-4};
constexpr double kC4[] = {1.3822, -0.77857, 0.062767, -0.0020322};
constexpr double kC5[] = {-1.5861, -0.31082, -0.083751, 0.0038915};
constexpr double kC6[] = {-0.4803, -0.082676, 0.0030302};
constexpr double kG[] = {-2.273, 0.459};
constexpr double kSqrtHalf = 0.70711;   // a(1) for n = 3; W is a correlation, so its scale does not matter
constexpr double kPi6 = 1.909859;       // 6 / pi, as rounded in AS R94
constexpr double kStqr = 1.047198;      // pi / 3, as rounded in AS R94
constexpr double kSmall = 1e-19;

// The n/2 coefficients a(1..n/2) of AS R94 (positive; the lower half of the full
// antisymmetric vector is -a).
std::vector<double> coefficients(std::size_t n) {
  const std::size_t half = n / 2;
  std::vector<double> a(half);
  if (n == 3) {
    a[0] = kSqrtHalf;
    return a;
  }
  const boost::math::normal_distribution<double> normal;
  const double an = static_cast<double>(n);
  const double an25 = an + 0.25;
  std::vector<double> m(half);
  double summ2 = 0;
  for (std::size_t i = 0; i < half; ++i) {
    m[i] = boost::math::quantile(normal, (static_cast<double>(i + 1) - 0.375) / an25);
    summ2 += m[i] * m[i];
  }
  summ2 *= 2;
  const double ssumm2 = std::sqrt(summ2);
  const double rsn = 1 / std::sqrt(an);
  const double a1 = poly(kC1, rsn) - m[0] / ssumm2;
  std::size_t first_scaled;
  double fac;
  if (n > 5) {
    const double a2 = -m[1] / ssumm2 + poly(kC2, rsn);
    fac = std::sqrt((summ2 - 2 * m[0] * m[0] - 2 * m[1] * m[1]) / (1 - 2 * a1 * a1 - 2 * a2 * a2));
    a[1] = a2;
    first_scaled = 2;
  } else {
    fac = std::sqrt((summ2 - 2 * m[0] * m[0]) / (1 - 2 * a1 * a1));
    first_scaled = 1;
  }
  a[0] = a1;
  for (std::size_t i = first_scaled; i < half; ++i) a[i] = -m[i] / fac;
  return a;
}

// Royston's p-value from w1 = 1 - W (kept as 1 - W for precision near W = 1).
double p_value_from_one_minus_w(double w1, std::size_t n) {
  if (n == 3) {
    // Exact for n = 3; W's minimum is 0.75, where the rounded constants could dip below 0.
    const double p = kPi6 * (std::asin(std::sqrt(1 - w1)) - kStqr);
    return std::clamp(p, 0.0, 1.0);
  }
  if (w1 <= 0) return 1.0;
  const double an = static_cast<double>(n);
  double y = std::log(w1);
  double mean, sd;
  if (n <= 11) {
    const double gamma = poly(kG, an);
    if (y >= gamma) return kSmall;  // beyond the approximation: AS R94's floor
    y = -std::log(gamma - y);
    mean = poly(kC3, an);
    sd = std::exp(poly(kC4, an));
  } else {
    const double log_n = std::log(an);
    mean = poly(kC5, log_n);
    sd = std::exp(poly(kC6, log_n));
  }
  return boost::math::cdf(boost::math::complement(boost::math::normal_distribution<double>(), (y - mean) / sd));
}

}  // namespace

std::optional<ShapiroWilkResult> shapiro_wilk(std::span<const double> x_in) {
  check_sample(x_in, 3, "shapiro_wilk");
  const std::size_t n = x_in.size();
  ECO_CHECK(n <= 5000, "shapiro_wilk: n = {} is above 5000, where Royston's p-value approximation ends", n);
  // As scipy: centre on the median first (W is shift-invariant; this keeps precision).
  const double med = median(x_in);
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = x_in[i] - med;
  std::sort(x.begin(), x.end());
  const double range = x[n - 1] - x[0];
  if (range < kSmall) return std::nullopt;

  const std::vector<double> a = coefficients(n);
  // The coefficient of the i-th smallest value (0-based) in the full antisymmetric vector.
  auto coef = [&](std::size_t i) {
    const std::size_t j = n - 1 - i;
    if (i == j) return 0.0;
    return i < j ? -a[i] : a[j];
  };
  double sa = 0, sx = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sa += coef(i);
    sx += x[i] / range;
  }
  sa /= static_cast<double>(n);
  sx /= static_cast<double>(n);
  double ssa = 0, ssx = 0, sax = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double asa = coef(i) - sa;
    const double xsx = x[i] / range - sx;
    ssa += asa * asa;
    ssx += xsx * xsx;
    sax += asa * xsx;
  }
  // 1 - W, computed this way to keep precision when W is close to 1 (AS R94).
  const double ssassx = std::sqrt(ssa * ssx);
  const double w1 = (ssassx - sax) * (ssassx + sax) / (ssa * ssx);
  return ShapiroWilkResult{1 - w1, p_value_from_one_minus_w(w1, n)};
}

double shapiro_wilk_p_value(double w, std::size_t n) {
  ECO_CHECK(n >= 3 && n <= 5000, "shapiro_wilk_p_value: n = {} is outside 3..5000", n);
  ECO_CHECK(w >= 0 && w <= 1, "shapiro_wilk_p_value: W = {} is outside [0, 1]", w);
  return p_value_from_one_minus_w(1 - w, n);
}

}  // namespace ecoinfer::stats
