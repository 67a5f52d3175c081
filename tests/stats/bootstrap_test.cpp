// The seeded bootstrap against the same algorithm reimplemented in Python
// (tools/gen_stats_fixtures.py): std::mt19937_64, rejection below 2^64 mod n, numpy's
// linear quantile. Same seed, same numbers, on any platform.
#include "stats/bootstrap.h"

#include "core/error.h"
#include "stats_fixtures.h"

namespace ecoinfer::test {
namespace {

TEST(StatsBootstrap, EngineIsTheStandardMt19937_64) {
  std::mt19937_64 e;  // [rand.predef]: the 10000th output of a default-constructed engine
  e.discard(9999);
  EXPECT_EQ(e(), 9981545732273789042ull);
}

TEST(StatsBootstrap, IndicesAreInRangeAndRejectTheBiasedRange) {
  stats::ResampleIndices idx(1);
  std::vector<int> seen(7, 0);
  for (int i = 0; i < 7000; ++i) seen[idx.next(7)]++;
  for (int count : seen) EXPECT_GT(count, 800);  // 1000 expected each
  // n = 2^63 + 1: 2^64 mod n = 2^63 - 1, so draws below that are rejected.
  const std::size_t huge = (std::size_t{1} << 63) + 1;
  stats::ResampleIndices a(3);
  std::mt19937_64 e(3);
  std::uint64_t x;
  do x = e();
  while (x < huge - 2);
  EXPECT_EQ(a.next(huge), x % huge);
}

TEST(StatsBootstrap, MatchesPythonReimplementation) {
  const auto cases = stats_fixture("bootstrap.json");
  ASSERT_EQ(cases.size(), 5u);
  for (const auto& c : cases) {
    const std::string name = c["name"];
    stats::BootstrapOptions opts;
    opts.seed = c["seed"];
    opts.resamples = c["resamples"];
    opts.confidence = c["confidence"];
    if (c["kind"] == "median") {
      const auto r = stats::bootstrap_median(doubles(c["x"]), opts);
      EXPECT_TRUE(parity(r.median, c["median"])) << name;
      EXPECT_TRUE(parity(r.ci.lo, c["lo"])) << name;
      EXPECT_TRUE(parity(r.ci.hi, c["hi"])) << name;
      EXPECT_LE(r.ci.lo, r.median);
      EXPECT_GE(r.ci.hi, r.median);
    } else {
      const auto r = stats::bootstrap_relative_median_change(doubles(c["baseline"]), doubles(c["treatment"]), opts);
      ASSERT_TRUE(r) << name;
      EXPECT_TRUE(parity(r->percent, c["percent"])) << name;
      EXPECT_TRUE(parity(r->ci.lo, c["lo"])) << name;
      EXPECT_TRUE(parity(r->ci.hi, c["hi"])) << name;
    }
  }
}

TEST(StatsBootstrap, DefaultsAndSeedMatter) {
  const std::vector<double> x = {3.1, 2.9, 3.4, 3.0, 2.7, 3.8, 3.3, 3.2, 2.8, 3.6};
  stats::BootstrapOptions opts;
  EXPECT_GE(opts.resamples, 10000u);
  const auto a = stats::bootstrap_median(x, opts), b = stats::bootstrap_median(x, opts);
  EXPECT_EQ(a.ci.lo, b.ci.lo);
  EXPECT_EQ(a.ci.hi, b.ci.hi);
  opts.seed = 99;
  opts.resamples = 101;  // few resamples: the interval moves with the seed
  const auto c = stats::bootstrap_median(x, opts);
  opts.seed = 100;
  const auto d = stats::bootstrap_median(x, opts);
  EXPECT_TRUE(c.ci.lo != d.ci.lo || c.ci.hi != d.ci.hi);
}

TEST(StatsBootstrap, ZeroBaselineMedianIsUndefined) {
  std::string why;
  const auto r = stats::bootstrap_relative_median_change(std::vector<double>{0, 0, 0, 1}, std::vector<double>{1, 2, 3},
                                                         {}, &why);
  EXPECT_FALSE(r.has_value());
  EXPECT_NE(why.find("baseline median is 0"), std::string::npos) << why;
  stats::BootstrapOptions bad;
  bad.confidence = 1.0;
  EXPECT_THROW(stats::bootstrap_median(std::vector<double>{1, 2}, bad), Error);
}

}  // namespace
}  // namespace ecoinfer::test
