// Cases for the reductions and folds added for ONNX conformance (issue 17): ReduceL1,
// ReduceSumSquare, ReduceLogSum, ReduceLogSumExp, ArgMin, Sum, Mean, CumSum. Hand-computed.
#include "ops/case_util.h"

namespace ecoinfer::test {
namespace {

using V = std::vector<OpCase>;
// [[1, -2, 3], [-4, 5, -6]]
Tensor m23() { return f32({2, 3}, {1, -2, 3, -4, 5, -6}); }

ECO_OP_CASES("ReduceL1", [] {
  return V{mk("axis 1", "ReduceL1", {{"axes", attr_ints({1})}}, {m23()}, {f32({2, 1}, {6, 15})}),
           mk("all, int64", "ReduceL1", {{"keepdims", attr_i(0)}}, {i64({3}, {-1, 2, -3})}, {i64({}, {6})})};
});
ECO_OP_CASES("ReduceSumSquare", [] {
  return V{mk("axis 0 (axes input)", "ReduceSumSquare", {{"keepdims", attr_i(0)}}, {m23(), i64({1}, {0})},
              {f32({3}, {17, 29, 45})})};
});
ECO_OP_CASES("ReduceLogSum", [] {
  return V{mk("axis 1", "ReduceLogSum", {{"axes", attr_ints({1})}, {"keepdims", attr_i(0)}},
              {f32({2, 2}, {1, 1.718281828f, 0.5f, 0.5f})}, {f32({2}, {1, 0})}),
           mk("negative sum gives NaN", "ReduceLogSum", {}, {f32({2}, {-1, -2})}, {f32({1}, {kNaN})})};
});
ECO_OP_CASES("ReduceLogSumExp", [] {
  return V{mk("axis 1", "ReduceLogSumExp", {{"axes", attr_ints({1})}}, {f32({2, 2}, {0, 0, 1, -kInf})},
              {f32({2, 1}, {0.693147181f, 1})}),
           mk("large values stay finite in double", "ReduceLogSumExp", {{"keepdims", attr_i(0)}},
              {f32({2}, {100, 100})}, {f32({}, {100.693147181f})})};
});

ECO_OP_CASES("ArgMin", [] {
  return V{mk("axis -1, no keepdims", "ArgMin", {{"axis", attr_i(-1)}, {"keepdims", attr_i(0)}},
              {f32({2, 3}, {0.1f, -0.7f, 0.2f, 0.5f, 0.1f, 0.1f})}, {i64({2}, {1, 1})}),
           mk("ties: last with select_last_index", "ArgMin", {{"select_last_index", attr_i(1)}, {"keepdims", attr_i(0)}},
              {f32({3}, {1, 1, 2})}, {i64({}, {1})}),
           mk("NaN wins", "ArgMin", {{"keepdims", attr_i(0)}}, {f32({3}, {1, kNaN, -3})}, {i64({}, {1})}),
           mk("int32, keepdims, axis 0", "ArgMin", {}, {i32({2, 2}, {3, -1, 2, 5})}, {i64({1, 2}, {1, 0})})};
});

ECO_OP_CASES("Sum", [] {
  return V{mk("three inputs, broadcast", "Sum", {}, {f32({2}, {1, 2}), f32({1}, {10}), f32({2, 1}, {100, 200})},
              {f32({2, 2}, {111, 112, 211, 212})}),
           mk("one input is a copy", "Sum", {}, {f32({2}, {1, 2})}, {f32({2}, {1, 2})}),
           mk("int64 wraps", "Sum", {}, {i64({1}, {kI64Max}), i64({1}, {1})}, {i64({1}, {kI64Min})})};
});
ECO_OP_CASES("Mean", [] {
  return V{mk("three inputs", "Mean", {}, {f32({2}, {1, 2}), f32({2}, {3, 4}), f32({1}, {5})}, {f32({2}, {3, 11.f / 3})}),
           mk("one input", "Mean", {}, {f64({1}, {7})}, {f64({1}, {7})})};
});

ECO_OP_CASES("CumSum", [] {
  const Tensor x = f32({2, 3}, {1, 2, 3, 4, 5, 6});
  return V{mk("axis 1", "CumSum", {}, {x, i64({}, {1})}, {f32({2, 3}, {1, 3, 6, 4, 9, 15})}),
           mk("axis 0, exclusive", "CumSum", {{"exclusive", attr_i(1)}}, {x, i32({1}, {0})},
              {f32({2, 3}, {0, 0, 0, 1, 2, 3})}),
           mk("reverse, negative axis", "CumSum", {{"reverse", attr_i(1)}}, {x, i64({}, {-1})},
              {f32({2, 3}, {6, 5, 3, 15, 11, 6})}),
           mk("reverse exclusive, int32", "CumSum", {{"reverse", attr_i(1)}, {"exclusive", attr_i(1)}},
              {i32({3}, {1, 2, 3}), i64({}, {0})}, {i32({3}, {5, 3, 0})})};
});

}  // namespace
}  // namespace ecoinfer::test
