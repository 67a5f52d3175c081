// Cases for the quantization ops (QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear,
// MatMulInteger, QLinearMatMul, ConvInteger, QLinearConv): hand-computed, or ONNX's own
// worked examples from its operator documentation where noted.
#include "ops/case_util.h"

namespace ecoinfer::test {
namespace {

using V = std::vector<OpCase>;

ECO_OP_CASES("QuantizeLinear", [] {
  return V{mk("uint8: half to even, saturation", "QuantizeLinear", {}, {f32({4}, {1, 2.5f, -1, 300}), f32({}, {1}), u8({}, {0})},
              {u8({4}, {1, 2, 0, 255})}),
           mk("int8 zero point", "QuantizeLinear", {}, {f32({3}, {-1.5f, 1.5f, -300}), f32({}, {1}), i8({}, {0})},
              {i8({3}, {-2, 2, -128})}),
           mk("no zero point: uint8", "QuantizeLinear", {}, {f32({1}, {3}), f32({}, {2})}, {u8({1}, {2})}),
           // Row 1: 3 / 2 = 1.5 -> 2, + 10; 4 / 2 = 2, + 10.
           mk("per axis 0", "QuantizeLinear", {{"axis", attr_i(0)}}, {f32({2, 2}, {1, 2, 3, 4}), f32({2}, {1, 2}), u8({2}, {0, 10})},
              {u8({2, 2}, {1, 2, 12, 12})})};
});

ECO_OP_CASES("DequantizeLinear", [] {
  return V{mk("uint8", "DequantizeLinear", {}, {u8({3}, {0, 5, 255}), f32({}, {0.5f}), u8({}, {5})}, {f32({3}, {-2.5f, 0, 125})}),
           mk("int32, no zero point", "DequantizeLinear", {}, {i32({1}, {-3}), f32({}, {2})}, {f32({1}, {-6})}),
           mk("per axis 1", "DequantizeLinear", {}, {i8({1, 2}, {4, 4}), f32({2}, {1, 0.5f}), i8({2}, {0, 2})},
              {f32({1, 2}, {4, 1})})};
});

ECO_OP_CASES("DynamicQuantizeLinear", [] {
  // ONNX's example: range [-3, 2], scale 5/255, zero point 153.
  return V{mk("ONNX's example", "DynamicQuantizeLinear", {}, {f32({6}, {0, 2, -3, -2.5f, 1.34f, 0.5f})},
              {u8({6}, {153, 255, 0, 26, 221, 179}), f32({}, {0.019607844f}), u8({}, {153})}),
           mk("all zero", "DynamicQuantizeLinear", {}, {f32({2}, {0, 0})}, {u8({2}, {0, 0}), f32({}, {0}), u8({}, {0})})};
});

ECO_OP_CASES("MatMulInteger", [] {
  // ONNX's example: A - 12 against B.
  return V{mk("ONNX's example", "MatMulInteger", {},
              {u8({4, 3}, {11, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0}), u8({3, 2}, {1, 4, 2, 5, 3, 6}), u8({}, {12}), u8({}, {0})},
              {i32({4, 2}, {-38, -83, -44, -98, -50, -113, -56, -128})}),
           mk("per-row and per-column zero points, batched", "MatMulInteger", {},
              {i8({2, 1, 1}, {3, 5}), i8({1, 2}, {2, 4}), i8({1}, {1}), i8({2}, {0, 1})}, {i32({2, 1, 2}, {4, 6, 8, 12})})};
});

ECO_OP_CASES("QLinearMatMul", [] {
  // (a - 0) @ (b - 1) = 2*0 + 4*2 = 8; * 0.5 * 2 / 4 = 2; + 10.
  return V{mk("rescale", "QLinearMatMul", {},
              {u8({1, 2}, {2, 4}), f32({}, {0.5f}), u8({}, {0}), u8({2, 1}, {1, 3}), f32({}, {2}), u8({}, {1}), f32({}, {4}),
               u8({}, {10})},
              {u8({1, 1}, {12})})};
});

ECO_OP_CASES("ConvInteger", [] {
  // ONNX's example: (x - 1) is 1..9 in 3x3, a 2x2 kernel of ones sums each window.
  return V{mk("ONNX's example", "ConvInteger", {},
              {u8({1, 1, 3, 3}, {2, 3, 4, 5, 6, 7, 8, 9, 10}), u8({1, 1, 2, 2}, {1, 1, 1, 1}), u8({}, {1})},
              {i32({1, 1, 2, 2}, {12, 16, 24, 28})})};
});

ECO_OP_CASES("QLinearConv", [] {
  // x - 1 = (2, 4); * w 2 = (4, 8); + B 2 = (6, 10); * 0.5 * 0.25 / 0.25 = (3, 5); + 3.
  return V{mk("1x1 kernel with bias", "QLinearConv", {},
              {u8({1, 1, 1, 2}, {3, 5}), f32({}, {0.5f}), u8({}, {1}), i8({1, 1, 1, 1}, {2}), f32({1}, {0.25f}), i8({1}, {0}),
               f32({}, {0.25f}), u8({}, {3}), i32({1}, {2})},
              {u8({1, 1, 1, 2}, {6, 8})})};
});

}  // namespace
}  // namespace ecoinfer::test
