#include "ops/compare.h"

namespace ecoinfer::ops {
ECO_COMPARE_OP(Less, NumericTypes, x < y)
}  // namespace ecoinfer::ops
