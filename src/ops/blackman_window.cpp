#include "ops/window_function.h"

namespace ecoinfer::ops {
namespace {
// Blackman window (window_function.h).
std::vector<Tensor> blackman_window_ref(OpContext& c) { return cosine_window(c, 0.42, 0.5, 0.08); }
}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "BlackmanWindow", .reference = blackman_window_ref});
}  // namespace ecoinfer::ops
