// Cases for every path of the fast elementwise, pooling and copy kernels
// (kernels/avx512/{binary,relu,batchnorm}_f32_avx512.cpp, kernels/dnnl/pool2d_f32_dnnl.cpp,
// kernels/portable/{split,slice}_copy.cpp): each broadcast layout, lengths that are not
// multiples of 16, tensors above the 4 Mi-element threshold of the threaded path
// (kernels/parallel_range.h; one such case per kernel, they cost ~0.1 s each), and
// shapes the kernels must leave to the reference. Budget 0 where the kernel computes what the
// reference computes, operation for operation (arithmetic, Relu, BatchNorm, max, copies).
#include "ops/case_util.h"

namespace ecoinfer::test {
namespace {

using V = std::vector<OpCase>;

OpCase exact(const std::string& label, Node node, std::vector<Tensor> inputs, int outputs = 1) {
  OpCase c{label, std::move(node), std::move(inputs)};
  c.num_outputs = outputs;
  c.budget = 0;
  return c;
}

// The same broadcast layouts for all four arithmetic ops, plus one threaded case of shape
// `big` (each op a different layout). Divisors stay away from 0.
V binary_cases(const std::string& op, Shape big, Shape big_other) {
  auto rhs = [&](Shape s, uint32_t seed) { return op == "Div" ? random_f32(std::move(s), seed, 0.5f, 2.f) : random_f32(std::move(s), seed); };
  auto lhs = [&](Shape s, uint32_t seed) { return random_f32(std::move(s), seed, -3.f, 3.f); };
  auto c = [&](const std::string& label, Tensor a, Tensor b) { return exact(op + " " + label, make_node(op), {std::move(a), std::move(b)}); };
  return V{
      c("equal [37]", lhs({37}, 1), rhs({37}, 2)),
      c("equal [3,5,7]", lhs({3, 5, 7}, 3), rhs({3, 5, 7}, 4)),
      c("single value right [5,17] . []", lhs({5, 17}, 7), rhs({}, 8)),
      c("single value left [1] . [5,17]", rhs({1}, 9), rhs({5, 17}, 10)),
      c("trailing [4,7,19] . [19]", lhs({4, 7, 19}, 13), rhs({19}, 14)),
      c("trailing left [19] . [4,7,19]", rhs({19}, 15), rhs({4, 7, 19}, 16)),
      c("trailing [2,65,24] . [1,65,24] (position embedding)", lhs({2, 65, 24}, 17), rhs({1, 65, 24}, 18)),
      c("per-channel [2,5,7,9] . [5,1,1]", lhs({2, 5, 7, 9}, 21), rhs({5, 1, 1}, 22)),
      c("per-channel left [1,5,1,1] . [2,5,7,9]", rhs({1, 5, 1, 1}, 23), rhs({2, 5, 7, 9}, 24)),
      c("leading block [3,10,23] . [3,10,1] (LayerNorm)", lhs({3, 10, 23}, 27), rhs({3, 10, 1}, 28)),
      c("reference: both broadcast [4,1] . [1,5]", lhs({4, 1}, 31), rhs({1, 5}, 32)),
      c("batched [2,3,4] . [2,1,4]", lhs({2, 3, 4}, 33), rhs({2, 1, 4}, 34)),
      c("batched [2,5,6,19] . [2,1,1,19] (NHWC excitation gate)", lhs({2, 5, 6, 19}, 37), rhs({2, 1, 1, 19}, 38)),
      c("batched left [3,1,1,33] . [3,4,2,33]", rhs({3, 1, 1, 33}, 39), rhs({3, 4, 2, 33}, 40)),
      c("reference: varying blocks without the leading axis [2,3,4,5] . [1,3,1,5]", lhs({2, 3, 4, 5}, 41), rhs({1, 3, 1, 5}, 42)),
      c("threaded " + shape_str(big) + " . " + shape_str(big_other), lhs(big, 35), rhs(big_other, 36)),
      c("threaded batched [4,64,130,128] . [4,1,1,128]", lhs({4, 64, 130, 128}, 43), rhs({4, 1, 1, 128}, 44)),
  };
}

ECO_OP_CASES("Add", [] { return binary_cases("Add", {4, 1024, 1025}, {4, 1024, 1025}); });
ECO_OP_CASES("Sub", [] { return binary_cases("Sub", {4100, 1025}, {4100, 1}); });
ECO_OP_CASES("Mul", [] { return binary_cases("Mul", {2, 64, 180, 183}, {64, 1, 1}); });
ECO_OP_CASES("Div", [] { return binary_cases("Div", {4100, 1025}, {1025}); });

ECO_OP_CASES("Relu", [] {
  // NaN and -0 give +0 (the reference's x > 0 ? x : 0).
  Tensor special = random_f32({37}, 1);
  float* p = special.data<float>();
  p[0] = kNaN;
  p[1] = -kInf;
  p[2] = -0.f;
  p[36] = kNaN;
  return V{exact("NaN, -inf, -0 and a tail [37]", make_node("Relu"), {special}),
           exact("threaded [4100,1025]", make_node("Relu"), {random_f32({4100, 1025}, 2)})};
});

ECO_OP_CASES("Clip", [] {
  // ReLU6 as MobileNets export it (bounds as inputs), NaN, -0 and infinities kept as the
  // reference keeps them, a tail of 37, and the threaded path.
  Tensor special = random_f32({37}, 3, -9, 9);
  float* p = special.data<float>();
  p[0] = kNaN;
  p[1] = -kInf;
  p[2] = -0.f;
  p[3] = kInf;
  Tensor lo = f32({}, {0}), hi = f32({}, {6});
  return V{exact("ReLU6 with NaN, +-inf, -0, tail [37]", make_node("Clip"), {special, lo, hi}),
           exact("lower bound only [2,5,7]", make_node("Clip"), {random_f32({2, 5, 7}, 4, -3, 3), f32({}, {-0.5f})}),
           exact("threaded ReLU6 [4100,1025]", make_node("Clip"), {random_f32({4100, 1025}, 5, -9, 9), lo, hi})};
});

ECO_OP_CASES("Sigmoid", [] {
  // Both tails (+-100, +-inf), NaN, zero, a tail of 37 lanes, and the threaded path; the
  // vector exp is within a few ulp, far inside the 1e-5 budget.
  Tensor special = random_f32({37}, 6, -12, 12);
  float* p = special.data<float>();
  p[0] = kNaN;
  p[1] = -kInf;
  p[2] = kInf;
  p[3] = -100.f;
  p[4] = 100.f;
  p[5] = 0.f;
  OpCase edge{"NaN, +-inf, +-100, 0, tail [37]", make_node("Sigmoid"), {special}};
  OpCase wide{"threaded [300,1000]", make_node("Sigmoid"), {random_f32({300, 1000}, 7, -20, 20)}};
  return V{edge, wide};
});

ECO_OP_CASES("ReduceMean", [] {
  // One contiguous block of axes (f32-reduce-mean-block): double sums in input order, so
  // bitwise the reference. Non-contiguous axes stay on the reference.
  auto mean = [](const std::string& label, Tensor x, std::vector<int64_t> axes, int64_t keepdims) {
    return exact(label, make_node("ReduceMean", {{"axes", attr_ints(std::move(axes))}, {"keepdims", attr_i(keepdims)}, {"_opset", attr_i(13)}}),
                 {std::move(x)});
  };
  return V{mean("NHWC global average pool [2,5,7,19] over H, W", random_f32({2, 5, 7, 19}, 31), {1, 2}, 1),
           mean("last axis [3,4,33], no keepdims", random_f32({3, 4, 33}, 32), {-1}, 0),
           mean("leading axis [6,2,3]", random_f32({6, 2, 3}, 33), {0}, 1),
           mean("threaded [64,40,40,32] over H, W", random_f32({64, 40, 40, 32}, 34), {1, 2}, 1),
           mean("axes 0 and 2 (reference)", random_f32({3, 4, 5}, 35), {0, 2}, 1)};
});

ECO_OP_CASES("BatchNormalization", [] {
  auto bn = [](const std::string& label, Shape x, uint32_t seed) {
    const int64_t ch = x[1];
    return exact(label, make_node("BatchNormalization", {{"epsilon", attr_f(1e-3f)}}),
                 {random_f32(x, seed), random_f32({ch}, seed + 1), random_f32({ch}, seed + 2), random_f32({ch}, seed + 3),
                  random_f32({ch}, seed + 4, 0.1f, 3.f)});
  };
  return V{bn("[2,5,7,9] (rows of 63)", {2, 5, 7, 9}, 1), bn("rank 3 [3,4,5]", {3, 4, 5}, 10),
           bn("rank 2 [4,3]", {4, 3}, 20), bn("threaded [2,64,180,183]", {2, 64, 180, 183}, 30)};
});

Node pool(const std::string& op, std::vector<int64_t> k, std::map<std::string, Attribute> more = {}) {
  more["kernel_shape"] = attr_ints(std::move(k));
  return make_node(op, std::move(more));
}

ECO_OP_CASES("MaxPool", [] {
  return V{
      exact("2x2 s2 (MNIST) [4,8,28,28]", pool("MaxPool", {2, 2}, {{"strides", attr_ints({2, 2})}}), {random_f32({4, 8, 28, 28}, 1)}),
      exact("3x3 s1 p1 [1,3,7,11]", pool("MaxPool", {3, 3}, {{"pads", attr_ints({1, 1, 1, 1})}}), {random_f32({1, 3, 7, 11}, 2)}),
      exact("3x3 s2 asymmetric pads [2,3,9,8]",
            pool("MaxPool", {3, 3}, {{"strides", attr_ints({2, 2})}, {"pads", attr_ints({0, 1, 1, 0})}}), {random_f32({2, 3, 9, 8}, 3)}),
      exact("2x2 s2 ceil_mode overhang [1,2,7,9]",
            pool("MaxPool", {2, 2}, {{"strides", attr_ints({2, 2})}, {"ceil_mode", attr_i(1)}}), {random_f32({1, 2, 7, 9}, 4)}),
      exact("3x3 s2 p1 ceil_mode [1,2,10,10]",
            pool("MaxPool", {3, 3}, {{"strides", attr_ints({2, 2})}, {"pads", attr_ints({1, 1, 1, 1})}, {"ceil_mode", attr_i(1)}}),
            {random_f32({1, 2, 10, 10}, 5)}),
      exact("3x3 dilation 2 p1 [1,2,11,11]", pool("MaxPool", {3, 3}, {{"dilations", attr_ints({2, 2})}, {"pads", attr_ints({1, 1, 1, 1})}}),
            {random_f32({1, 2, 11, 11}, 6)}),
      exact("SAME_UPPER 3x3 s2 [1,2,9,10]", pool("MaxPool", {3, 3}, {{"strides", attr_ints({2, 2})}, {"auto_pad", attr_s("SAME_UPPER")}}),
            {random_f32({1, 2, 9, 10}, 7)}),
      exact("SAME_LOWER 2x2 [1,2,5,6]", pool("MaxPool", {2, 2}, {{"auto_pad", attr_s("SAME_LOWER")}}), {random_f32({1, 2, 5, 6}, 8)}),
      exact("1-D k3 s2 p1 [2,3,20]", pool("MaxPool", {3}, {{"strides", attr_ints({2})}, {"pads", attr_ints({1, 1})}}), {random_f32({2, 3, 20}, 9)}),
      exact("reference: dilated window larger than the input [1,1,3,3]", pool("MaxPool", {2, 2}, {{"dilations", attr_ints({3, 3})}, {"pads", attr_ints({2, 2, 2, 2})}}),
            {random_f32({1, 1, 3, 3}, 10)}),
  };
});

ECO_OP_CASES("AveragePool", [] {
  auto avg = [](const std::string& label, Node n, Shape x, uint32_t seed) { return OpCase{label, std::move(n), {random_f32(std::move(x), seed)}}; };
  return V{
      avg("3x3 s1 p1 pads excluded [2,3,8,8]", pool("AveragePool", {3, 3}, {{"pads", attr_ints({1, 1, 1, 1})}}), {2, 3, 8, 8}, 1),
      avg("3x3 s1 p1 pads included [2,3,8,8]",
          pool("AveragePool", {3, 3}, {{"pads", attr_ints({1, 1, 1, 1})}, {"count_include_pad", attr_i(1)}}), {2, 3, 8, 8}, 2),
      avg("3x3 s2 asymmetric pads included [1,2,7,7]",
          pool("AveragePool", {3, 3}, {{"strides", attr_ints({2, 2})}, {"pads", attr_ints({0, 1, 2, 0})}, {"count_include_pad", attr_i(1)}}),
          {1, 2, 7, 7}, 3),
      avg("reference: ceil_mode overhang with pads included [1,2,8,8]",
          pool("AveragePool", {3, 3}, {{"strides", attr_ints({2, 2})}, {"pads", attr_ints({1, 1, 1, 1})}, {"ceil_mode", attr_i(1)}, {"count_include_pad", attr_i(1)}}),
          {1, 2, 8, 8}, 4),
      avg("2x2 s2 ceil_mode overhang excluded [1,3,7,9]",
          pool("AveragePool", {2, 2}, {{"strides", attr_ints({2, 2})}, {"ceil_mode", attr_i(1)}}), {1, 3, 7, 9}, 5),
      avg("1-D k4 s3 ceil_mode [2,3,17]", pool("AveragePool", {4}, {{"strides", attr_ints({3})}, {"ceil_mode", attr_i(1)}}), {2, 3, 17}, 6),
      avg("2x2 dilation 2 (opset 19) [1,2,9,9]", pool("AveragePool", {2, 2}, {{"dilations", attr_ints({2, 2})}}), {1, 2, 9, 9}, 7),
      avg("SAME_UPPER 3x3 s2 [2,4,10,9]", pool("AveragePool", {3, 3}, {{"strides", attr_ints({2, 2})}, {"auto_pad", attr_s("SAME_UPPER")}}),
          {2, 4, 10, 9}, 8),
  };
});

ECO_OP_CASES("GlobalAveragePool", [] {
  auto gap = [](const std::string& label, Shape x, uint32_t seed) {
    return OpCase{label, make_node("GlobalAveragePool"), {random_f32(std::move(x), seed)}};
  };
  return V{gap("rank 4 [2,7,5,3]", {2, 7, 5, 3}, 1), gap("rank 3 [3,16,20]", {3, 16, 20}, 2),
           gap("rank 5 [2,4,3,3,3]", {2, 4, 3, 3, 3}, 3), gap("ResNet-20 head [32,64,8,8]", {32, 64, 8, 8}, 4)};
});

ECO_OP_CASES("Split", [] {
  auto split = [](const std::string& label, Tensor x, int64_t axis, std::vector<int64_t> sizes) {
    const int outputs = static_cast<int>(sizes.size());
    return exact(label, make_node("Split", {{"axis", attr_i(axis)}}), {std::move(x), i64({outputs}, std::move(sizes))}, outputs);
  };
  Tensor ints = Tensor::empty(DType::i64, {6, 10});
  for (int64_t i = 0; i < 60; ++i) ints.data<int64_t>()[i] = i * 7 - 100;
  return V{
      split("axis 0 uneven [7,5,3] -> 2,5", random_f32({7, 5, 3}, 1), 0, {2, 5}),
      split("middle axis uneven [4,9,6] -> 2,3,4", random_f32({4, 9, 6}, 2), 1, {2, 3, 4}),
      split("last axis uneven [10,13] -> 4,9", random_f32({10, 13}, 3), -1, {4, 9}),
      split("with an empty piece [3,8] -> 0,5,3", random_f32({3, 8}, 4), 1, {0, 5, 3}),
      split("q,k,v [32,65,96] -> 32,32,32", random_f32({32, 65, 96}, 5), 2, {32, 32, 32}),
      split("threaded [4100,1025] -> 300,725", random_f32({4100, 1025}, 7), 1, {300, 725}),
      split("int64 last axis [6,10] -> 3,7", ints, 1, {3, 7}),
      exact("num_outputs 3 uneven (opset 18) [2,11]", make_node("Split", {{"axis", attr_i(1)}, {"num_outputs", attr_i(3)}}),
            {random_f32({2, 11}, 6)}, 3),
  };
});

ECO_OP_CASES("Slice", [] {
  auto slice = [](const std::string& label, Tensor x, std::vector<int64_t> starts, std::vector<int64_t> ends,
                  std::vector<int64_t> axes, std::vector<int64_t> steps = {}) {
    const int64_t k = static_cast<int64_t>(starts.size());
    std::vector<Tensor> in{std::move(x), i64({k}, std::move(starts)), i64({k}, std::move(ends)), i64({k}, std::move(axes))};
    if (!steps.empty()) in.push_back(i64({k}, std::move(steps)));
    return exact(label, make_node("Slice"), std::move(in));
  };
  Tensor ints = Tensor::empty(DType::i64, {5, 9});
  for (int64_t i = 0; i < 45; ++i) ints.data<int64_t>()[i] = i * 3 - 50;
  Tensor bytes = Tensor::empty(DType::u8, {4, 13});
  for (int64_t i = 0; i < 52; ++i) bytes.data<uint8_t>()[i] = static_cast<uint8_t>(i * 5);
  return V{
      slice("two inner axes, step 1 [4,10,12]", random_f32({4, 10, 12}, 1), {1, 2}, {3, 11}, {1, 2}),
      slice("negative start to INT64_MAX [5,12]", random_f32({5, 12}, 2), {-3}, {kI64Max}, {1}),
      slice("negative starts and ends [6,12]", random_f32({6, 12}, 3), {-4, -10}, {-1, -2}, {0, 1}),
      slice("outer step 3, rows whole [9,8,6]", random_f32({9, 8, 6}, 4), {1}, {9}, {0}, {3}),
      slice("innermost step 3 [6,10]", random_f32({6, 10}, 5), {1}, {10}, {1}, {3}),
      slice("middle step 2, runs of 5 [6,8,5]", random_f32({6, 8, 5}, 6), {0}, {8}, {1}, {2}),
      slice("ResNet shortcut ::2, ::2 [32,16,32,32]", random_f32({32, 16, 32, 32}, 7), {0, 0}, {32, 32}, {2, 3}, {2, 2}),
      slice("threaded innermost step 2 [4100,2050]", random_f32({4100, 2050}, 11), {1}, {kI64Max}, {1}, {2}),
      slice("whole tensor [3,7]", random_f32({3, 7}, 8), {0}, {kI64Max}, {0}),
      slice("threaded rows [4200,1100]", random_f32({4200, 1100}, 9), {50}, {-50}, {1}),
      slice("int64 innermost step 2 [5,9]", ints, {1, 0}, {5, 9}, {0, 1}, {2, 2}),
      slice("uint8 innermost step 4 [4,13]", bytes, {2}, {13}, {1}, {4}),
      slice("reference: negative step [4,6]", random_f32({4, 6}, 10), {-1}, {kI64Min}, {1}, {-2}),
  };
});

}  // namespace
}  // namespace ecoinfer::test
