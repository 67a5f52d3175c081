// Cases for the remaining ops added for ONNX conformance (issue 17): Det, ReverseSequence,
// BitShift, MaxUnpool, the window functions, Einsum, GridSample, Unique, NonMaxSuppression,
// and MaxPool's Indices output and uint8 input. Hand-computed.
#include "ops/case_util.h"

namespace ecoinfer::test {
namespace {

using V = std::vector<OpCase>;

ECO_OP_CASES("Det", [] {
  return V{mk("2x2 and a row swap", "Det", {}, {f32({2, 2, 2}, {1, 2, 3, 4, 0, 1, 1, 0})}, {f32({2}, {-2, -1})}),
           mk("singular 3x3, double", "Det", {}, {f64({3, 3}, {1, 2, 3, 2, 4, 6, 0, 1, 5})}, {f64({}, {0})})};
});

ECO_OP_CASES("ReverseSequence", [] {
  // time_axis 0, batch_axis 1: column b reverses its first lens[b] rows.
  return V{mk("time-major", "ReverseSequence", {}, {f32({3, 2}, {1, 4, 2, 5, 3, 6}), i64({2}, {3, 2})},
              {f32({3, 2}, {3, 5, 2, 4, 1, 6})}),
           mk("batch-major", "ReverseSequence", {{"batch_axis", attr_i(0)}, {"time_axis", attr_i(1)}},
              {f32({2, 3, 1}, {1, 2, 3, 4, 5, 6}), i64({2}, {1, 3})}, {f32({2, 3, 1}, {1, 2, 3, 6, 5, 4})})};
});

ECO_OP_CASES("BitShift", [] {
  return V{mk("left, overflow and width", "BitShift", {{"direction", attr_s("LEFT")}}, {u8({3}, {1, 200, 1}), u8({3}, {3, 1, 8})},
              {u8({3}, {8, 144, 0})}),
           mk("right, broadcast", "BitShift", {{"direction", attr_s("RIGHT")}}, {u8({2}, {16, 255}), u8({1}, {2})},
              {u8({2}, {4, 63})})};
});

ECO_OP_CASES("MaxUnpool", [] {
  return V{mk("kernel 2 stride 2", "MaxUnpool", {{"kernel_shape", attr_ints({2, 2})}, {"strides", attr_ints({2, 2})}},
              {f32({1, 1, 1, 2}, {5, 6}), i64({1, 1, 1, 2}, {1, 7})}, {f32({1, 1, 2, 4}, {0, 5, 0, 0, 0, 0, 0, 6})}),
           // Positions 1 and 7 of the unpooled 2 x 4 are (0, 1) and (1, 3): 1 and 8 in a 3 x 5 output.
           mk("output_shape input keeps coordinates", "MaxUnpool", {{"kernel_shape", attr_ints({2, 2})}, {"strides", attr_ints({2, 2})}},
              {f32({1, 1, 1, 2}, {5, 6}), i64({1, 1, 1, 2}, {1, 7}), i64({4}, {1, 1, 3, 5})},
              {f32({1, 1, 3, 5}, {0, 5, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0})})};
});

ECO_OP_CASES("HannWindow", [] {
  return V{mk("periodic 4", "HannWindow", {}, {i64({}, {4})}, {f32({4}, {0, 0.5f, 1, 0.5f})}),
           mk("symmetric 3, double", "HannWindow", {{"periodic", attr_i(0)}, {"output_datatype", attr_i(11)}}, {i32({}, {3})},
              {f64({3}, {0, 1, 0})})};
});
ECO_OP_CASES("HammingWindow", [] {
  // 25/46 - 21/46 cos(2 pi n / 4): 4/46, 25/46, 46/46, 25/46.
  return V{mk("periodic 4", "HammingWindow", {}, {i64({}, {4})}, {f32({4}, {4.f / 46, 25.f / 46, 1, 25.f / 46})})};
});
ECO_OP_CASES("BlackmanWindow", [] {
  // 0.42 - 0.5 cos + 0.08 cos(2x) at x = 0, pi/2, pi, 3pi/2.
  return V{mk("periodic 4", "BlackmanWindow", {}, {i64({}, {4})}, {f32({4}, {0, 0.34f, 1, 0.34f})})};
});

ECO_OP_CASES("Einsum", [] {
  const Tensor a = f32({2, 2}, {1, 2, 3, 4});
  return V{mk("matmul", "Einsum", {{"equation", attr_s("ij,jk->ik")}}, {a, f32({2, 1}, {1, 1})}, {f32({2, 1}, {3, 7})}),
           mk("transpose, implicit output", "Einsum", {{"equation", attr_s("ji")}}, {a}, {f32({2, 2}, {1, 3, 2, 4})}),
           mk("trace (repeated label)", "Einsum", {{"equation", attr_s("ii->")}}, {a}, {f32({}, {5})}),
           mk("batched diagonal with ellipsis", "Einsum", {{"equation", attr_s("...ii->...i")}},
              {f32({2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8})}, {f32({2, 2}, {1, 4, 5, 8})}),
           mk("inner product, int64", "Einsum", {{"equation", attr_s("i,i")}}, {i64({3}, {1, 2, 3}), i64({3}, {4, 5, 6})},
              {i64({}, {32})})};
});

ECO_OP_CASES("GridSample", [] {
  // X = [[1, 2], [3, 4]]. align_corners: -1 and 1 are the corner pixel centres.
  const Tensor x = f32({1, 1, 2, 2}, {1, 2, 3, 4});
  const Tensor grid = f32({1, 1, 3, 2}, {-1, -1, 0, 0, 1, 1});
  return V{mk("bilinear, align_corners", "GridSample", {{"align_corners", attr_i(1)}}, {x, grid}, {f32({1, 1, 1, 3}, {1, 2.5f, 4})}),
           // Without align_corners -1 is the outer edge, half a pixel out: zeros padding halves the corner.
           mk("bilinear, zeros padding", "GridSample", {}, {x, f32({1, 1, 1, 2}, {-1, -1})}, {f32({1, 1, 1, 1}, {0.25f})}),
           mk("bilinear, border padding", "GridSample", {{"padding_mode", attr_s("border")}}, {x, f32({1, 1, 1, 2}, {-1, -1})},
              {f32({1, 1, 1, 1}, {1})}),
           mk("nearest", "GridSample", {{"mode", attr_s("nearest")}, {"align_corners", attr_i(1)}},
              {x, f32({1, 1, 2, 2}, {0.9f, -0.9f, -0.9f, 0.9f})}, {f32({1, 1, 1, 2}, {2, 3})}),
           mk("bicubic runs", "GridSample", {{"mode", attr_s("bicubic")}, {"padding_mode", attr_s("reflection")}},
              {random_f32({1, 2, 4, 5}, 21), random_f32({1, 3, 2, 2}, 22, -1.2f, 1.2f)}, {})};
});

ECO_OP_CASES("Unique", [] {
  const Tensor x = f32({6}, {2, 1, 1, 3, 4, 3});
  return V{mk("sorted", "Unique", {}, {x},
              {f32({4}, {1, 2, 3, 4}), i64({4}, {1, 0, 3, 4}), i64({6}, {1, 0, 0, 2, 3, 2}), i64({4}, {2, 1, 2, 1})}),
           mk("first appearance", "Unique", {{"sorted", attr_i(0)}}, {x},
              {f32({4}, {2, 1, 3, 4}), i64({4}, {0, 1, 3, 4}), i64({6}, {0, 1, 1, 2, 3, 2}), i64({4}, {1, 2, 2, 1})}),
           mk("rows (axis 0)", "Unique", {{"axis", attr_i(0)}}, {i64({3, 2}, {1, 0, 0, 1, 1, 0})},
              {i64({2, 2}, {0, 1, 1, 0}), i64({2}, {1, 0}), i64({3}, {1, 0, 1}), i64({2}, {1, 2})})};
});

ECO_OP_CASES("NonMaxSuppression", [] {
  // Boxes 0 and 1 overlap with IoU 0.81; box 2 is apart. Scores 0.9, 0.8, 0.7.
  const Tensor boxes = f32({1, 3, 4}, {0, 0, 1, 1, 0, 0.1f, 1, 1.1f, 0, 10, 1, 11});
  const Tensor scores = f32({1, 1, 3}, {0.9f, 0.8f, 0.7f});
  return V{mk("suppress by IoU", "NonMaxSuppression", {}, {boxes, scores, i64({1}, {3}), f32({1}, {0.5f})},
              {i64({2, 3}, {0, 0, 0, 0, 0, 2})}),
           mk("limit and score threshold", "NonMaxSuppression", {},
              {boxes, scores, i64({1}, {1}), f32({1}, {0.9f}), f32({1}, {0.85f})}, {i64({1, 3}, {0, 0, 0})}),
           mk("center boxes, flipped corners keep", "NonMaxSuppression", {{"center_point_box", attr_i(1)}},
              {f32({1, 2, 4}, {0.5f, 0.5f, 1, 1, 5, 5, 1, 1}), f32({1, 1, 2}, {0.1f, 0.2f}), i64({1}, {5})},
              {i64({2, 3}, {0, 0, 1, 0, 0, 0})})};
});

ECO_OP_CASES("MaxPool", [] {
  const Tensor x = f32({1, 1, 2, 3}, {1, 5, 2, 4, 3, 6});
  const std::map<std::string, Attribute> k2 = {{"kernel_shape", attr_ints({2, 2})}};
  auto col = k2;
  col["storage_order"] = attr_i(1);
  return V{mk("Indices, row-major", "MaxPool", k2, {x}, {f32({1, 1, 1, 2}, {5, 6}), i64({1, 1, 1, 2}, {1, 5})}),
           // Column-major within the 2 x 3 plane: (h, w) is at w * 2 + h.
           mk("Indices, storage_order 1", "MaxPool", col, {x}, {f32({1, 1, 1, 2}, {5, 6}), i64({1, 1, 1, 2}, {2, 5})}),
           mk("uint8", "MaxPool", k2, {u8({1, 1, 2, 2}, {7, 250, 3, 9})}, {u8({1, 1, 1, 1}, {250})})};
});

}  // namespace
}  // namespace ecoinfer::test
