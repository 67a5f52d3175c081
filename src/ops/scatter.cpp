#include "ops/scatter_elements.h"

namespace ecoinfer::ops {
// Scatter (opsets 9-10, deprecated in 11) is ScatterElements without `reduction`.
ECO_REGISTER_OP(OpSchema{.op_type = "Scatter", .min_inputs = 3, .max_inputs = 3, .reference = scatter_elements_ref,
                         .infer = same_as_input0});
}  // namespace ecoinfer::ops
