#include "meter/accumulator.h"

#include <gtest/gtest.h>

namespace ecoinfer::meter {

TEST(MeterAccumulator, CounterDifferencesAndScales) {
  auto a = EnergyAccumulator::counter(1e-6, 1001);
  EXPECT_FALSE(a.add_counter(100, 0.0).has_value());  // first reading: a baseline
  auto w = a.add_counter(600, 0.5);
  ASSERT_TRUE(w.has_value());
  EXPECT_DOUBLE_EQ(a.energy_j(), 500e-6);
  EXPECT_DOUBLE_EQ(*w, 1000e-6);
  EXPECT_EQ(a.wraps(), 0);
}

TEST(MeterAccumulator, CountsEveryWrap) {
  // Range 0..1000 (modulus 1001); three wraps across one window.
  auto a = EnergyAccumulator::counter(1.0, 1001);
  const uint64_t seq[] = {100, 900, 50, 700, 20, 980, 10};
  double t = 0;
  for (uint64_t v : seq) a.add_counter(v, t += 1);
  double expected = (900 - 100) + (1001 - 900 + 50) + (700 - 50) + (1001 - 700 + 20) + (980 - 20) + (1001 - 980 + 10);
  EXPECT_DOUBLE_EQ(a.energy_j(), expected);
  EXPECT_EQ(a.wraps(), 3);
  EXPECT_EQ(a.resets(), 0);
  EXPECT_DOUBLE_EQ(a.max_gap_s(), 1.0);
}

TEST(MeterAccumulator, BackwardStepWithoutModulusIsAReset) {
  auto a = EnergyAccumulator::counter(1e-3, 0);
  a.add_counter(5000, 0);
  a.add_counter(7000, 1);  // +2 J
  a.add_counter(300, 2);   // reset: +0.3 J
  a.add_counter(1300, 3);  // +1 J
  EXPECT_NEAR(a.energy_j(), 3.3, 1e-12);
  EXPECT_EQ(a.resets(), 1);
  EXPECT_EQ(a.wraps(), 0);
}

TEST(MeterAccumulator, PowerIsIntegratedWithTheTrapezoidRule) {
  auto a = EnergyAccumulator::power();
  a.add_power(100, 0.0);
  a.add_power(200, 1.0);  // 150 J
  a.add_power(200, 3.0);  // 400 J
  a.add_power(0, 3.5);    // 50 J
  EXPECT_DOUBLE_EQ(a.energy_j(), 600.0);
  EXPECT_EQ(a.readings(), 4);
}

}  // namespace ecoinfer::meter
