// Cliff's delta and Vargha–Delaney A12: the R package effsize's published vectors, and
// the two-sample fixtures (delta by its definition in numpy, A12 = scipy's U / (n_a n_b)).
#include "stats/effect_size.h"

#include "core/error.h"
#include "stats_fixtures.h"

namespace ecoinfer::test {
namespace {

const std::vector<double> kControl = {10, 20, 30, 40, 40, 50};

TEST(StatsEffectSize, EffsizePublishedVectors) {
  const std::vector<double> t1 = {10, 10, 20, 20, 20, 30, 30, 30, 40, 50};
  const double d1 = stats::cliffs_delta(t1, kControl);
  EXPECT_DOUBLE_EQ(d1, -0.25);
  EXPECT_EQ(stats::magnitude_name(stats::cliffs_magnitude(d1)), "small");

  const std::vector<double> t2 = {10, 20, 20, 20, 30, 30, 30, 40, 50, 100};
  const double d2 = stats::cliffs_delta(t2, kControl);
  EXPECT_NEAR(d2, -0.0667, 5e-5);
  EXPECT_DOUBLE_EQ(d2, -4.0 / 60);
  EXPECT_EQ(stats::magnitude_name(stats::cliffs_magnitude(d2)), "negligible");

  const std::vector<double> low = {1, 2, 3}, high = {4, 5, 6, 7};
  EXPECT_EQ(stats::cliffs_delta(low, high), -1.0);
  EXPECT_EQ(stats::cliffs_delta(high, low), 1.0);
  EXPECT_EQ(stats::magnitude_name(stats::cliffs_magnitude(-1.0)), "large");
  EXPECT_EQ(stats::vargha_delaney_a12(low, high), 0.0);
  EXPECT_EQ(stats::vargha_delaney_a12(high, low), 1.0);
}

TEST(StatsEffectSize, RomanoBandEdges) {
  EXPECT_EQ(stats::cliffs_magnitude(0.1469), stats::Magnitude::negligible);
  EXPECT_EQ(stats::cliffs_magnitude(-0.147), stats::Magnitude::small);
  EXPECT_EQ(stats::cliffs_magnitude(0.3299), stats::Magnitude::small);
  EXPECT_EQ(stats::cliffs_magnitude(0.33), stats::Magnitude::medium);
  EXPECT_EQ(stats::cliffs_magnitude(-0.4739), stats::Magnitude::medium);
  EXPECT_EQ(stats::cliffs_magnitude(0.474), stats::Magnitude::large);
  EXPECT_THROW(stats::cliffs_magnitude(1.5), Error);
}

TEST(StatsEffectSize, A12CountsTiesAsHalf) {
  // Pairs of {1, 2} against {2, 3}: 1<2, 1<3, 2=2, 2<3 -> P(a > b) = 0, P(a = b) = 1/4.
  const std::vector<double> a = {1, 2}, b = {2, 3};
  const auto c = stats::count_pairs(a, b);
  EXPECT_EQ(c.greater, 0);
  EXPECT_EQ(c.ties, 1);
  EXPECT_EQ(c.less, 3);
  EXPECT_DOUBLE_EQ(stats::vargha_delaney_a12(a, b), 0.125);
  EXPECT_DOUBLE_EQ(stats::cliffs_delta(a, b), -0.75);
}

TEST(StatsEffectSize, MatchesFixtures) {
  for (const auto& c : stats_fixture("two_sample.json")) {
    const auto a = doubles(c["a"]), b = doubles(c["b"]);
    EXPECT_TRUE(parity(stats::cliffs_delta(a, b), c["cliffs_delta"])) << c["name"];
    EXPECT_TRUE(parity(stats::vargha_delaney_a12(a, b), c["a12"])) << c["name"];
  }
}

}  // namespace
}  // namespace ecoinfer::test
