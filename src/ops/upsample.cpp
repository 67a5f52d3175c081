#include "ops/resize.h"

namespace ecoinfer::ops {
// Upsample (opsets 7-9, deprecated in 10): Resize with asymmetric coordinates and floor for
// nearest; scales come from the attribute (opset 7) or the second input (opset 9).
ECO_REGISTER_OP(OpSchema{.op_type = "Upsample", .min_inputs = 1, .max_inputs = 2, .reference = resize_reference,
                         .infer = resize_infer});
}  // namespace ecoinfer::ops
