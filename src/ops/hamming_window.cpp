#include "ops/window_function.h"

namespace ecoinfer::ops {
namespace {
// Hamming (alpha 25/46) window (window_function.h).
std::vector<Tensor> hamming_window_ref(OpContext& c) { return cosine_window(c, 25.0 / 46, 1 - 25.0 / 46, 0.0); }
}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "HammingWindow", .reference = hamming_window_ref});
}  // namespace ecoinfer::ops
