#include "ops/compare.h"

namespace ecoinfer::ops {
ECO_COMPARE_OP(Greater, NumericTypes, x > y)
}  // namespace ecoinfer::ops
