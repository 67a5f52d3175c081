#include "ops/op_cases.h"

namespace ecoinfer::test {
namespace {

OpCase binary(const std::string& op, Tensor a, Tensor b, Tensor want, const std::string& label) {
  OpCase c{label, make_node(op), {std::move(a), std::move(b)}, {std::move(want)}};
  return c;
}

ECO_OP_CASES("Add", [] {
  return std::vector<OpCase>{
      binary("Add", f32({2, 2}, {1, 2, 3, 4}), f32({2}, {10, 20}), f32({2, 2}, {11, 22, 13, 24}), "row broadcast"),
      binary("Add", f32({2, 1}, {1, 2}), f32({1, 3}, {10, 20, 30}), f32({2, 3}, {11, 21, 31, 12, 22, 32}), "outer broadcast"),
      binary("Add", i64({2}, {1, 2}), i64({}, {5}), i64({2}, {6, 7}), "int64 scalar"),
  };
});
ECO_OP_CASES("Sub", [] {
  return std::vector<OpCase>{binary("Sub", f32({3}, {1, 2, 3}), f32({1}, {1}), f32({3}, {0, 1, 2}), "scalar-like")};
});
ECO_OP_CASES("Mul", [] {
  return std::vector<OpCase>{binary("Mul", f32({1, 2, 1}, {2, 3}), f32({2, 1, 2}, {1, 2, 3, 4}),
                                    f32({2, 2, 2}, {2, 4, 3, 6, 6, 8, 9, 12}), "both broadcast")};
});
ECO_OP_CASES("Div", [] {
  return std::vector<OpCase>{binary("Div", f32({2}, {1, 3}), f32({2}, {2, 4}), f32({2}, {0.5f, 0.75f}), "same shape"),
                             binary("Div", i64({2}, {7, -7}), i64({1}, {2}), i64({2}, {3, -3}), "int64 truncates")};
});
ECO_OP_CASES("Relu", [] {
  return std::vector<OpCase>{OpCase{"mixed signs", make_node("Relu"), {f32({4}, {-1, 0, 2, -0.5f})}, {f32({4}, {0, 0, 2, 0})}}};
});

}  // namespace
}  // namespace ecoinfer::test
