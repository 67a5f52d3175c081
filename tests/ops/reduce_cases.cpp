// Cases for the Reduce* ops, ArgMax and TopK.
#include "ops/case_util.h"

namespace ecoinfer::test {
namespace {

using V = std::vector<OpCase>;
// [[1, 2, 3], [4, 5, 6]]
Tensor m23() { return f32({2, 3}, {1, 2, 3, 4, 5, 6}); }

ECO_OP_CASES("ReduceSum", [] {
  return V{
      mk("axes input, keepdims", "ReduceSum", {}, {m23(), i64({1}, {1})}, {f32({2, 1}, {6, 15})}),
      mk("negative axis, no keepdims", "ReduceSum", {{"keepdims", attr_i(0)}}, {m23(), i64({1}, {-2})}, {f32({3}, {5, 7, 9})}),
      mk("no axes reduces all", "ReduceSum", {}, {m23()}, {f32({1, 1}, {21})}),
      mk("empty axes with noop", "ReduceSum", {{"noop_with_empty_axes", attr_i(1)}}, {m23(), i64({0}, {})}, {m23()}),
      mk("axes attribute (opset 11)", "ReduceSum", {{"axes", attr_ints({0})}, {"_opset", attr_i(11)}}, {m23()},
         {f32({1, 3}, {5, 7, 9})}),
      mk("int64", "ReduceSum", {{"keepdims", attr_i(0)}}, {i64({3}, {1, 2, kI64Max - 3})}, {i64({}, {kI64Max})}),
      mk("empty set sums to 0", "ReduceSum", {}, {f32({0, 2}, {}), i64({1}, {0})}, {f32({1, 2}, {0, 0})}),
  };
});
ECO_OP_CASES("ReduceMean", [] {
  return V{
      mk("axis 1 (attribute)", "ReduceMean", {{"axes", attr_ints({1})}, {"keepdims", attr_i(0)}}, {m23()}, {f32({2}, {2, 5})}),
      mk("spatial mean of NCHW", "ReduceMean", {{"axes", attr_ints({2, 3})}}, {f32({1, 1, 2, 2}, {1, 2, 3, 6})},
         {f32({1, 1, 1, 1}, {3})}),
      mk("axes input (opset 18)", "ReduceMean", {}, {m23(), i64({2}, {0, 1})}, {f32({1, 1}, {3.5f})}),
      mk("NaN propagates", "ReduceMean", {}, {f32({2}, {1, kNaN})}, {f32({1}, {kNaN})}),
  };
});
ECO_OP_CASES("ReduceMax", [] {
  return V{
      mk("axis 1", "ReduceMax", {{"axes", attr_ints({1})}}, {f32({2, 2}, {1, -5, -3, -2})}, {f32({2, 1}, {1, -2})}),
      mk("NaN propagates", "ReduceMax", {{"keepdims", attr_i(0)}}, {f32({3}, {1, kNaN, 3})}, {f32({}, {kNaN})}),
      mk("int32", "ReduceMax", {{"keepdims", attr_i(0)}}, {i32({3}, {-7, -2, -9})}, {i32({}, {-2})}),
  };
});
ECO_OP_CASES("ReduceMin", [] {
  return V{
      mk("axis 0", "ReduceMin", {{"axes", attr_ints({0})}, {"keepdims", attr_i(0)}}, {m23()}, {f32({3}, {1, 2, 3})}),
      mk("-0 and NaN", "ReduceMin", {{"keepdims", attr_i(0)}}, {f32({2}, {kNaN, -0.f})}, {f32({}, {kNaN})}),
      mk("int64 axes input", "ReduceMin", {}, {i64({2, 2}, {4, 1, 2, 3}), i64({1}, {-1})}, {i64({2, 1}, {1, 2})}),
  };
});
ECO_OP_CASES("ReduceProd", [] {
  return V{
      mk("axis 1", "ReduceProd", {{"axes", attr_ints({1})}, {"keepdims", attr_i(0)}}, {m23()}, {f32({2}, {6, 120})}),
      mk("empty set gives 1", "ReduceProd", {{"axes", attr_ints({0})}}, {f32({0, 2}, {})}, {f32({1, 2}, {1, 1})}),
  };
});
ECO_OP_CASES("ReduceL2", [] {
  return V{
      mk("axis 1", "ReduceL2", {{"axes", attr_ints({1})}}, {f32({2, 2}, {3, 4, 0, -1})}, {f32({2, 1}, {5, 1})}),
      mk("all", "ReduceL2", {{"keepdims", attr_i(0)}}, {f32({2}, {-2, 0})}, {f32({}, {2})}),
  };
});

ECO_OP_CASES("ArgMax", [] {
  return V{
      mk("default axis 0, keepdims", "ArgMax", {}, {f32({2, 2}, {1, 5, 3, 2})}, {i64({1, 2}, {1, 0})}),
      mk("axis -1, no keepdims (top-1)", "ArgMax", {{"axis", attr_i(-1)}, {"keepdims", attr_i(0)}},
         {f32({2, 3}, {0.1f, 0.7f, 0.2f, 0.5f, 0.1f, 0.4f})}, {i64({2}, {1, 0})}),
      mk("ties: first, or last with select_last_index", "ArgMax", {{"select_last_index", attr_i(1)}, {"keepdims", attr_i(0)}},
         {f32({3}, {2, 2, 1})}, {i64({}, {1})}),
      mk("ties: first index", "ArgMax", {{"keepdims", attr_i(0)}}, {f32({3}, {2, 2, 1})}, {i64({}, {0})}),
      mk("NaN wins", "ArgMax", {{"keepdims", attr_i(0)}}, {f32({3}, {1, kNaN, 3})}, {i64({}, {1})}),
      mk("int64", "ArgMax", {{"keepdims", attr_i(0)}}, {i64({3}, {-1, 7, 7})}, {i64({}, {1})}),
  };
});

ECO_OP_CASES("TopK", [] {
  return V{
      mk("top-2 largest along -1", "TopK", {}, {f32({2, 3}, {0.1f, 0.7f, 0.2f, 0.5f, 0.1f, 0.4f}), i64({1}, {2})},
         {f32({2, 2}, {0.7f, 0.2f, 0.5f, 0.4f}), i64({2, 2}, {1, 2, 0, 2})}),
      mk("smallest, axis 0, ties keep order", "TopK", {{"axis", attr_i(0)}, {"largest", attr_i(0)}},
         {f32({3, 1}, {2, 1, 1}), i64({1}, {2})}, {f32({2, 1}, {1, 1}), i64({2, 1}, {1, 2})}),
      mk("k = 0", "TopK", {}, {f32({3}, {1, 2, 3}), i64({1}, {0})}, {f32({0}, {}), i64({0}, {})}),
      mk("NaN ranks first", "TopK", {}, {f32({3}, {1, kNaN, 3}), i64({1}, {2})}, {f32({2}, {kNaN, 3}), i64({2}, {1, 2})}),
  };
});

}  // namespace
}  // namespace ecoinfer::test
