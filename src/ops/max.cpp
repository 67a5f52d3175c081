#include "ops/compare.h"

namespace ecoinfer::ops {
ECO_VARIADIC_OP(Max, nan_max)
}  // namespace ecoinfer::ops
