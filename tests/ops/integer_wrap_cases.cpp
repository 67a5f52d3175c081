// Integer arithmetic at the edges x86 traps on or C++ leaves undefined (issue 11, finding 1):
// INT_MIN / -1 and INT_MIN % -1 would raise SIGFPE; signed overflow in + - * is undefined.
// Defined here as two's-complement wrap-around (NumPy's result; what PyTorch and ONNX
// Runtime compute on x86 when they do not trap) and x % -1 = 0 (exact).
#include <cstdint>

#include "ops/case_util.h"

namespace ecoinfer::test {
namespace {

ECO_OP_CASES("Div", [] {
  return std::vector<OpCase>{
      OpCase{"int64 INT64_MIN / -1 wraps to INT64_MIN; / 0 gives 0", make_node("Div"),
             {i64({4}, {kI64Min, kI64Min, 7, -7}), i64({4}, {-1, 0, -1, 2})}, {i64({4}, {kI64Min, 0, -7, -3})}},
      OpCase{"int32 INT32_MIN / -1 wraps to INT32_MIN", make_node("Div"),
             {i32({2}, {INT32_MIN, INT32_MAX}), i32({1}, {-1})}, {i32({2}, {INT32_MIN, -INT32_MAX})}},
  };
});

ECO_OP_CASES("Mod", [] {
  return std::vector<OpCase>{
      OpCase{"int64 INT64_MIN % -1 is 0 (fmod=0)", make_node("Mod"), {i64({3}, {kI64Min, 5, -5}), i64({1}, {-1})},
             {i64({3}, {0, 0, 0})}},
      OpCase{"int64 INT64_MIN % -1 is 0 (fmod=1)", make_node("Mod", {{"fmod", attr_i(1)}}),
             {i64({2}, {kI64Min, kI64Max}), i64({1}, {-1})}, {i64({2}, {0, 0})}},
      OpCase{"int32 INT32_MIN % -1 is 0", make_node("Mod"), {i32({1}, {INT32_MIN}), i32({1}, {-1})}, {i32({1}, {0})}},
  };
});

ECO_OP_CASES("Add", [] {
  return std::vector<OpCase>{OpCase{"int64 overflow wraps", make_node("Add"), {i64({2}, {kI64Max, kI64Min}), i64({2}, {1, -1})},
                                    {i64({2}, {kI64Min, kI64Max})}}};
});

ECO_OP_CASES("Sub", [] {
  return std::vector<OpCase>{OpCase{"int64 overflow wraps", make_node("Sub"), {i64({2}, {kI64Min, kI64Max}), i64({2}, {1, -1})},
                                    {i64({2}, {kI64Max, kI64Min})}}};
});

ECO_OP_CASES("Mul", [] {
  return std::vector<OpCase>{OpCase{"int64 overflow wraps", make_node("Mul"), {i64({2}, {kI64Min, kI64Max}), i64({2}, {-1, 2})},
                                    {i64({2}, {kI64Min, -2})}},
                             OpCase{"int32 overflow wraps", make_node("Mul"), {i32({1}, {65536}), i32({1}, {65536})},
                                    {i32({1}, {0})}}};
});

}  // namespace
}  // namespace ecoinfer::test
