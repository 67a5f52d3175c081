#include "ops/window_function.h"

namespace ecoinfer::ops {
namespace {
// Hann window (window_function.h).
std::vector<Tensor> hann_window_ref(OpContext& c) { return cosine_window(c, 0.5, 0.5, 0.0); }
}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "HannWindow", .reference = hann_window_ref});
}  // namespace ecoinfer::ops
