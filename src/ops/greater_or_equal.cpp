#include "ops/compare.h"

namespace ecoinfer::ops {
ECO_COMPARE_OP(GreaterOrEqual, NumericTypes, x >= y)
}  // namespace ecoinfer::ops
