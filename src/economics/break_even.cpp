#include "economics/break_even.h"

#include <cmath>

#include "core/error.h"

namespace ecoinfer::economics {
namespace {

void check_costs(double c_old, double c_new, double c_opt) {
  ECO_CHECK(std::isfinite(c_old) && c_old >= 0, "economics: baseline cost per inference {} must be finite and >= 0", c_old);
  ECO_CHECK(std::isfinite(c_new) && c_new >= 0, "economics: optimized cost per inference {} must be finite and >= 0", c_new);
  ECO_CHECK(std::isfinite(c_opt) && c_opt >= 0, "economics: optimization cost {} must be finite and >= 0", c_opt);
}

std::optional<double> undefined(std::string* why, std::string reason) {
  if (why) *why = std::move(reason);
  return std::nullopt;
}

}  // namespace

std::optional<double> break_even_inferences(double c_old, double c_new, double c_opt, std::string* why) {
  check_costs(c_old, c_new, c_opt);
  if (c_new >= c_old) return undefined(why, "never pays off: the optimized inference is not cheaper than the baseline");
  if (c_opt == 0) return 0.0;
  const double ratio = c_opt / (c_old - c_new);
  const double nearest = std::round(ratio);
  if (std::fabs(ratio - nearest) <= 1e-9 * ratio) return nearest;
  return std::ceil(ratio);
}

std::optional<double> roi(double c_old, double c_new, double c_opt, double horizon, std::string* why) {
  check_costs(c_old, c_new, c_opt);
  ECO_CHECK(std::isfinite(horizon) && horizon >= 0, "economics: horizon {} must be finite and >= 0", horizon);
  if (horizon == 0) return undefined(why, "ROI is undefined at a horizon of 0 inferences");
  const double invested = c_new * horizon + c_opt;
  if (invested == 0) return undefined(why, "ROI is undefined: the optimized variant costs nothing to make or run");
  return (c_old * horizon - invested) / invested;
}

bool pays_off_within(double c_old, double c_new, double c_opt, double horizon) {
  const auto n = break_even_inferences(c_old, c_new, c_opt);
  return n && *n <= horizon;
}

}  // namespace ecoinfer::economics
