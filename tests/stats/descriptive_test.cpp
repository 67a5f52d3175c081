// Descriptive statistics and outlier flags against numpy (mean, std(ddof=1), median,
// percentile "linear") on the two-sample fixtures.
#include "stats/descriptive.h"

#include "core/error.h"
#include "stats/outliers.h"
#include "stats_fixtures.h"

namespace ecoinfer::test {
namespace {

void expect_summary(const std::vector<double>& x, const nlohmann::json& want, const std::string& name) {
  const stats::Summary s = stats::describe(x);
  EXPECT_EQ(s.n, want["n"].get<std::size_t>()) << name;
  EXPECT_TRUE(parity(s.mean, want["mean"])) << name << " mean";
  EXPECT_TRUE(parity(s.sd, want["sd"])) << name << " sd";
  EXPECT_TRUE(parity(s.median, want["median"])) << name << " median";
  EXPECT_TRUE(parity(s.q1, want["q1"])) << name << " q1";
  EXPECT_TRUE(parity(s.q3, want["q3"])) << name << " q3";
  EXPECT_TRUE(parity(s.iqr, want["iqr"])) << name << " iqr";
  EXPECT_EQ(s.min, want["min"].get<double>()) << name;
  EXPECT_EQ(s.max, want["max"].get<double>()) << name;
  const stats::OutlierFlags f = stats::flag_outliers(x);
  EXPECT_EQ(f.flagged, want["outliers"].get<std::vector<bool>>()) << name;
}

TEST(StatsDescriptive, MatchesNumpy) {
  const auto cases = stats_fixture("two_sample.json");
  ASSERT_GE(cases.size(), 30u);
  for (const auto& c : cases) {
    const std::string name = c["name"];
    expect_summary(doubles(c["a"]), c["describe_a"], name + "/a");
    expect_summary(doubles(c["b"]), c["describe_b"], name + "/b");
  }
}

TEST(StatsDescriptive, QuantileIsNumpyLinear) {
  // np.percentile([1, 2, 4, 8], [0, 25, 50, 90, 100]) = [1, 1.75, 3, 6.8, 8]
  const std::vector<double> x = {1, 2, 4, 8};
  EXPECT_DOUBLE_EQ(stats::quantile_sorted(x, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(stats::quantile_sorted(x, 0.25), 1.75);
  EXPECT_DOUBLE_EQ(stats::quantile_sorted(x, 0.5), 3.0);
  EXPECT_DOUBLE_EQ(stats::quantile_sorted(x, 0.9), 6.8);
  EXPECT_DOUBLE_EQ(stats::quantile_sorted(x, 1.0), 8.0);
  EXPECT_DOUBLE_EQ(stats::median(std::vector<double>{3, 1, 2}), 2.0);
  EXPECT_DOUBLE_EQ(stats::median(std::vector<double>{4, 1, 3, 2}), 2.5);
}

TEST(StatsDescriptive, SingleValueHasZeroSpread) {
  const stats::Summary s = stats::describe(std::vector<double>{4.5});
  EXPECT_EQ(s.n, 1u);
  EXPECT_EQ(s.mean, 4.5);
  EXPECT_EQ(s.sd, 0.0);
  EXPECT_EQ(s.iqr, 0.0);
}

TEST(StatsDescriptive, RejectsEmptyAndNonFinite) {
  EXPECT_THROW(stats::describe(std::vector<double>{}), Error);
  EXPECT_THROW(stats::describe(std::vector<double>{1.0, std::nan("")}), Error);
  EXPECT_THROW(stats::variance(std::vector<double>{1.0}), Error);
  EXPECT_THROW(stats::quantile_sorted(std::vector<double>{1.0}, 1.5), Error);
}

TEST(StatsOutliers, FlagsBeyondOneAndAHalfIqr) {
  // Sorted: -10 2 3 4 5 6 7 8 14.5 100. Q1 = 3.25, Q3 = 7.75, IQR = 4.5: fences -3.5 and
  // 14.5. A value on a fence stays; -10 and 100 are flagged.
  const std::vector<double> x = {100, 2, 3, 4, 14.5, 5, 6, 7, 8, -10};
  const stats::OutlierFlags f = stats::flag_outliers(x);
  EXPECT_DOUBLE_EQ(f.lower_fence, -3.5);
  EXPECT_DOUBLE_EQ(f.upper_fence, 14.5);
  EXPECT_EQ(f.count, 2u);
  EXPECT_EQ(f.flagged, (std::vector<bool>{true, false, false, false, false, false, false, false, false, true}));
  EXPECT_EQ(stats::without_outliers(x, f), (std::vector<double>{2, 3, 4, 14.5, 5, 6, 7, 8}));
}

}  // namespace
}  // namespace ecoinfer::test
