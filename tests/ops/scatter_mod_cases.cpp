#include "ops/op_cases.h"

namespace ecoinfer::test {
namespace {

ECO_OP_CASES("Mod", [] {
  return std::vector<OpCase>{
      OpCase{"int64 fmod=0 takes the divisor's sign", make_node("Mod"), {i64({4}, {7, -7, 7, -7}), i64({4}, {3, 3, -3, -3})},
             {i64({4}, {1, 2, -2, -1})}},
      OpCase{"float fmod=1 takes the dividend's sign", make_node("Mod", {{"fmod", attr_i(1)}}),
             {f32({2}, {5.5f, -5.5f}), f32({1}, {2.f})}, {f32({2}, {1.5f, -1.5f})}},
  };
});

ECO_OP_CASES("ScatterND", [] {
  return std::vector<OpCase>{
      OpCase{"rows of a matrix", make_node("ScatterND"),
             {f32({3, 2}, {0, 0, 0, 0, 0, 0}), i64({2, 1}, {2, 0}), f32({2, 2}, {1, 2, 3, 4})},
             {f32({3, 2}, {3, 4, 0, 0, 1, 2})}},
      OpCase{"single elements, negative index", make_node("ScatterND"),
             {f32({2, 2}, {1, 1, 1, 1}), i64({1, 2}, {-1, 0}), f32({1}, {9})}, {f32({2, 2}, {1, 1, 9, 1})}},
  };
});

}  // namespace
}  // namespace ecoinfer::test
