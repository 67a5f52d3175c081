// Shapiro–Wilk against two references (tools/gen_stats_fixtures.py, docs/statistics.md):
//  - R's shapiro.test, AS R94 in double precision as here: W and p within 1e-9 relative;
//  - scipy 1.10's shapiro, AS R94 in single precision: W within max(1e-6, 2 sqrt(n) eps32)
//    (float32 sums of n terms), and p within 1e-5 relative or within the change in p
//    that this uncertainty of W causes, whichever is larger.
#include "stats/shapiro_wilk.h"

#include <cmath>

#include "core/error.h"
#include "stats_fixtures.h"

namespace ecoinfer::test {
namespace {

constexpr double kEps32 = 1.1920928955078125e-07;  // 2^-23

void expect_shapiro(const std::vector<double>& x, const nlohmann::json& want, const std::string& name) {
  const auto r = stats::shapiro_wilk(x);
  if (want.is_null()) {
    EXPECT_FALSE(r.has_value()) << name;
    return;
  }
  ASSERT_TRUE(r.has_value()) << name;
  const std::size_t n = x.size();
  EXPECT_TRUE(parity(r->w, want["r_w"])) << name << " W vs R";
  if (n == 3) {
    // R rounds 6/pi and pi/3 to 15 digits where AS R94 and scipy use 7: p differs by ~1e-6.
    EXPECT_TRUE(close_to(r->p, want["r_p"], 0, 2e-6)) << name << " p vs R";
  } else {
    EXPECT_TRUE(parity(r->p, want["r_p"])) << name << " p vs R";
  }

  const double w_tol = std::max(1e-6, 2 * std::sqrt(static_cast<double>(n)) * kEps32);
  EXPECT_TRUE(close_to(r->w, want["w"], 0, w_tol)) << name << " W vs scipy";
  const double scipy_p = want["p"];
  if (scipy_p < 0) {  // scipy's float32 goes below 0 at n = 3, W = 0.75
    EXPECT_GE(r->p, 0.0) << name;
    EXPECT_LT(r->p, 1e-5) << name;
    return;
  }
  const double p_lo = stats::shapiro_wilk_p_value(std::max(0.0, r->w - w_tol), n);
  const double p_hi = stats::shapiro_wilk_p_value(std::min(1.0, r->w + w_tol), n);
  const double p_tol = std::max({1e-5 * scipy_p, std::fabs(p_lo - r->p), std::fabs(p_hi - r->p)});
  EXPECT_TRUE(close_to(r->p, scipy_p, 0, p_tol)) << name << " p vs scipy";
  if (n <= 15) EXPECT_TRUE(close_to(r->p, scipy_p, 1e-5, 0)) << name << " p vs scipy, small n";
}

TEST(StatsShapiroWilk, MatchesScipyFrom3To5000) {
  const auto cases = stats_fixture("shapiro.json");
  ASSERT_GE(cases.size(), 40u);
  for (const auto& c : cases) expect_shapiro(doubles(c["x"]), c, c["name"]);
}

TEST(StatsShapiroWilk, MatchesScipyOnTwoSampleFixtures) {
  for (const auto& c : stats_fixture("two_sample.json")) {
    expect_shapiro(doubles(c["a"]), c["shapiro_a"], std::string(c["name"]) + "/a");
    expect_shapiro(doubles(c["b"]), c["shapiro_b"], std::string(c["name"]) + "/b");
  }
}

TEST(StatsShapiroWilk, ThreeValuesEquallySpacedAreNormalPerfectly) {
  // n = 3 is exact: W = 1 and p = 1 for equal spacing; W = 0.75, p = 0 at the minimum.
  const auto even = stats::shapiro_wilk(std::vector<double>{1, 2, 3});
  ASSERT_TRUE(even);
  EXPECT_NEAR(even->w, 1.0, 1e-12);
  EXPECT_NEAR(even->p, 1.0, 1e-5);  // AS R94's rounded constants 6/pi and pi/3
  const auto worst = stats::shapiro_wilk(std::vector<double>{0, 0, 1});
  ASSERT_TRUE(worst);
  EXPECT_NEAR(worst->w, 0.75, 1e-12);
  EXPECT_GE(worst->p, 0.0);  // scipy's single precision gives -9.1e-07 here
  EXPECT_LT(worst->p, 1e-5);
}

TEST(StatsShapiroWilk, ShiftAndScaleInvariant) {
  const std::vector<double> x = {2.1, 3.5, 2.9, 4.4, 3.3, 2.2, 5.9, 3.0, 3.1, 2.8, 4.0, 3.6, 2.5};
  std::vector<double> y;
  for (double v : x) y.push_back(1e6 + 1e3 * v);
  const auto rx = stats::shapiro_wilk(x), ry = stats::shapiro_wilk(y);
  ASSERT_TRUE(rx && ry);
  EXPECT_NEAR(rx->w, ry->w, 1e-12);
  EXPECT_NEAR(rx->p, ry->p, 1e-10);
}

TEST(StatsShapiroWilk, ZeroRangeIsUndefinedAndBadSizesThrow) {
  EXPECT_FALSE(stats::shapiro_wilk(std::vector<double>{5, 5, 5, 5}).has_value());
  EXPECT_THROW(stats::shapiro_wilk(std::vector<double>{1, 2}), Error);
  EXPECT_THROW(stats::shapiro_wilk(std::vector<double>(5001, 1.0)), Error);
  EXPECT_THROW(stats::shapiro_wilk(std::vector<double>{1, 2, INFINITY}), Error);
}

}  // namespace
}  // namespace ecoinfer::test
