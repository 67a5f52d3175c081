#include "ops/elementwise.h"

namespace ecoinfer::ops {
ECO_UNARY_F32_OP(Log, std::log(x))
}  // namespace ecoinfer::ops
