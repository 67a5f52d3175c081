// Kruskal–Wallis against scipy.stats.kruskal; Dunn's z, two-sided p and Holm p against
// the textbook formula in numpy (scipy has no Dunn test); tie correction against
// scipy.stats.tiecorrect. 1e-9 relative, 1e-12 absolute near 0.
#include "stats/kruskal_dunn.h"

#include "core/error.h"
#include "stats/holm.h"
#include "stats/ranks.h"
#include "stats_fixtures.h"

namespace ecoinfer::test {
namespace {

std::vector<std::vector<double>> groups_of(const nlohmann::json& c) {
  std::vector<std::vector<double>> g;
  for (const auto& x : c["groups"]) g.push_back(doubles(x));
  return g;
}

TEST(StatsKruskalDunn, MatchesScipyAndTextbookDunn) {
  const auto cases = stats_fixture("groups.json");
  ASSERT_GE(cases.size(), 8u);
  for (const auto& c : cases) {
    const std::string name = c["name"];
    const auto groups = groups_of(c);
    const auto kw = stats::kruskal_wallis(groups);
    const auto dunn = stats::dunn_test(groups);
    if (c["kruskal"].is_null()) {
      EXPECT_FALSE(kw.has_value()) << name;
      EXPECT_FALSE(dunn.has_value()) << name;
      continue;
    }
    ASSERT_TRUE(kw && dunn) << name;
    EXPECT_TRUE(parity(kw->h, c["kruskal"]["h"])) << name << " H";
    EXPECT_TRUE(parity(kw->p, c["kruskal"]["p"])) << name << " p";
    EXPECT_EQ(kw->df, groups.size() - 1);
    ASSERT_EQ(dunn->size(), c["dunn"].size()) << name;
    for (std::size_t k = 0; k < dunn->size(); ++k) {
      const auto& want = c["dunn"][k];
      const auto& got = (*dunn)[k];
      EXPECT_EQ(got.a, want["a"].get<std::size_t>());
      EXPECT_EQ(got.b, want["b"].get<std::size_t>());
      EXPECT_TRUE(parity(got.z, want["z"])) << name << " pair " << k << " z";
      EXPECT_TRUE(parity(got.p, want["p"])) << name << " pair " << k << " p";
      EXPECT_TRUE(parity(got.p_holm, want["p_holm"])) << name << " pair " << k << " p_holm";
    }
  }
}

TEST(StatsKruskalDunn, NeedsTwoNonEmptyGroups) {
  EXPECT_THROW(stats::kruskal_wallis(std::vector<std::vector<double>>{{1, 2, 3}}), Error);
  EXPECT_THROW(stats::dunn_test(std::vector<std::vector<double>>{{1, 2}, {}}), Error);
}

TEST(StatsRanks, TieCorrectionMatchesScipy) {
  EXPECT_DOUBLE_EQ(stats::tie_correction(std::vector<double>{1, 2.5, 2.5, 4}), 0.9);  // study.md's check value
  for (const auto& c : stats_fixture("tiecorrect.json")) {
    const auto x = doubles(c["x"]);
    EXPECT_TRUE(parity(stats::tie_correction(x), c["tiecorrect"]));
    EXPECT_EQ(stats::rank_average(x).ranks, doubles(c["ranks"]));
  }
}

TEST(StatsHolm, StepDownWithRunningMaximum) {
  // Sorted p 0.01, 0.02, 0.03, 0.5 times 4, 3, 2, 1 -> 0.04, 0.06, 0.06, 0.5 (running max).
  const auto adj = stats::holm_adjust(std::vector<double>{0.03, 0.5, 0.01, 0.02});
  EXPECT_DOUBLE_EQ(adj[0], 0.06);
  EXPECT_DOUBLE_EQ(adj[1], 0.5);
  EXPECT_DOUBLE_EQ(adj[2], 0.04);
  EXPECT_DOUBLE_EQ(adj[3], 0.06);
  EXPECT_EQ(stats::holm_adjust(std::vector<double>{0.4, 0.6}), (std::vector<double>{0.8, 0.8}));  // capped by order, not 1.2
  EXPECT_EQ(stats::holm_adjust(std::vector<double>{0.7, 0.9}), (std::vector<double>{1.0, 1.0}));
  EXPECT_THROW(stats::holm_adjust(std::vector<double>{1.5}), Error);
}

}  // namespace
}  // namespace ecoinfer::test
