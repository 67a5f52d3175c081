// Issue 10, acceptance 3: the recommendation on generated stores with known answers: a clear
// win, no significant difference, a winner that breaks the accuracy budget, and tactics
// that never pay off (not cheaper per inference; or cheaper, but not within the horizon).
#include <cmath>

#include <gtest/gtest.h>

#include "report/report_content.h"
#include "report/synthetic_store.h"

namespace ecoinfer::report {
namespace {

using test::SyntheticStudy;
using test::SyntheticTactic;

struct Built {
  StudyData data;
  ReportContent content;
};

// The content keeps a pointer to the data: both live in one heap object.
std::unique_ptr<Built> build(const std::string& name, const SyntheticStudy& s, const ReportSettings* settings = nullptr) {
  const auto dir = test::report_test_dir(name);
  test::write_synthetic_store(dir / "results.sqlite", s);
  auto b = std::make_unique<Built>();
  b->data = load_study(dir / "results.sqlite");
  b->content = build_report(b->data, settings ? *settings : b->data.report, stats::BootstrapOptions{});
  return b;
}

SyntheticTactic tactic(const std::string& name, double energy, double time, double top1, double prep_energy = 40) {
  SyntheticTactic t{name};
  t.energy_per_image_j = energy;
  t.time_per_image_s = time;
  t.top1 = top1;
  t.prep_energy_j = prep_energy;
  t.prep_seconds = 2.0;
  return t;
}

TEST(ReportRecommendation, ClearWinPicksTheLowestSignificantChainAndItsBreakEven) {
  SyntheticStudy s;
  s.models = {test::synthetic_model("resnet", {tactic("compile", 0.045, 0.0018, 0.90), tactic("dynamic-int8", 0.030, 0.0012, 0.897)})};
  auto b = build("clear_win", s);
  ASSERT_EQ(b->content.models.size(), 1u);
  const ModelReport& m = b->content.models[0];
  const Recommendation& r = m.recommendation;
  ASSERT_TRUE(r.tactic.has_value()) << r.statement;
  EXPECT_EQ(*r.tactic, "dynamic-int8");
  // Three tactics: Dunn's Holm-corrected p decides.
  const TacticMetric* tm = m.analysis.find(Metric::energy_per_image)->find("dynamic-int8");
  ASSERT_TRUE(tm->vs_baseline.has_value());
  EXPECT_EQ(tm->vs_baseline->decisive_test, "Dunn (Holm)");
  EXPECT_LT(*tm->vs_baseline->decisive_p, 0.05);
  EXPECT_EQ(tm->vs_baseline->magnitude, stats::Magnitude::large);
  // Break-even = ceil(extra preparation energy / energy saved per inference): 20 J over ~0.02 J.
  const TacticEconomics* te = m.economics.find("dynamic-int8");
  const TacticEconomics* base = m.economics.find("none");
  ASSERT_TRUE(te->break_even && base->energy_j && te->energy_j);
  EXPECT_DOUBLE_EQ(*te->extra_prep_energy_j, 20.0);
  EXPECT_NEAR(*te->break_even, std::ceil(20.0 / (*base->energy_j - *te->energy_j)), 1.0);
  EXPECT_EQ(*te->break_even, std::ceil(*te->break_even));  // whole inferences
  EXPECT_TRUE(r.pays_off_within_horizon.value_or(false));
  EXPECT_NE(r.statement.find("Use dynamic-int8"), std::string::npos) << r.statement;
  EXPECT_NE(r.statement.find("pays off within"), std::string::npos) << r.statement;
}

TEST(ReportRecommendation, NoSignificantDifferenceSaysNoTacticHelps) {
  SyntheticStudy s;
  s.models = {test::synthetic_model("resnet", {tactic("compile", 0.05, 0.002, 0.90)})};
  auto b = build("no_difference", s);
  const ModelReport& m = b->content.models[0];
  EXPECT_FALSE(m.recommendation.tactic.has_value());
  EXPECT_EQ(m.recommendation.statement.rfind("No tactic helps here", 0), 0u) << m.recommendation.statement;
  ASSERT_EQ(m.recommendation.candidates.size(), 1u);
  const Candidate& c = m.recommendation.candidates[0];
  EXPECT_TRUE(c.within_budget);
  EXPECT_FALSE(c.significant);
  EXPECT_NE(c.reason.find("not significantly different"), std::string::npos) << c.reason;
  // Two tactics: Mann–Whitney decides.
  const TacticMetric* tm = m.analysis.find(Metric::energy_per_image)->find("compile");
  EXPECT_EQ(tm->vs_baseline->decisive_test, "Mann–Whitney");
}

TEST(ReportRecommendation, WinnerOverTheAccuracyBudgetIsPassedOver) {
  SyntheticStudy s;
  // dynamic-int8 saves the most energy but loses 4 top-1 points; compile loses none.
  s.models = {test::synthetic_model("resnet", {tactic("compile", 0.040, 0.0018, 0.90), tactic("dynamic-int8", 0.020, 0.001, 0.86)})};
  auto b = build("over_budget", s);
  const Recommendation& r = b->content.models[0].recommendation;
  ASSERT_TRUE(r.tactic.has_value()) << r.statement;
  EXPECT_EQ(*r.tactic, "compile");
  const Candidate& int8 = r.candidates[1];
  ASSERT_EQ(int8.tactic, "dynamic-int8");
  EXPECT_TRUE(int8.significant && int8.lower);
  EXPECT_FALSE(int8.within_budget);
  EXPECT_NEAR(*int8.accuracy_drop_points, 4.0, 1e-9);
  EXPECT_NE(int8.reason.find("over the budget"), std::string::npos) << int8.reason;

  // A budget of 5 points admits it, and it wins.
  ReportSettings wide = b->data.report;
  wide.accuracy_budget_points = 5;
  auto b5 = build("over_budget_wide", s, &wide);
  ASSERT_TRUE(b5->content.models[0].recommendation.tactic.has_value());
  EXPECT_EQ(*b5->content.models[0].recommendation.tactic, "dynamic-int8");
}

TEST(ReportRecommendation, TacticThatIsNotCheaperNeverPaysOff) {
  SyntheticStudy s;
  // Global pruning here is slower and hungrier per image, with a costly preparation.
  s.models = {test::synthetic_model("resnet", {tactic("prune-global:0.5", 0.060, 0.0024, 0.89, 500)})};
  auto b = build("never_pays_off", s);
  const ModelReport& m = b->content.models[0];
  const TacticEconomics* te = m.economics.find("prune-global:0.5");
  ASSERT_TRUE(te->break_even.has_value());
  EXPECT_TRUE(std::isinf(*te->break_even));
  EXPECT_FALSE(te->pays_off_within_horizon.value_or(true));
  ASSERT_EQ(te->roi.size(), 2u);
  EXPECT_LT(*te->roi[1], 0);  // losing money at 1e8 inferences
  EXPECT_FALSE(m.recommendation.tactic.has_value());
  EXPECT_NE(m.recommendation.candidates[0].reason.find("significantly higher"), std::string::npos)
      << m.recommendation.candidates[0].reason;
}

TEST(ReportRecommendation, CheaperButNotWithinTheHorizonIsRecommendedOnEnergyButNotOnCost) {
  SyntheticStudy s;
  SyntheticTactic compile = tactic("compile", 0.048, 0.0019, 0.90);
  compile.spread = 0.01;
  s.models = {test::synthetic_model("resnet", {compile})};
  s.models[0].tactics[0].spread = 0.01;
  // 1000 EUR of engineering: at ~0.002 J saved per inference it takes ~6e12 inferences.
  s.analysis["economics"]["engineering_cost"] = {{"compile", 1000.0}};
  auto b = build("not_within_horizon", s);
  const ModelReport& m = b->content.models[0];
  const TacticEconomics* te = m.economics.find("compile");
  ASSERT_TRUE(te->break_even.has_value());
  EXPECT_TRUE(std::isfinite(*te->break_even));
  EXPECT_GT(*te->break_even, 1e8);
  EXPECT_NEAR(*te->one_off_cost, 1000.0 + 20.0 / 3.6e6 * 0.30, 1e-9);
  ASSERT_TRUE(m.recommendation.tactic.has_value()) << m.recommendation.statement;
  EXPECT_FALSE(*m.recommendation.pays_off_within_horizon);
  EXPECT_NE(m.recommendation.statement.find("does not pay off within"), std::string::npos) << m.recommendation.statement;

  ReportSettings cost = b->data.report;
  cost.objective = "cost";
  auto bc = build("not_within_horizon_cost", s, &cost);
  const Recommendation& rc = bc->content.models[0].recommendation;
  EXPECT_FALSE(rc.tactic.has_value()) << rc.statement;
  EXPECT_NE(rc.candidates[0].reason.find("does not pay off"), std::string::npos) << rc.candidates[0].reason;
}

TEST(ReportRecommendation, TimeObjectiveUsesTimePerImage) {
  SyntheticStudy s;
  // compile is fastest, dynamic-int8 the most frugal.
  s.models = {test::synthetic_model("resnet", {tactic("compile", 0.040, 0.0010, 0.90), tactic("dynamic-int8", 0.030, 0.0015, 0.90)})};
  ReportSettings time;
  time.objective = "time";
  auto b = build("time_objective", s, &time);
  ASSERT_TRUE(b->content.models[0].recommendation.tactic.has_value());
  EXPECT_EQ(*b->content.models[0].recommendation.tactic, "compile");
}

}  // namespace
}  // namespace ecoinfer::report
