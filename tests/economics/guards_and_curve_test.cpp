// The economic model's edge cases (docs/economics.md, "Guards") and the cost curve.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "economics/break_even.h"
#include "economics/cost.h"
#include "economics/cost_curve.h"

namespace ecoinfer::test {
namespace {

using namespace ecoinfer::economics;

TEST(EconomicsGuards, BreakEvenEdges) {
  EXPECT_EQ(break_even_inferences(2.0, 1.0, 0.0), 0.0);  // free and cheaper: pays off at once
  EXPECT_FALSE(break_even_inferences(1.0, 1.0, 0.0).has_value());  // equal cost never pays off
  EXPECT_FALSE(break_even_inferences(1.0, 1.0, 5.0).has_value());
  EXPECT_EQ(break_even_inferences(3.0, 1.0, 5.0), 3.0);  // 2.5 rounds up
  EXPECT_EQ(break_even_inferences(3.0, 1.0, 4.0), 2.0);
  // 0.3 / (0.3 - 0.2) is 3.0000000000000004 in binary floating point; a bare ceil would say 4.
  EXPECT_EQ(break_even_inferences(0.3, 0.2, 0.3), 3.0);
  EXPECT_EQ(break_even_inferences(0.7, 0.6, 0.3), 3.0);
}

TEST(EconomicsGuards, RoiEdges) {
  std::string why;
  EXPECT_FALSE(roi(1.0, 0.0, 0.0, 10, &why).has_value());  // nothing invested: no finite ratio
  EXPECT_NE(why.find("costs nothing"), std::string::npos) << why;
  EXPECT_FALSE(roi(1.0, 0.5, 1.0, 0, &why).has_value());
  EXPECT_EQ(*roi(1.0, 0.0, 2.0, 10), 4.0);  // (10 - 2) / 2
  EXPECT_EQ(*roi(1.0, 1.0, 0.0, 10), 0.0);
}

TEST(EconomicsGuards, RejectsImpossibleInputs) {
  EXPECT_THROW(cost_per_inference(-1.0, {0.3, 1.0}), Error);
  EXPECT_THROW(cost_per_inference(1.0, {0.3, 0.9}), Error);  // PUE below 1
  EXPECT_THROW(cost_per_inference(1.0, {-0.3, 1.0}), Error);
  EXPECT_THROW(cost_per_inference(std::nan(""), {0.3, 1.0}), Error);
  EXPECT_THROW(optimization_cost(1.0, {0.3, 1.0}, -5), Error);
  EXPECT_THROW(break_even_inferences(-1, 0, 0), Error);
  EXPECT_THROW(roi(1, 0.5, 0, -1), Error);
}

TEST(EconomicsCostCurve, LinearPointsAndBreakEven) {
  // C_old = 3, C_new = 1, C_opt = 5: lines cross at 2.5, break-even rounds to 3.
  const CostCurve c = cumulative_cost_curve(3.0, 1.0, 5.0, 10.0, 6);
  ASSERT_TRUE(c.break_even.has_value());
  EXPECT_EQ(c.break_even->inferences, 3.0);
  EXPECT_EQ(c.break_even->baseline_cost, 9.0);
  EXPECT_EQ(c.break_even->optimized_cost, 8.0);
  ASSERT_EQ(c.points.size(), 7u);  // 0, 2, 3 (break-even), 4, 6, 8, 10
  EXPECT_EQ(c.points[0].inferences, 0.0);
  EXPECT_EQ(c.points[0].optimized_cost, 5.0);
  EXPECT_EQ(c.points[2].inferences, 3.0);
  EXPECT_EQ(c.points.back().inferences, 10.0);
  EXPECT_EQ(c.points.back().baseline_cost, 30.0);
  EXPECT_EQ(c.points.back().optimized_cost, 15.0);
}

TEST(EconomicsCostCurve, BreakEvenOnAGridPointIsNotDuplicated) {
  const CostCurve c = cumulative_cost_curve(3.0, 1.0, 4.0, 10.0, 6);  // N* = 2, on the grid
  EXPECT_EQ(c.points.size(), 6u);
  EXPECT_EQ(c.break_even->inferences, 2.0);
}

TEST(EconomicsCostCurve, LogSpacingAndOutOfRange) {
  const CostCurve c = cumulative_cost_curve(1e-7, 5e-8, 100.0, 1e8, 9, Spacing::log);
  ASSERT_EQ(c.points.size(), 9u);  // N* = 2e9 lies beyond the horizon: no marker
  EXPECT_FALSE(c.break_even.has_value());
  EXPECT_EQ(c.points.front().inferences, 1.0);
  EXPECT_NEAR(c.points[1].inferences, 10.0, 1e-9);
  EXPECT_EQ(c.points.back().inferences, 1e8);
  const CostCurve never = cumulative_cost_curve(1.0, 2.0, 0.0, 100.0, 3);
  EXPECT_FALSE(never.break_even.has_value());
  EXPECT_THROW(cumulative_cost_curve(1.0, 0.5, 0.0, 0.0), Error);
  EXPECT_THROW(cumulative_cost_curve(1.0, 0.5, 0.0, 10.0, 1), Error);
}

}  // namespace
}  // namespace ecoinfer::test
