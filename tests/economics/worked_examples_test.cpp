// The three worked examples of docs/economics.md, number by number. Money and grams
// agree with the hand-computed values to 1e-12 relative (the hand values are exact
// fractions; the code runs in binary floating point); break-even counts are exact.
#include <gtest/gtest.h>

#include <cmath>
#include <iomanip>

#include "economics/break_even.h"
#include "economics/cloud.h"
#include "economics/cost.h"
#include "economics/emissions.h"
#include "economics/tactic_economics.h"

namespace ecoinfer::test {
namespace {

using namespace ecoinfer::economics;

::testing::AssertionResult same(double actual, double expected) {
  if (std::fabs(actual - expected) <= 1e-12 * std::fabs(expected)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << std::setprecision(17) << actual << " != " << expected;
}

// Example 1: pays off after 133,334 inferences (rounded up from 133,333.33).
TEST(EconomicsWorkedExamples, Example1PaysOffQuickly) {
  const EnergyPrice price{0.30, 1.0};
  const double c_old = cost_per_inference(0.9, price), c_new = cost_per_inference(0.6, price);
  const double c_opt = optimization_cost(40000, price);
  EXPECT_TRUE(same(c_old, 7.5e-8));
  EXPECT_TRUE(same(c_new, 5e-8));
  EXPECT_TRUE(same(c_opt, 1.0 / 300));
  EXPECT_EQ(break_even_inferences(c_old, c_new, c_opt), 133334.0);
  EXPECT_TRUE(same(*roi(c_old, c_new, c_opt, 1e6), 0.40625));
  EXPECT_TRUE(same(*roi(c_old, c_new, c_opt, 1e8), 749.0 / 1501));
  EXPECT_TRUE(pays_off_within(c_old, c_new, c_opt, 133334));
  EXPECT_FALSE(pays_off_within(c_old, c_new, c_opt, 133333));

  const CarbonIntensity world;  // 475 g/kWh
  EXPECT_TRUE(same(emissions_g(0.9, world), 1.1875e-4));
  EXPECT_TRUE(same(emissions_g(0.6, world), 475.0 / 6e6));
  EXPECT_TRUE(same(emissions_g(40000, world), 475.0 / 90));
  EXPECT_TRUE(same(cloud_cost_per_inference(0.004, 0.36), 4e-7));
  EXPECT_TRUE(same(cloud_cost_per_inference(0.003, 0.36), 3e-7));

  Settings s;
  s.price = price;
  s.instance_price_per_hour = 0.36;
  const TacticEconomics e = evaluate_tactic({EnergyBasis::total, 0.9, 0.6, 40000, 0, 0.004, 0.003}, s);
  EXPECT_EQ(e.break_even, 133334.0);
  ASSERT_EQ(e.horizons.size(), 2u);
  EXPECT_TRUE(same(e.horizons[0].baseline_cost, 0.075));
  EXPECT_TRUE(same(e.horizons[0].optimized_cost, 4.0 / 75));
  EXPECT_TRUE(same(*e.horizons[0].roi, 0.40625));
  EXPECT_TRUE(e.horizons[0].paid_off);
  EXPECT_TRUE(same(e.horizons[0].emissions_saved_g, 0.00011875e6 - 475.0 / 6 - 475.0 / 90));  // 34.3056 g
  EXPECT_TRUE(same(*e.cloud_cost_baseline, 4e-7));
  EXPECT_TRUE(same(*e.cloud_cost_optimized, 3e-7));
  EXPECT_EQ(e.carbon_source, "world average used by CodeCarbon (475 g CO2e/kWh)");
}

// Example 2: PUE 1.5 and a 50 EUR engineering cost; a whole-number break-even.
TEST(EconomicsWorkedExamples, Example2EngineeringCostDominates) {
  const EnergyPrice price{0.20, 1.5};
  const double c_old = cost_per_inference(2.0, price), c_new = cost_per_inference(1.5, price);
  const double c_opt = optimization_cost(720000, price, 50);
  EXPECT_TRUE(same(c_old, 1.0 / 6e6));
  EXPECT_TRUE(same(c_new, 1.25e-7));
  EXPECT_TRUE(same(c_opt, 50.06));
  EXPECT_EQ(break_even_inferences(c_old, c_new, c_opt), 1201440000.0);  // 50.06 x 24e6, not one more
  EXPECT_TRUE(same(*roi(c_old, c_new, c_opt, 1e8), -1721.0 / 2346));
  EXPECT_TRUE(same(*roi(c_old, c_new, c_opt, 1e10), 54991.0 / 195009));
  EXPECT_FALSE(pays_off_within(c_old, c_new, c_opt, 1e8));
  EXPECT_TRUE(pays_off_within(c_old, c_new, c_opt, 1e10));
  EXPECT_TRUE(same(emissions_g(2.0, CarbonIntensity{}, 1.5), 475.0 * 3.0 / 3.6e6));
  EXPECT_TRUE(same(emissions_g(720000, CarbonIntensity{}, 1.5), 142.5));
}

// Example 3: the optimized inference costs more, so it never pays off.
TEST(EconomicsWorkedExamples, Example3NeverPaysOff) {
  const EnergyPrice price{0.25, 1.0};
  const double c_old = cost_per_inference(1.0, price), c_new = cost_per_inference(1.2, price);
  const double c_opt = optimization_cost(18000, price);
  EXPECT_TRUE(same(c_old, 1.0 / 14.4e6));
  EXPECT_TRUE(same(c_new, 1.0 / 12e6));
  EXPECT_TRUE(same(c_opt, 0.00125));
  std::string why;
  EXPECT_FALSE(break_even_inferences(c_old, c_new, c_opt, &why).has_value());
  EXPECT_NE(why.find("never pays off"), std::string::npos) << why;
  EXPECT_TRUE(same(*roi(c_old, c_new, c_opt, 1e6), -109.0 / 609));
  EXPECT_FALSE(roi(c_old, c_new, c_opt, 0, &why).has_value());
  EXPECT_NE(why.find("horizon of 0"), std::string::npos) << why;

  Settings s;
  s.price = price;
  s.horizons = {1e6};
  const TacticEconomics e = evaluate_tactic({EnergyBasis::above_idle, 1.0, 1.2, 18000}, s);
  EXPECT_FALSE(e.break_even.has_value());
  EXPECT_FALSE(e.never_pays_off.empty());
  EXPECT_FALSE(e.horizons[0].paid_off);
  EXPECT_TRUE(same(e.horizons[0].emissions_saved_g, -(0.2 * 475 / 3.6) - 2.375));  // -28.76 g
  EXPECT_FALSE(e.cloud_cost_baseline.has_value());
  EXPECT_EQ(basis_label(e.basis), "energy above idle");
}

}  // namespace
}  // namespace ecoinfer::test
