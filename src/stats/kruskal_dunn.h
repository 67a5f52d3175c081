#pragma once
// Kruskal–Wallis H test across k >= 2 groups, then Dunn's pairwise test.
//
// Kruskal–Wallis, as scipy.stats.kruskal: average ranks over the pooled sample,
// H = (12 / (N (N + 1)) sum R_i^2 / n_i - 3 (N + 1)) / C with the tie correction
// C = 1 - sum(t^3 - t) / (N^3 - N), p = P(chi2_{k-1} > H).
//
// Dunn (1964), with the tie-corrected variance of scikit-posthocs' posthoc_dunn and R's
// dunn.test: for groups i < j,
//   z = (mean rank_i - mean rank_j) / sqrt((N (N + 1) / 12 - sum(t^3 - t) / (12 (N - 1))) (1/n_i + 1/n_j)),
//   p = 2 (1 - Phi(|z|))   (two-sided; R's dunn.test prints the one-sided P(Z > |z|)),
// and p_holm, Holm's adjustment over all k (k - 1) / 2 pairs (holm.h).
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace ecoinfer::stats {

struct KruskalResult {
  double h = 0;
  double p = 0;
  std::size_t df = 0;  // k - 1
};

struct DunnPair {
  std::size_t a = 0, b = 0;  // 0-based group indices, a < b
  double z = 0;              // signed: positive when group a has the higher mean rank
  double p = 0;              // two-sided, unadjusted
  double p_holm = 0;         // Holm-adjusted over all pairs
};

// Both are nullopt when every value of every group is equal (H and z are 0/0; scipy
// raises "All numbers are identical"). Throw ecoinfer::Error for fewer than 2 groups,
// an empty group or a non-finite value.
std::optional<KruskalResult> kruskal_wallis(std::span<const std::vector<double>> groups);
// Pairs in the order (0,1), (0,2), ..., (0,k-1), (1,2), ..., (k-2,k-1).
std::optional<std::vector<DunnPair>> dunn_test(std::span<const std::vector<double>> groups);

}  // namespace ecoinfer::stats
