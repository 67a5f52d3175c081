#pragma once
// Loading the scipy-parity fixtures (tools/gen_stats_fixtures.py) and the tolerance rule
// of docs/statistics.md: |actual - expected| <= max(rel |expected|, abs).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <string>
#include <vector>

#include "test_paths.h"

namespace ecoinfer::test {

inline nlohmann::json stats_fixture(const std::string& file) {
  return read_json_file(source_dir() / "tests/fixtures/stats" / file)["cases"];
}

inline std::vector<double> doubles(const nlohmann::json& j) { return j.get<std::vector<double>>(); }

inline ::testing::AssertionResult close_to(double actual, double expected, double rel, double abs) {
  const double err = std::fabs(actual - expected);
  if (err <= std::max(rel * std::fabs(expected), abs)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "actual " << std::setprecision(17) << actual << " expected " << expected
                                       << " (relative error " << err / std::fabs(expected) << ")";
}

// The tolerance for everything but Shapiro-Wilk: 1e-9 relative, 1e-12 absolute near 0.
inline ::testing::AssertionResult parity(double actual, double expected) {
  return close_to(actual, expected, 1e-9, 1e-12);
}

}  // namespace ecoinfer::test
