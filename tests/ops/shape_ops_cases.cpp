// Cases for shape and data-movement ops; expected values computed by hand.
#include "ops/case_util.h"

namespace ecoinfer::test {
namespace {

using V = std::vector<OpCase>;
Tensor iota(Shape s) {
  Tensor t = Tensor::empty(DType::f32, s);
  for (int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = static_cast<float>(i);
  return t;
}

ECO_OP_CASES("Reshape", [] {
  return V{
      mk("-1 inferred", "Reshape", {}, {iota({2, 3}), i64({2}, {3, -1})}, {iota({3, 2})}),
      mk("0 copies a dim", "Reshape", {}, {iota({2, 3, 4}), i64({3}, {0, -1, 2})}, {iota({2, 6, 2})}),
      mk("allowzero keeps a real 0", "Reshape", {{"allowzero", attr_i(1)}}, {iota({0, 3}), i64({2}, {3, 0})},
         {iota({3, 0})}),
      mk("to scalar", "Reshape", {}, {iota({1, 1}), i64({0}, {})}, {iota({})}),
      mk("int64 data", "Reshape", {}, {i64({4}, {1, 2, 3, 4}), i64({2}, {2, 2})}, {i64({2, 2}, {1, 2, 3, 4})}),
  };
});

ECO_OP_CASES("Flatten", [] {
  return V{
      mk("default axis 1", "Flatten", {}, {iota({2, 3, 4})}, {iota({2, 12})}),
      mk("axis 0", "Flatten", {{"axis", attr_i(0)}}, {iota({2, 3})}, {iota({1, 6})}),
      mk("axis -1", "Flatten", {{"axis", attr_i(-1)}}, {iota({2, 3, 4})}, {iota({6, 4})}),
      mk("axis = rank", "Flatten", {{"axis", attr_i(2)}}, {iota({2, 3})}, {iota({6, 1})}),
  };
});

ECO_OP_CASES("Transpose", [] {
  return V{
      mk("default reverses", "Transpose", {}, {iota({2, 3})}, {f32({3, 2}, {0, 3, 1, 4, 2, 5})}),
      mk("perm 0 2 1", "Transpose", {{"perm", attr_ints({0, 2, 1})}}, {iota({1, 2, 3})},
         {f32({1, 3, 2}, {0, 3, 1, 4, 2, 5})}),
      mk("NCHW->NHWC", "Transpose", {{"perm", attr_ints({0, 2, 3, 1})}}, {iota({1, 2, 2, 2})},
         {f32({1, 2, 2, 2}, {0, 4, 1, 5, 2, 6, 3, 7})}),
      mk("empty dim", "Transpose", {}, {iota({0, 2})}, {iota({2, 0})}),
      mk("int64", "Transpose", {}, {i64({2, 2}, {1, 2, 3, 4})}, {i64({2, 2}, {1, 3, 2, 4})}),
  };
});

ECO_OP_CASES("Squeeze", [] {
  return V{
      mk("all unit dims", "Squeeze", {}, {iota({1, 3, 1})}, {iota({3})}),
      mk("axes input, negative", "Squeeze", {}, {iota({1, 3, 1}), i64({1}, {-1})}, {iota({1, 3})}),
      mk("axes attribute (opset 11)", "Squeeze", {{"axes", attr_ints({0})}, {"_opset", attr_i(11)}}, {iota({1, 3, 1})},
         {iota({3, 1})}),
      mk("to scalar", "Squeeze", {}, {iota({1, 1})}, {iota({})}),
  };
});

ECO_OP_CASES("Unsqueeze", [] {
  return V{
      mk("axes input", "Unsqueeze", {}, {iota({3}), i64({2}, {0, 2})}, {iota({1, 3, 1})}),
      mk("negative axis", "Unsqueeze", {}, {iota({2, 3}), i64({1}, {-1})}, {iota({2, 3, 1})}),
      mk("axes attribute (opset 11)", "Unsqueeze", {{"axes", attr_ints({1})}, {"_opset", attr_i(11)}}, {iota({3})},
         {iota({3, 1})}),
      mk("scalar int64", "Unsqueeze", {}, {i64({}, {7}), i64({1}, {0})}, {i64({1}, {7})}),
  };
});

ECO_OP_CASES("Concat", [] {
  return V{
      mk("axis 0", "Concat", {{"axis", attr_i(0)}}, {f32({1, 2}, {1, 2}), f32({2, 2}, {3, 4, 5, 6})},
         {f32({3, 2}, {1, 2, 3, 4, 5, 6})}),
      mk("axis -1", "Concat", {{"axis", attr_i(-1)}}, {f32({2, 1}, {1, 2}), f32({2, 2}, {3, 4, 5, 6})},
         {f32({2, 3}, {1, 3, 4, 2, 5, 6})}),
      mk("int64 shape pieces with an empty one", "Concat", {{"axis", attr_i(0)}},
         {i64({1}, {1}), i64({0}, {}), i64({2}, {-1, 7})}, {i64({3}, {1, -1, 7})}),
  };
});

ECO_OP_CASES("Split", [] {
  return V{
      mk("equal split", "Split", {{"axis", attr_i(1)}}, {iota({2, 4})},
         {f32({2, 2}, {0, 1, 4, 5}), f32({2, 2}, {2, 3, 6, 7})}),
      mk("split input", "Split", {}, {iota({5}), i64({2}, {2, 3})}, {f32({2}, {0, 1}), f32({3}, {2, 3, 4})}),
      mk("split attribute, negative axis", "Split", {{"axis", attr_i(-1)}, {"split", attr_ints({1, 2})}}, {iota({1, 3})},
         {f32({1, 1}, {0}), f32({1, 2}, {1, 2})}),
      mk("num_outputs uneven (opset 18)", "Split", {{"num_outputs", attr_i(2)}}, {iota({5})},
         {f32({3}, {0, 1, 2}), f32({2}, {3, 4})}),
      mk("zero-sized piece", "Split", {}, {iota({2}), i64({2}, {0, 2})}, {f32({0}, {}), f32({2}, {0, 1})}),
  };
});

ECO_OP_CASES("Slice", [] {
  return V{
      mk("basic", "Slice", {}, {iota({2, 4}), i64({2}, {0, 1}), i64({2}, {1, 3})}, {f32({1, 2}, {1, 2})}),
      mk("axes and steps", "Slice", {}, {iota({6}), i64({1}, {1}), i64({1}, {6}), i64({1}, {0}), i64({1}, {2})},
         {f32({3}, {1, 3, 5})}),
      mk("INT64_MAX end", "Slice", {}, {iota({2, 3}), i64({1}, {1}), i64({1}, {kI64Max}), i64({1}, {-1})},
         {f32({2, 2}, {1, 2, 4, 5})}),
      mk("negative step reverses", "Slice", {},
         {iota({4}), i64({1}, {-1}), i64({1}, {kI64Min}), i64({1}, {0}), i64({1}, {-1})}, {f32({4}, {3, 2, 1, 0})}),
      mk("negative step 2 from clamped start", "Slice", {},
         {iota({5}), i64({1}, {10}), i64({1}, {0}), none(), i64({1}, {-2})}, {f32({2}, {4, 2})}),
      mk("empty result", "Slice", {}, {iota({4}), i64({1}, {3}), i64({1}, {1})}, {f32({0}, {})}),
      mk("int64 shape slice (Shape->Slice)", "Slice", {}, {i64({4}, {1, 3, 224, 224}), i64({1}, {2}), i64({1}, {4})},
         {i64({2}, {224, 224})}),
      mk("attributes (opset 9)", "Slice", {{"starts", attr_ints({1})}, {"ends", attr_ints({3})}, {"axes", attr_ints({1})}},
         {iota({2, 4})}, {f32({2, 2}, {1, 2, 5, 6})}),
  };
});

ECO_OP_CASES("Gather", [] {
  return V{
      mk("axis 0, matrix indices", "Gather", {}, {iota({3, 2}), i64({2, 2}, {0, 2, 1, 0})},
         {f32({2, 2, 2}, {0, 1, 4, 5, 2, 3, 0, 1})}),
      mk("axis 1, negative index", "Gather", {{"axis", attr_i(1)}}, {iota({2, 3}), i64({2}, {-1, 0})},
         {f32({2, 2}, {2, 0, 5, 3})}),
      mk("scalar index drops the axis", "Gather", {}, {i64({4}, {1, 3, 224, 224}), i64({}, {0})}, {i64({}, {1})}),
      mk("int32 indices, axis -1", "Gather", {{"axis", attr_i(-1)}}, {iota({2, 2}), i32({1}, {1})}, {f32({2, 1}, {1, 3})}),
      mk("empty indices", "Gather", {}, {iota({3, 2}), i64({0}, {})}, {f32({0, 2}, {})}),
  };
});

ECO_OP_CASES("Expand", [] {
  return V{
      mk("broadcast rows", "Expand", {}, {f32({3, 1}, {1, 2, 3}), i64({2}, {3, 2})}, {f32({3, 2}, {1, 1, 2, 2, 3, 3})}),
      mk("shape smaller than input (bidirectional)", "Expand", {}, {f32({2, 1}, {1, 2}), i64({1}, {3})},
         {f32({2, 3}, {1, 1, 1, 2, 2, 2})}),
      mk("new leading dims", "Expand", {}, {f32({2}, {1, 2}), i64({3}, {2, 1, 2})}, {f32({2, 1, 2}, {1, 2, 1, 2})}),
  };
});

ECO_OP_CASES("Tile", [] {
  return V{
      mk("2x1 of 2x2", "Tile", {}, {f32({2, 2}, {1, 2, 3, 4}), i64({2}, {2, 1})},
         {f32({4, 2}, {1, 2, 3, 4, 1, 2, 3, 4})}),
      mk("1-D x3", "Tile", {}, {i64({2}, {5, 6}), i64({1}, {3})}, {i64({6}, {5, 6, 5, 6, 5, 6})}),
      mk("zero repeat", "Tile", {}, {f32({2}, {1, 2}), i64({1}, {0})}, {f32({0}, {})}),
  };
});

ECO_OP_CASES("Pad", [] {
  return V{
      mk("constant zero", "Pad", {}, {f32({2}, {1, 2}), i64({2}, {1, 2})}, {f32({5}, {0, 1, 2, 0, 0})}),
      mk("constant value input", "Pad", {}, {f32({1, 2}, {1, 2}), i64({4}, {0, 1, 1, 0}), f32({}, {9})},
         {f32({2, 3}, {9, 1, 2, 9, 9, 9})}),
      mk("reflect", "Pad", {{"mode", attr_s("reflect")}}, {f32({3}, {1, 2, 3}), i64({2}, {2, 2})},
         {f32({7}, {3, 2, 1, 2, 3, 2, 1})}),
      mk("edge", "Pad", {{"mode", attr_s("edge")}}, {f32({2}, {1, 2}), i64({2}, {2, 1})}, {f32({5}, {1, 1, 1, 2, 2})}),
      mk("negative pads crop", "Pad", {}, {f32({4}, {1, 2, 3, 4}), i64({2}, {-1, 1})}, {f32({4}, {2, 3, 4, 0})}),
      mk("axes input (opset 18)", "Pad", {}, {f32({1, 2}, {1, 2}), i64({2}, {1, 0}), none(), i64({1}, {-1})},
         {f32({1, 3}, {0, 1, 2})}),
      mk("attribute pads and value (opset 2)", "Pad", {{"pads", attr_ints({1, 0})}, {"value", attr_f(-1)}},
         {f32({2}, {1, 2})}, {f32({3}, {-1, 1, 2})}),
      mk("pad an empty tensor", "Pad", {}, {f32({0}, {}), i64({2}, {1, 1})}, {f32({2}, {0, 0})}),
  };
});

ECO_OP_CASES("Shape", [] {
  return V{
      mk("full", "Shape", {}, {iota({2, 3, 4})}, {i64({3}, {2, 3, 4})}),
      mk("start/end (opset 15)", "Shape", {{"start", attr_i(1)}, {"end", attr_i(-1)}}, {iota({2, 3, 4})}, {i64({1}, {3})}),
      mk("clamped start past end", "Shape", {{"start", attr_i(5)}}, {iota({2, 3})}, {i64({0}, {})}),
      mk("scalar", "Shape", {}, {f32({}, {1})}, {i64({0}, {})}),
  };
});

ECO_OP_CASES("Size", [] {
  return V{mk("elements", "Size", {}, {iota({2, 3})}, {i64({}, {6})}),
           mk("empty", "Size", {}, {iota({0, 3})}, {i64({}, {0})})};
});

ECO_OP_CASES("ConstantOfShape", [] {
  return V{
      mk("default float zeros", "ConstantOfShape", {}, {i64({2}, {2, 1})}, {f32({2, 1}, {0, 0})}),
      mk("int64 value", "ConstantOfShape", {{"value", attr_t(i64({1}, {7}))}}, {i64({1}, {3})}, {i64({3}, {7, 7, 7})}),
      mk("empty shape gives a scalar", "ConstantOfShape", {{"value", attr_t(f32({1}, {2.5f}))}}, {i64({0}, {})},
         {f32({}, {2.5f})}),
  };
});

ECO_OP_CASES("Constant", [] {
  return V{
      mk("value tensor", "Constant", {{"value", attr_t(f32({2}, {1, 2}))}}, {}, {f32({2}, {1, 2})}),
      mk("value_float", "Constant", {{"value_float", attr_f(0.5f)}}, {}, {f32({}, {0.5f})}),
      mk("value_ints", "Constant", {{"value_ints", attr_ints({1, -1})}}, {}, {i64({2}, {1, -1})}),
      mk("value_int", "Constant", {{"value_int", attr_i(3)}}, {}, {i64({}, {3})}),
      mk("value_floats", "Constant", {{"value_floats", attr_floats({1.5f})}}, {}, {f32({1}, {1.5f})}),
  };
});

ECO_OP_CASES("Range", [] {
  return V{
      mk("int64", "Range", {}, {i64({}, {0}), i64({}, {5}), i64({}, {2})}, {i64({3}, {0, 2, 4})}),
      mk("float negative delta", "Range", {}, {f32({}, {1}), f32({}, {-1}), f32({}, {-0.5f})},
         {f32({4}, {1, 0.5f, 0, -0.5f})}),
      mk("empty when limit is behind", "Range", {}, {i64({}, {5}), i64({}, {0}), i64({}, {1})}, {i64({0}, {})}),
      mk("int32", "Range", {}, {i32({}, {-3}), i32({}, {0}), i32({}, {2})}, {i32({2}, {-3, -1})}),
  };
});

ECO_OP_CASES("Identity", [] {
  return V{mk("float", "Identity", {}, {f32({2}, {1, -0.f})}, {f32({2}, {1, -0.f})}),
           mk("bool", "Identity", {}, {b8({2}, {1, 0})}, {b8({2}, {1, 0})})};
});

ECO_OP_CASES("Dropout", [] {
  return V{
      mk("identity", "Dropout", {}, {f32({2}, {1, 2})}, {f32({2}, {1, 2})}),
      mk("with ratio and mask", "Dropout", {}, {f32({2}, {1, 2}), f32({}, {0.5f}), b8({}, {0})},
         {f32({2}, {1, 2}), b8({2}, {1, 1})}),
  };
});

}  // namespace
}  // namespace ecoinfer::test
