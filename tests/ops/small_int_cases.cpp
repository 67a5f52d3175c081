// Arithmetic on the narrow integer types (uint8, int8, int16) that ONNX's conformance cases
// use (test_add_uint8 and friends): wrap-around, and no signed-only special case applied to
// unsigned values (255 is not -1 for uint8).
#include "ops/case_util.h"

namespace ecoinfer::test {
namespace {

using V = std::vector<OpCase>;

ECO_OP_CASES("Add", [] { return V{mk("uint8 wraps", "Add", {}, {u8({2}, {250, 1}), u8({2}, {10, 2})}, {u8({2}, {4, 3})})}; });
ECO_OP_CASES("Sub", [] { return V{mk("uint8 wraps", "Sub", {}, {u8({2}, {1, 9}), u8({1}, {2})}, {u8({2}, {255, 7})})}; });
ECO_OP_CASES("Mul", [] {
  return V{mk("int8 wraps", "Mul", {}, {i8({2}, {100, -3}), i8({1}, {2})}, {i8({2}, {-56, -6})}),
           mk("int16", "Mul", {}, {typed<int16_t>({1}, {300}), typed<int16_t>({1}, {-100})}, {typed<int16_t>({1}, {-30000})})};
});
ECO_OP_CASES("Div", [] {
  return V{mk("uint8: 255 is a divisor like any other", "Div", {}, {u8({3}, {254, 255, 9}), u8({3}, {255, 255, 0})},
              {u8({3}, {0, 1, 0})}),
           mk("int8 INT8_MIN / -1 wraps", "Div", {}, {i8({2}, {-128, 7}), i8({1}, {-1})}, {i8({2}, {-128, -7})})};
});
ECO_OP_CASES("Mod", [] {
  return V{mk("uint8 % 255", "Mod", {}, {u8({2}, {254, 255}), u8({1}, {255})}, {u8({2}, {254, 0})}),
           mk("int8 takes the divisor's sign", "Mod", {}, {i8({2}, {-7, 7}), i8({1}, {3})}, {i8({2}, {2, 1})})};
});

}  // namespace
}  // namespace ecoinfer::test
