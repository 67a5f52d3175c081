#pragma once
// Effect sizes for two independent samples a and b (a: treatment, b: baseline).
//
// Cliff's delta: delta = P(a > b) - P(a < b) over all n_a n_b pairs, in [-1, 1]
// (Cliff 1993; the R package effsize's cliff.delta(a, b)). Magnitude by Romano et
// al. (2006): |delta| < 0.147 negligible, < 0.33 small, < 0.474 medium, else large.
//
// Vargha–Delaney A12: A12 = P(a > b) + 0.5 P(a = b), the probability that a value of a
// exceeds one of b, ties counting half (Vargha & Delaney 2000). A12 = (delta + 1) / 2 =
// U_a / (n_a n_b). 0.5 means no effect. Energy is better when lower, so a tactic that
// saves energy has A12 < 0.5 and delta < 0 against its baseline.
#include <span>
#include <string_view>

namespace ecoinfer::stats {

enum class Magnitude { negligible, small, medium, large };

struct PairCounts {
  double greater = 0;  // pairs with a > b
  double less = 0;     // pairs with a < b
  double ties = 0;     // pairs with a == b
};

// Counts over all n_a n_b pairs, O((n_a + n_b) log n_b).
PairCounts count_pairs(std::span<const double> a, std::span<const double> b);

double cliffs_delta(std::span<const double> a, std::span<const double> b);
double vargha_delaney_a12(std::span<const double> a, std::span<const double> b);

// Romano et al.'s bands on |delta|.
Magnitude cliffs_magnitude(double delta);
std::string_view magnitude_name(Magnitude m);

}  // namespace ecoinfer::stats
