#pragma once
// Mann–Whitney U test (Wilcoxon rank-sum), two-sided, as scipy.stats.mannwhitneyu
// with its defaults (scipy 1.10: use_continuity=True, method="auto").
//
// Method choice, from scipy 1.10's _mwu_choose_method (its docstring says "less than 8",
// the code says otherwise; the code is what runs):
//  - exact      when min(n_a, n_b) <= 8 and the pooled sample has no ties:
//               p = 2 P(U >= max(U_a, U_b)) under the null distribution of U, clipped to 1;
//  - asymptotic otherwise: z = (max(U_a, U_b) - n_a n_b / 2 - 0.5) / sigma with the
//               tie-corrected sigma = sqrt(n_a n_b / 12 ((N + 1) - sum(t^3 - t) / (N (N - 1)))),
//               p = 2 (1 - Phi(z)), clipped to 1. When every value is tied sigma is 0 and
//               p = 1 (scipy gets 1 the same way, from z = -inf).
#include <cstddef>
#include <span>

namespace ecoinfer::stats {

enum class MannWhitneyMethod { exact, asymptotic };

struct MannWhitneyResult {
  double u = 0;  // U of the first sample: R_a - n_a (n_a + 1) / 2 (counts a > b, ties as 1/2)
  double p = 0;  // two-sided
  MannWhitneyMethod method = MannWhitneyMethod::asymptotic;
};

// Needs n_a, n_b >= 1 and finite values.
MannWhitneyResult mann_whitney(std::span<const double> a, std::span<const double> b);

// P(U >= u) for U with the null distribution of sample sizes m and n (no ties), u an integer.
double mann_whitney_exact_sf(std::size_t u, std::size_t m, std::size_t n);

const char* method_name(MannWhitneyMethod m);

}  // namespace ecoinfer::stats
