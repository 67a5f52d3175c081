#include "ops/compare.h"

namespace ecoinfer::ops {
ECO_COMPARE_OP(And, TypeList<bool>, x && y)
}  // namespace ecoinfer::ops
