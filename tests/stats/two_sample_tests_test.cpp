// Mann–Whitney U and Welch's t against scipy 1.10 (mannwhitneyu method="auto",
// ttest_ind equal_var=False): 1e-9 relative, 1e-12 absolute near 0.
#include "stats/mann_whitney.h"
#include "stats/welch.h"

#include "core/error.h"
#include "stats_fixtures.h"

namespace ecoinfer::test {
namespace {

TEST(StatsMannWhitney, MatchesScipyAuto) {
  const auto cases = stats_fixture("two_sample.json");
  int exact = 0, asymptotic = 0;
  for (const auto& c : cases) {
    const std::string name = c["name"];
    const auto r = stats::mann_whitney(doubles(c["a"]), doubles(c["b"]));
    const auto& want = c["mann_whitney"];
    EXPECT_EQ(stats::method_name(r.method), want["method"].get<std::string>()) << name;
    EXPECT_TRUE(parity(r.u, want["u"])) << name << " U";
    EXPECT_TRUE(parity(r.p, want["p"])) << name << " p";
    (r.method == stats::MannWhitneyMethod::exact ? exact : asymptotic)++;
  }
  EXPECT_GE(exact, 5);  // the fixtures exercise both methods
  EXPECT_GE(asymptotic, 5);
}

TEST(StatsMannWhitney, ExactDistributionSmallCases) {
  // m = n = 2: U takes 0,1,2,2,3,4 over the C(4,2) = 6 arrangements.
  EXPECT_DOUBLE_EQ(stats::mann_whitney_exact_sf(4, 2, 2), 1.0 / 6);
  EXPECT_DOUBLE_EQ(stats::mann_whitney_exact_sf(3, 2, 2), 2.0 / 6);
  EXPECT_DOUBLE_EQ(stats::mann_whitney_exact_sf(2, 2, 2), 4.0 / 6);
  EXPECT_DOUBLE_EQ(stats::mann_whitney_exact_sf(0, 2, 2), 1.0);
  // scipy's docstring example: males vs females, exact p = 1/9.
  const auto r = stats::mann_whitney(std::vector<double>{19, 22, 16, 29, 24}, std::vector<double>{20, 11, 17, 12});
  EXPECT_EQ(r.u, 17);
  EXPECT_TRUE(parity(r.p, 0.1111111111111111));
}

TEST(StatsMannWhitney, RejectsEmptySample) {
  EXPECT_THROW(stats::mann_whitney(std::vector<double>{}, std::vector<double>{1.0}), Error);
}

TEST(StatsWelch, MatchesScipy) {
  for (const auto& c : stats_fixture("two_sample.json")) {
    const std::string name = c["name"];
    const auto r = stats::welch_t_test(doubles(c["a"]), doubles(c["b"]));
    if (c["welch"].is_null()) {
      EXPECT_FALSE(r.has_value()) << name;
      continue;
    }
    ASSERT_TRUE(r.has_value()) << name;
    EXPECT_TRUE(parity(r->t, c["welch"]["t"])) << name << " t";
    EXPECT_TRUE(parity(r->df, c["welch"]["df"])) << name << " df";
    EXPECT_TRUE(parity(r->p, c["welch"]["p"])) << name << " p";
  }
}

TEST(StatsWelch, NeedsTwoValuesPerSample) {
  EXPECT_THROW(stats::welch_t_test(std::vector<double>{1.0}, std::vector<double>{1.0, 2.0}), Error);
}

}  // namespace
}  // namespace ecoinfer::test
