#pragma once
// Welch's unequal-variances t-test, two-sided, as scipy.stats.ttest_ind(a, b,
// equal_var=False): t = (mean_a - mean_b) / sqrt(v_a / n_a + v_b / n_b) with sample
// variances (n - 1), Welch–Satterthwaite degrees of freedom, p from Student's t.
#include <optional>
#include <span>

namespace ecoinfer::stats {

struct WelchResult {
  double t = 0;
  double df = 0;
  double p = 0;
};

// nullopt when both samples have zero variance (the standard error is 0 and t is
// undefined; scipy returns nan or +-inf there). Throws for n < 2 or non-finite values.
std::optional<WelchResult> welch_t_test(std::span<const double> a, std::span<const double> b);

}  // namespace ecoinfer::stats
