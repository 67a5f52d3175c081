#pragma once
// When an optimization pays for itself, and the return on it at a horizon.
//
// With C_old and C_new the cost per inference of the baseline and of the optimized
// variant, and C_opt the one-off optimization cost (cost.h):
//   N* = ceil(C_opt / (C_old - C_new))   inferences to break even (a fraction of an
//        inference is not an inference). A quotient within 1e-9 relative of a whole
//        number is taken as that number, so rounding in the costs cannot add one.
//        0 when C_opt = 0 and C_new < C_old; never (nullopt) when C_new >= C_old.
//   ROI(N) = (C_old N - (C_new N + C_opt)) / (C_new N + C_opt)
//        undefined (nullopt) for N = 0 and when C_new N + C_opt = 0.
// Undefined results carry their reason in *why when the caller passes a string.
#include <optional>
#include <string>

namespace ecoinfer::economics {

// Costs must be finite and >= 0 (ecoinfer::Error otherwise).
std::optional<double> break_even_inferences(double c_old, double c_new, double c_opt, std::string* why = nullptr);

// Horizon N in inferences (finite, >= 0).
std::optional<double> roi(double c_old, double c_new, double c_opt, double horizon, std::string* why = nullptr);

// Whether the optimization has paid for itself after `horizon` inferences (N* <= N).
bool pays_off_within(double c_old, double c_new, double c_opt, double horizon);

}  // namespace ecoinfer::economics
