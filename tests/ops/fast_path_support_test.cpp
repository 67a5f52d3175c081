// The fast elementwise, pooling and copy kernels take the layouts they were written for and
// leave the rest to the reference (supports() false); fast_path_cases.cpp checks their results.
#include <gtest/gtest.h>

#include "ops/case_util.h"

namespace ecoinfer::test {
namespace {

// Whether kernel `name` of `op` accepts the inputs.
bool takes(const std::string& op, const std::string& name, Node n, const std::vector<Tensor>& inputs, int outputs = 1) {
  const OpSchema* s = find_op("", op);
  if (!s) s = find_op(kEcoDomain, op);  // fused ops of the compile pipeline
  EXPECT_NE(s, nullptr) << op;
  if (!s) return false;
  n.domain = s->domain;
  std::vector<const Tensor*> ptrs;
  for (size_t i = 0; i < inputs.size(); ++i) {
    n.inputs.push_back(inputs[i].defined() ? "in" + std::to_string(i) : "");
    ptrs.push_back(inputs[i].defined() ? &inputs[i] : nullptr);
  }
  for (int o = 0; o < outputs; ++o) n.outputs.push_back("out" + std::to_string(o));
  std::shared_ptr<void> state;
  OpContext ctx{n, ptrs, 1, &state};
  for (const KernelImpl& k : s->fast)
    if (k.name == name) return k.available() && k.supports(ctx);
  ADD_FAILURE() << op << " has no kernel " << name;
  return false;
}

Node pool_node(const std::string& op, std::map<std::string, Attribute> attrs) { return make_node(op, std::move(attrs)); }

TEST(FastPathSupport, BinaryBroadcastLayouts) {
  if (!cpu_has(CpuFeature::avx512f)) GTEST_SKIP() << "no AVX-512";
  auto add = [](Shape a, Shape b) {
    return takes("Add", "f32-add-broadcast-avx512", make_node("Add"), {random_f32(a, 1), random_f32(b, 2)});
  };
  EXPECT_TRUE(add({2, 3}, {2, 3}));
  EXPECT_TRUE(add({}, {4, 5}));
  EXPECT_TRUE(add({2, 65, 8}, {1, 65, 8}));
  EXPECT_TRUE(add({2, 5, 3, 3}, {5, 1, 1}));
  EXPECT_TRUE(add({2, 7, 8}, {2, 7, 1}));
  EXPECT_FALSE(add({4, 1}, {1, 5}));        // both operands broadcast
  EXPECT_TRUE(add({2, 3, 4}, {2, 1, 4}));   // leading and trailing blocks (batched form)
  EXPECT_TRUE(add({2, 5, 6, 7}, {2, 1, 1, 7}));
  EXPECT_FALSE(add({2, 3, 4, 5}, {1, 3, 1, 5}));  // varying blocks without the leading axis
  EXPECT_TRUE(add({2, 3, 4}, {2, 1, 1}));   // one value per leading index (plain form)
  EXPECT_FALSE(add({2, 3}, {4}));           // not broadcastable: the reference reports it
  EXPECT_FALSE(add({0, 3}, {3}));           // empty
  EXPECT_FALSE(takes("Add", "f32-add-broadcast-avx512", make_node("Add"), {i64({2}, {1, 2}), i64({2}, {3, 4})}));
}

TEST(FastPathSupport, PoolingMapsExactlyOrNotAtAll) {
  auto k = [](std::vector<int64_t> v) { return attr_ints(std::move(v)); };
  const Tensor x = random_f32({1, 2, 8, 8}, 1);
  EXPECT_TRUE(takes("MaxPool", "f32-maxpool2d-dnnl", pool_node("MaxPool", {{"kernel_shape", k({2, 2})}}), {x}));
  // The Indices output is not computed.
  EXPECT_FALSE(takes("MaxPool", "f32-maxpool2d-dnnl", pool_node("MaxPool", {{"kernel_shape", k({2, 2})}}), {x}, 2));
  // ceil_mode overhang: fine when padding is excluded, not when it is counted.
  std::map<std::string, Attribute> ceil{{"kernel_shape", k({3, 3})}, {"strides", k({2, 2})}, {"pads", k({1, 1, 1, 1})},
                                        {"ceil_mode", attr_i(1)}};
  EXPECT_TRUE(takes("AveragePool", "f32-avgpool2d-dnnl", pool_node("AveragePool", ceil), {x}));
  ceil["count_include_pad"] = attr_i(1);
  EXPECT_FALSE(takes("AveragePool", "f32-avgpool2d-dnnl", pool_node("AveragePool", ceil), {x}));
  // Pads as large as the window would give windows with no input element.
  EXPECT_FALSE(takes("MaxPool", "f32-maxpool2d-dnnl", pool_node("MaxPool", {{"kernel_shape", k({2, 2})}, {"pads", k({2, 0, 0, 0})}}), {x}));
  // A dilated window larger than the input.
  EXPECT_FALSE(takes("MaxPool", "f32-maxpool2d-dnnl",
                     pool_node("MaxPool", {{"kernel_shape", k({3, 3})}, {"dilations", k({4, 4})}, {"pads", k({4, 4, 4, 4})}}), {x}));
  // storage_order orders the Indices output only: without it the values are the same.
  EXPECT_TRUE(takes("MaxPool", "f32-maxpool2d-dnnl", pool_node("MaxPool", {{"kernel_shape", k({2, 2})}, {"storage_order", attr_i(1)}}), {x}));
  EXPECT_TRUE(takes("GlobalAveragePool", "f32-globalavgpool-dnnl", make_node("GlobalAveragePool"), {x}));
}

TEST(FastPathSupport, CopiesLeaveNegativeStepsAndErrorsToTheReference) {
  const Tensor x = random_f32({4, 6}, 1);
  EXPECT_TRUE(takes("Slice", "any-slice-runcopy", make_node("Slice"), {x, i64({1}, {1}), i64({1}, {5}), i64({1}, {1}), i64({1}, {2})}));
  EXPECT_FALSE(takes("Slice", "any-slice-runcopy", make_node("Slice"), {x, i64({1}, {-1}), i64({1}, {0}), i64({1}, {1}), i64({1}, {-1})}));
  EXPECT_FALSE(takes("Slice", "any-slice-runcopy", make_node("Slice"), {x, i64({1}, {3}), i64({1}, {1})}));  // empty result
  EXPECT_FALSE(takes("Slice", "any-slice-runcopy", make_node("Slice"), {x, i64({1}, {0}), i64({1}, {1}), i64({1}, {0}), i64({1}, {0})}));
  EXPECT_TRUE(takes("Split", "any-split-rowcopy", make_node("Split", {{"axis", attr_i(1)}}), {x, i64({2}, {2, 4})}, 2));
  EXPECT_FALSE(takes("Split", "any-split-rowcopy", make_node("Split", {{"axis", attr_i(1)}}), {x, i64({2}, {2, 3})}, 2));
}

// The trap of issue 12: a residual must have the output's shape (oneDNN's sum post-op does
// not broadcast); a per-channel Add is folded into the bias by the pass instead.
TEST(FastPathSupport, ConvTakesFloat2dWithMatchingBiasAndResidual) {
  const Tensor x = random_f32({1, 4, 6, 6}, 1), w = random_f32({8, 4, 3, 3}, 2), b = random_f32({8}, 3);
  auto conv = [](std::map<std::string, Attribute> a = {}) { return make_node("Conv", std::move(a)); };
  auto fused = [](std::string act) {
    std::map<std::string, Attribute> a;
    if (!act.empty()) a["activation"] = attr_s(act);
    return make_node("FusedConv", std::move(a));
  };
  EXPECT_TRUE(takes("Conv", "f32-conv2d-dnnl", conv(), {x, w}));
  EXPECT_TRUE(takes("Conv", "f32-conv2d-dnnl", conv(), {x, w, b}));
  EXPECT_FALSE(takes("Conv", "f32-conv2d-dnnl", conv(), {x, w, random_f32({4}, 4)}));          // bias length
  EXPECT_FALSE(takes("Conv", "f32-conv2d-dnnl", conv(), {random_f32({1, 4, 6}, 5), random_f32({8, 4, 3}, 6)}));  // 1-D
  EXPECT_FALSE(takes("Conv", "f32-conv2d-dnnl", conv(), {random_f32({0, 4, 6, 6}, 7), w}));  // empty batch
  EXPECT_FALSE(takes("Conv", "f32-conv2d-dnnl", conv(), {i64({1, 1, 1, 1}, {1}), i64({1, 1, 1, 1}, {1})}));
  EXPECT_TRUE(takes("FusedConv", "f32-conv2d-postops-dnnl", fused("Relu"), {x, w, b, random_f32({1, 8, 4, 4}, 8)}));
  EXPECT_FALSE(takes("FusedConv", "f32-conv2d-postops-dnnl", fused(""), {x, w, b, random_f32({1, 8, 1, 1}, 9)}));
  EXPECT_TRUE(takes("FusedConv", "f32-conv2d-postops-dnnl", fused("HardSwish"), {x, w, b}));
  EXPECT_FALSE(takes("FusedConv", "f32-conv2d-postops-dnnl", fused("Tanh"), {x, w, b}));  // no such post-op here
}

TEST(FastPathSupport, LinearTakesFloatRowsAgainstA2dWeight) {
  const Tensor x = random_f32({2, 3, 4}, 1), w = random_f32({4, 5}, 2);
  auto lin = [](std::string act) {
    std::map<std::string, Attribute> a;
    if (!act.empty()) a["activation"] = attr_s(act);
    return make_node("FusedLinear", std::move(a));
  };
  const std::string k = "f32-linear-matmul-postops-dnnl";
  EXPECT_TRUE(takes("FusedLinear", k, lin(""), {x, w}));
  EXPECT_TRUE(takes("FusedLinear", k, lin("Gelu"), {x, w, random_f32({5}, 3)}));
  EXPECT_FALSE(takes("FusedLinear", k, lin(""), {x, w, random_f32({4}, 3)}));      // bias length
  EXPECT_FALSE(takes("FusedLinear", k, lin(""), {x, random_f32({5, 4}, 4)}));      // inner dimensions differ
  EXPECT_FALSE(takes("FusedLinear", k, lin(""), {x, random_f32({1, 4, 5}, 5)}));   // batched weight
  EXPECT_FALSE(takes("FusedLinear", k, lin("Tanh"), {x, w}));
  EXPECT_FALSE(takes("FusedLinear", k, lin(""), {random_f32({0, 4}, 6), w}));
}

TEST(FastPathSupport, Int8MatMulNeedsVnniInt8WeightAndScale) {
  if (!cpu_has(CpuFeature::avx512_vnni)) GTEST_SKIP() << "no AVX-512 VNNI";
  const std::string k = "int8-matmul-dynamic-avx512vnni";
  Tensor w8 = Tensor::zeros(DType::i8, {4, 3});
  const Tensor x = random_f32({2, 4}, 1), scale = random_f32({3}, 2);
  EXPECT_TRUE(takes("MatMulDynamicInt8", k, make_node("MatMulDynamicInt8"), {x, w8, scale}));
  EXPECT_FALSE(takes("MatMulDynamicInt8", k, make_node("MatMulDynamicInt8"), {x, random_f32({4, 3}, 3), scale}));
  EXPECT_FALSE(takes("MatMulDynamicInt8", k, make_node("MatMulDynamicInt8"), {x, Tensor::zeros(DType::i8, {1, 4, 3}), scale}));
  EXPECT_FALSE(takes("MatMulDynamicInt8", k, make_node("MatMulDynamicInt8"), {x, w8, Tensor()}));  // no scale
}

TEST(FastPathSupport, AttentionTakesFloatInputsOnly) {
  if (!cpu_has(CpuFeature::avx512f)) GTEST_SKIP() << "no AVX-512";
  const std::string k = "f32-attention-avx512";
  const Tensor q = random_f32({1, 5, 8}, 1);
  EXPECT_TRUE(takes("MultiHeadAttention", k, make_node("MultiHeadAttention"), {q, q, q}));
  EXPECT_FALSE(takes("MultiHeadAttention", k, make_node("MultiHeadAttention"), {q, i64({1, 5, 8}, std::vector<int64_t>(40, 1)), q}));
  EXPECT_FALSE(takes("MultiHeadAttention", k, make_node("MultiHeadAttention"), {q, Tensor(), q}));
}

}  // namespace
}  // namespace ecoinfer::test
