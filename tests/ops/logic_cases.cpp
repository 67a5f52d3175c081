// Cases for comparison, logical, selection and variadic min/max ops.
#include "ops/case_util.h"

namespace ecoinfer::test {
namespace {

using V = std::vector<OpCase>;

ECO_OP_CASES("Equal", [] {
  return V{
      mk("float broadcast, NaN unequal, -0 == 0", "Equal", {}, {f32({3}, {1, kNaN, -0.f}), f32({3}, {1, kNaN, 0})},
         {b8({3}, {1, 0, 1})}),
      mk("int64 broadcast scalar", "Equal", {}, {i64({2, 2}, {1, 2, 3, 1}), i64({}, {1})}, {b8({2, 2}, {1, 0, 0, 1})}),
      mk("bool", "Equal", {}, {b8({2}, {1, 0}), b8({2}, {1, 1})}, {b8({2}, {1, 0})}),
  };
});
ECO_OP_CASES("Less", [] {
  return V{mk("float row broadcast", "Less", {}, {f32({2, 2}, {1, 5, 3, 0}), f32({2}, {2, 2})}, {b8({2, 2}, {1, 0, 0, 1})}),
           mk("int32 NaN-free", "Less", {}, {i32({2}, {-1, 4}), i32({2}, {0, 4})}, {b8({2}, {1, 0})}),
           mk("NaN compares false", "Less", {}, {f32({1}, {kNaN}), f32({1}, {1})}, {b8({1}, {0})})};
});
ECO_OP_CASES("Greater", [] {
  return V{mk("column broadcast", "Greater", {}, {f32({2, 1}, {1, 3}), f32({1, 2}, {2, 0})}, {b8({2, 2}, {0, 1, 1, 1})}),
           mk("int64", "Greater", {}, {i64({2}, {5, -5}), i64({1}, {0})}, {b8({2}, {1, 0})})};
});
ECO_OP_CASES("LessOrEqual", [] {
  return V{mk("float", "LessOrEqual", {}, {f32({3}, {1, 2, 3}), f32({}, {2})}, {b8({3}, {1, 1, 0})})};
});
ECO_OP_CASES("GreaterOrEqual", [] {
  return V{mk("int64", "GreaterOrEqual", {}, {i64({3}, {1, 2, 3}), i64({}, {2})}, {b8({3}, {0, 1, 1})})};
});
ECO_OP_CASES("Not", [] { return V{mk("bools", "Not", {}, {b8({2, 1}, {1, 0})}, {b8({2, 1}, {0, 1})})}; });
ECO_OP_CASES("And", [] {
  return V{mk("truth table, broadcast", "And", {}, {b8({2, 1}, {0, 1}), b8({2}, {0, 1})}, {b8({2, 2}, {0, 0, 0, 1})})};
});
ECO_OP_CASES("Or", [] {
  return V{mk("truth table, broadcast", "Or", {}, {b8({2, 1}, {0, 1}), b8({2}, {0, 1})}, {b8({2, 2}, {0, 1, 1, 1})})};
});
ECO_OP_CASES("Xor", [] {
  return V{mk("truth table, broadcast", "Xor", {}, {b8({2, 1}, {0, 1}), b8({2}, {0, 1})}, {b8({2, 2}, {0, 1, 1, 0})})};
});

ECO_OP_CASES("Where", [] {
  return V{
      mk("three-way broadcast", "Where", {}, {b8({2, 1}, {1, 0}), f32({2}, {1, 2}), f32({}, {-1})},
         {f32({2, 2}, {1, 2, -1, -1})}),
      mk("int64 same shape", "Where", {}, {b8({3}, {0, 1, 0}), i64({3}, {1, 2, 3}), i64({3}, {4, 5, 6})},
         {i64({3}, {4, 2, 6})}),
      mk("condition broadcast over data", "Where", {}, {b8({}, {1}), f32({2}, {1, 2}), f32({2, 1}, {7, 8})},
         {f32({2, 2}, {1, 2, 1, 2})}),
  };
});

ECO_OP_CASES("Max", [] {
  return V{
      mk("two inputs broadcast", "Max", {}, {f32({2, 2}, {1, 5, -3, 0}), f32({2}, {2, 2})}, {f32({2, 2}, {2, 5, 2, 2})}),
      mk("three inputs, NaN propagates", "Max", {}, {f32({2}, {1, kNaN}), f32({2}, {kNaN, 0}), f32({1}, {0})},
         {f32({2}, {kNaN, kNaN})}),
      mk("single input", "Max", {}, {i64({2}, {3, -3})}, {i64({2}, {3, -3})}),
      mk("int32", "Max", {}, {i32({2}, {3, -3}), i32({2}, {-4, 4})}, {i32({2}, {3, 4})}),
  };
});
ECO_OP_CASES("Min", [] {
  return V{
      mk("two inputs broadcast", "Min", {}, {f32({2, 2}, {1, 5, -3, 0}), f32({2}, {2, 2})}, {f32({2, 2}, {1, 2, -3, 0})}),
      mk("NaN propagates", "Min", {}, {f32({2}, {kNaN, 1}), f32({2}, {0, kNaN})}, {f32({2}, {kNaN, kNaN})}),
      mk("int64 three inputs", "Min", {}, {i64({1}, {5}), i64({2}, {3, 9}), i64({}, {4})}, {i64({2}, {3, 4})}),
  };
});

}  // namespace
}  // namespace ecoinfer::test
