#include "stats/validate.h"

#include <cmath>

#include "core/error.h"

namespace ecoinfer::stats {

void check_sample(std::span<const double> x, std::size_t min_n, const char* what) {
  ECO_CHECK(x.size() >= min_n, "{}: needs at least {} values, got {}", what, min_n, x.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    ECO_CHECK(std::isfinite(x[i]), "{}: value {} (index {}) is not finite", what, x[i], i);
}

}  // namespace ecoinfer::stats
