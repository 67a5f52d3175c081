#include "ops/elementwise.h"

namespace ecoinfer::ops {
namespace {

// x << y or x >> y (direction LEFT / RIGHT) on unsigned integers, numpy-broadcast; a shift
// by the type's width or more gives 0 (C++ leaves it undefined). The engine's only unsigned
// type is uint8.
std::vector<Tensor> bit_shift_ref(OpContext& c) {
  const Tensor& a = c.in(0);
  const Tensor& b = c.in(1);
  ECO_CHECK(a.dtype() == DType::u8 && b.dtype() == DType::u8, "{}: inputs must be unsigned integers, got {} and {}",
            c.node.describe(), dtype_name(a.dtype()), dtype_name(b.dtype()));
  const std::string dir = c.node.attr_string("direction", "");
  ECO_CHECK(dir == "LEFT" || dir == "RIGHT", "{}: direction must be LEFT or RIGHT, got '{}'", c.node.describe(), dir);
  const bool left = dir == "LEFT";
  return {binary_broadcast<uint8_t, uint8_t>(a, b, c.node, [left](uint8_t x, uint8_t s) -> uint8_t {
    if (s >= 8) return 0;
    return static_cast<uint8_t>(left ? x << s : x >> s);
  })};
}

}  // namespace
ECO_REGISTER_OP(OpSchema{.op_type = "BitShift", .min_inputs = 2, .max_inputs = 2, .reference = bit_shift_ref,
                         .infer = infer_broadcast});
}  // namespace ecoinfer::ops
