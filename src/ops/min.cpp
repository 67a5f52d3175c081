#include "ops/compare.h"

namespace ecoinfer::ops {
ECO_VARIADIC_OP(Min, nan_min)
}  // namespace ecoinfer::ops
