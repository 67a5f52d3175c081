// The seed study's four findings on generated stores built to support, contradict or not
// address each one.
#include <gtest/gtest.h>

#include "report/report_content.h"
#include "report/synthetic_store.h"

namespace ecoinfer::report {
namespace {

using test::SyntheticStudy;
using test::SyntheticTactic;

SyntheticTactic tactic(const std::string& name, double energy, double time, double top1, double prep_seconds) {
  SyntheticTactic t{name};
  t.energy_per_image_j = energy;
  t.time_per_image_s = time;
  t.top1 = top1;
  t.prep_seconds = prep_seconds;
  return t;
}

std::vector<Finding> findings_for(const std::string& name, const SyntheticStudy& s) {
  const auto dir = test::report_test_dir(name);
  test::write_synthetic_store(dir / "results.sqlite", s);
  const StudyData d = load_study(dir / "results.sqlite");
  const ReportContent c = build_report(d, d.report, {});
  return c.models.at(0).findings;
}

TEST(ReportFindings, AllFourSupported) {
  SyntheticStudy s;
  s.models = {test::synthetic_model("m", {tactic("compile", 0.044, 0.0017, 0.90, 1.5),
                                          tactic("dynamic-int8", 0.030, 0.0012, 0.897, 1.2),
                                          tactic("prune-local:0.3", 0.050, 0.002, 0.899, 3.0),
                                          tactic("prune-global:0.3", 0.050, 0.002, 0.899, 30.0)})};
  const std::vector<Finding> f = findings_for("findings_supported", s);
  ASSERT_EQ(f.size(), 4u);
  for (const Finding& x : f) EXPECT_EQ(x.verdict, Verdict::supported) << x.claim << ": " << x.statistic;
  EXPECT_EQ(f[0].tactics, "dynamic-int8");
  EXPECT_NE(f[0].statistic.find("energy per image of dynamic-int8: -"), std::string::npos) << f[0].statistic;
  EXPECT_NE(f[3].statistic.find("extra preparation 29 s"), std::string::npos) << f[3].statistic;
  EXPECT_NE(f[3].statistic.find("prune-local:0.3"), std::string::npos) << f[3].statistic;
}

TEST(ReportFindings, AllFourNotSupported) {
  SyntheticStudy s;
  s.models = {test::synthetic_model("m", {tactic("compile", 0.044, 0.0017, 0.87, 1.5),          // loses 3 points
                                          tactic("dynamic-int8", 0.030, 0.0030, 0.897, 1.2),    // slower
                                          tactic("prune-local:0.3", 0.040, 0.0016, 0.899, 3.0),  // improves
                                          tactic("prune-global:0.3", 0.050, 0.002, 0.899, 2.0)})};  // quicker than local
  const std::vector<Finding> f = findings_for("findings_not_supported", s);
  for (const Finding& x : f) EXPECT_EQ(x.verdict, Verdict::not_supported) << x.claim << ": " << x.statistic;
}

TEST(ReportFindings, InconclusiveWhenAbsentOrNotSignificant) {
  SyntheticStudy s;
  // dynamic-int8 no different from the baseline; the other tactics absent.
  s.models = {test::synthetic_model("m", {tactic("dynamic-int8", 0.050, 0.002, 0.90, 1.0)})};
  const std::vector<Finding> f = findings_for("findings_inconclusive", s);
  for (const Finding& x : f) EXPECT_EQ(x.verdict, Verdict::inconclusive) << x.claim << ": " << x.statistic;
  EXPECT_NE(f[0].statistic.find("Mann–Whitney p = "), std::string::npos) << f[0].statistic;
  EXPECT_EQ(f[1].statistic, "compile alone is not in this study");
  EXPECT_EQ(f[3].statistic, "prune-global alone is not in this study");
}

TEST(ReportFindings, NoEffectNeedsEnoughRuns) {
  SyntheticStudy s;
  s.repetitions = 5;
  s.models = {test::synthetic_model("m", {tactic("prune-local:0.3", 0.050, 0.002, 0.90, 3.0)})};
  const std::vector<Finding> f = findings_for("findings_few_runs", s);
  EXPECT_EQ(f[2].verdict, Verdict::inconclusive) << f[2].statistic;
  EXPECT_NE(f[2].statistic.find("cannot show the absence of an effect"), std::string::npos) << f[2].statistic;
}

}  // namespace
}  // namespace ecoinfer::report
