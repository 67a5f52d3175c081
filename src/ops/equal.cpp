#include "ops/compare.h"

namespace ecoinfer::ops {
ECO_COMPARE_OP(Equal, ComparableTypes, x == y)
}  // namespace ecoinfer::ops
