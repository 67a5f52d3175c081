// Cases for the indexing and data-movement ops added for ONNX conformance (issue 17):
// GatherElements (with its fast kernel), GatherND, ScatterElements, Scatter, OneHot,
// Compress, NonZero, Trilu, EyeLike, CastLike, DepthToSpace, SpaceToDepth. Hand-computed.
#include "ops/case_util.h"

namespace ecoinfer::test {
namespace {

using V = std::vector<OpCase>;

// Indices in [-len, len) for a [outer, k, inner] gather along axis 1 of a [outer, len, inner] tensor.
Tensor random_indices(Shape shape, int64_t len, uint32_t seed) {
  Tensor t = Tensor::empty(DType::i64, std::move(shape));
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int64_t> d(-len, len - 1);
  for (int64_t i = 0; i < t.numel(); ++i) t.data<int64_t>()[i] = d(rng);
  return t;
}

ECO_OP_CASES("GatherElements", [] {
  V v{
      mk("axis 1 (torch.gather)", "GatherElements", {{"axis", attr_i(1)}}, {f32({2, 2}, {1, 2, 3, 4}), i64({2, 2}, {0, 0, 1, 0})},
         {f32({2, 2}, {1, 1, 4, 3})}),
      mk("axis 0, negative index, int32 indices", "GatherElements", {},
         {f32({3, 2}, {1, 2, 3, 4, 5, 6}), i32({1, 2}, {-1, 1})}, {f32({1, 2}, {5, 4})}),
      mk("indices smaller than data off the axis", "GatherElements", {{"axis", attr_i(1)}},
         {i64({3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}), i64({2, 2}, {2, 0, 1, 1})}, {i64({2, 2}, {3, 1, 5, 5})}),
      mk("bool data", "GatherElements", {}, {b8({2}, {1, 0}), i64({3}, {1, 1, 0})}, {b8({3}, {0, 0, 1})}),
  };
  // Fast kernel: rows along the last axis, and a 2-thread split (4 Mi rows of one element).
  v.push_back(mk("fast kernel, last axis", "GatherElements", {{"axis", attr_i(-1)}},
                 {random_f32({4, 5, 9}, 3), random_indices({4, 5, 6}, 9, 4)}, {}));
  v.push_back(mk("fast kernel, middle axis, 2 threads", "GatherElements", {{"axis", attr_i(1)}},
                 {random_f32({2, 7, 1}, 5), random_indices({2, 1 << 21, 1}, 7, 6)}, {}));
  return v;
});

ECO_OP_CASES("GatherND", [] {
  const Tensor x = f32({2, 2}, {0, 1, 2, 3});
  return V{mk("elements", "GatherND", {}, {x, i64({2, 2}, {0, 0, 1, 1})}, {f32({2}, {0, 3})}),
           mk("rows, negative index", "GatherND", {}, {x, i64({2, 1}, {-1, 0})}, {f32({2, 2}, {2, 3, 0, 1})}),
           mk("batch_dims 1", "GatherND", {{"batch_dims", attr_i(1)}},
              {i32({2, 2, 2}, {0, 1, 2, 3, 4, 5, 6, 7}), i64({2, 1}, {1, 0})}, {i32({2, 2}, {2, 3, 4, 5})})};
});

ECO_OP_CASES("ScatterElements", [] {
  const Tensor zeros = f32({2, 3}, {0, 0, 0, 0, 0, 0});
  return V{mk("axis 1", "ScatterElements", {{"axis", attr_i(1)}}, {zeros, i64({2, 1}, {2, 0}), f32({2, 1}, {7, 8})},
              {f32({2, 3}, {0, 0, 7, 8, 0, 0})}),
           mk("duplicates: last wins", "ScatterElements", {}, {f32({2}, {1, 1}), i64({3}, {1, 1, 0}), f32({3}, {5, 6, 7})},
              {f32({2}, {7, 6})}),
           mk("add, negative index", "ScatterElements", {{"reduction", attr_s("add")}},
              {f32({2}, {1, 1}), i64({3}, {-1, -1, 0}), f32({3}, {5, 6, 7})}, {f32({2}, {8, 12})}),
           mk("mul", "ScatterElements", {{"reduction", attr_s("mul")}}, {i64({2}, {2, 3}), i64({2}, {1, 1}), i64({2}, {4, 5})},
              {i64({2}, {2, 60})}),
           mk("max and min", "ScatterElements", {{"reduction", attr_s("max")}},
              {f32({2}, {3, 3}), i64({2}, {0, 1}), f32({2}, {5, 1})}, {f32({2}, {5, 3})}),
           mk("min", "ScatterElements", {{"reduction", attr_s("min")}}, {f32({2}, {3, 3}), i64({2}, {0, 1}), f32({2}, {5, 1})},
              {f32({2}, {3, 1})})};
});
ECO_OP_CASES("Scatter", [] {
  return V{mk("opset 9 (no reduction)", "Scatter", {{"axis", attr_i(0)}},
              {f32({3}, {0, 0, 0}), i64({2}, {2, 0}), f32({2}, {1, 2})}, {f32({3}, {2, 0, 1})})};
});
ECO_OP_CASES("ScatterND", [] {  // reductions (opset 16/18); "none" has its cases in scatter_mod_cases.cpp
  return V{mk("add with a duplicate index", "ScatterND", {{"reduction", attr_s("add")}},
              {f32({3}, {1, 1, 1}), i64({2, 1}, {2, 2}), f32({2}, {5, 6})}, {f32({3}, {1, 1, 12})}),
           mk("max of rows", "ScatterND", {{"reduction", attr_s("max")}},
              {f32({2, 2}, {1, 5, 1, 5}), i64({1, 1}, {0}), f32({1, 2}, {3, 3})}, {f32({2, 2}, {3, 5, 1, 5})})};
});

ECO_OP_CASES("OneHot", [] {
  const Tensor values = f32({2}, {0, 1});
  return V{mk("axis -1, negative index", "OneHot", {}, {i64({3}, {0, 2, -1}), f32({}, {3}), values},
              {f32({3, 3}, {1, 0, 0, 0, 0, 1, 0, 0, 1})}),
           mk("axis 0, out of range gives off", "OneHot", {{"axis", attr_i(0)}}, {i64({2}, {1, 5}), i64({1}, {2}), f32({2}, {-1, 9})},
              {f32({2, 2}, {-1, -1, 9, -1})}),
           mk("float indices truncate", "OneHot", {}, {f32({1}, {1.7f}), i32({}, {2}), i64({2}, {0, 7})}, {i64({1, 2}, {0, 7})})};
});

ECO_OP_CASES("Compress", [] {
  const Tensor x = f32({3, 2}, {1, 2, 3, 4, 5, 6});
  return V{mk("axis 0", "Compress", {{"axis", attr_i(0)}}, {x, b8({3}, {0, 1, 1})}, {f32({2, 2}, {3, 4, 5, 6})}),
           mk("axis -1, short condition", "Compress", {{"axis", attr_i(-1)}}, {x, b8({1}, {1})}, {f32({3, 1}, {1, 3, 5})}),
           mk("no axis: flattened", "Compress", {}, {x, b8({5}, {0, 0, 1, 0, 1})}, {f32({2}, {3, 5})})};
});

ECO_OP_CASES("NonZero", [] {
  return V{mk("2-D", "NonZero", {}, {f32({2, 2}, {1, 0, kNaN, 3})}, {i64({2, 3}, {0, 1, 1, 0, 0, 1})}),
           mk("bool, none", "NonZero", {}, {b8({2}, {0, 0})}, {i64({1, 0}, {})})};
});

ECO_OP_CASES("Trilu", [] {
  const Tensor x = i64({2, 3}, {1, 2, 3, 4, 5, 6});
  return V{mk("upper", "Trilu", {}, {x}, {i64({2, 3}, {1, 2, 3, 0, 5, 6})}),
           mk("lower, k = 1", "Trilu", {{"upper", attr_i(0)}}, {x, i64({}, {1})}, {i64({2, 3}, {1, 2, 0, 4, 5, 6})}),
           mk("upper, k = -1, batched", "Trilu", {}, {f32({2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8}), i64({}, {-1})},
              {f32({2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8})}),
           mk("upper, huge k", "Trilu", {}, {x, i64({}, {kI64Max})}, {i64({2, 3}, {0, 0, 0, 0, 0, 0})})};
});

ECO_OP_CASES("EyeLike", [] {
  return V{mk("k = 1", "EyeLike", {{"k", attr_i(1)}}, {f32({2, 3}, {9, 9, 9, 9, 9, 9})}, {f32({2, 3}, {0, 1, 0, 0, 0, 1})}),
           mk("dtype int64 (7), k = -1", "EyeLike", {{"dtype", attr_i(7)}, {"k", attr_i(-1)}}, {f32({2, 2}, {0, 0, 0, 0})},
              {i64({2, 2}, {0, 0, 1, 0})})};
});

ECO_OP_CASES("CastLike", [] {
  return V{mk("float to int32 like", "CastLike", {}, {f32({2}, {1.9f, -2.5f}), i32({0}, {})}, {i32({2}, {1, -2})}),
           mk("float16 to float like", "CastLike", {}, {bits16(DType::f16, {2}, {0x3c00, 0xc000}), f32({0}, {})},
              {f32({2}, {1, -2})})};
});

ECO_OP_CASES("DepthToSpace", [] {
  // [1, 4, 1, 1] with channels 0..3 and blocksize 2.
  const Tensor x = f32({1, 4, 1, 1}, {0, 1, 2, 3});
  return V{mk("DCR", "DepthToSpace", {{"blocksize", attr_i(2)}}, {x}, {f32({1, 1, 2, 2}, {0, 1, 2, 3})}),
           mk("CRD (PixelShuffle), 2 output channels", "DepthToSpace", {{"blocksize", attr_i(2)}, {"mode", attr_s("CRD")}},
              {f32({1, 8, 1, 1}, {0, 1, 2, 3, 4, 5, 6, 7})}, {f32({1, 2, 2, 2}, {0, 1, 2, 3, 4, 5, 6, 7})}),
           mk("DCR, 2 output channels", "DepthToSpace", {{"blocksize", attr_i(2)}},
              {f32({1, 8, 1, 1}, {0, 1, 2, 3, 4, 5, 6, 7})}, {f32({1, 2, 2, 2}, {0, 2, 4, 6, 1, 3, 5, 7})})};
});
ECO_OP_CASES("SpaceToDepth", [] {
  return V{mk("inverse of DCR", "SpaceToDepth", {{"blocksize", attr_i(2)}},
              {f32({1, 2, 2, 2}, {0, 2, 4, 6, 1, 3, 5, 7})}, {f32({1, 8, 1, 1}, {0, 1, 2, 3, 4, 5, 6, 7})})};
});

}  // namespace
}  // namespace ecoinfer::test
