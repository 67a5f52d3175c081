#include "ops/compare.h"

namespace ecoinfer::ops {
ECO_COMPARE_OP(LessOrEqual, NumericTypes, x <= y)
}  // namespace ecoinfer::ops
