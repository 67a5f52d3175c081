// The fast elementwise, pooling and copy kernels take the layouts they were written for and
// leave the rest to the reference (supports() false); fast_path_cases.cpp checks their results.
#include <gtest/gtest.h>

#include "kernels/avx512/cpu_features.h"
#include "ops/case_util.h"

namespace ecoinfer::test {
namespace {

// Whether kernel `name` of `op` accepts the inputs.
bool takes(const std::string& op, const std::string& name, Node n, const std::vector<Tensor>& inputs, int outputs = 1) {
  const OpSchema* s = find_op("", op);
  EXPECT_NE(s, nullptr) << op;
  std::vector<const Tensor*> ptrs;
  for (size_t i = 0; i < inputs.size(); ++i) {
    n.inputs.push_back(inputs[i].defined() ? "in" + std::to_string(i) : "");
    ptrs.push_back(inputs[i].defined() ? &inputs[i] : nullptr);
  }
  for (int o = 0; o < outputs; ++o) n.outputs.push_back("out" + std::to_string(o));
  std::shared_ptr<void> state;
  OpContext ctx{n, ptrs, 1, &state};
  for (const KernelImpl& k : s->fast)
    if (k.name == name) return k.supports(ctx);
  ADD_FAILURE() << op << " has no kernel " << name;
  return false;
}

Node pool_node(const std::string& op, std::map<std::string, Attribute> attrs) { return make_node(op, std::move(attrs)); }

TEST(FastPathSupport, BinaryBroadcastLayouts) {
  if (!kernels::avx512::cpu_has_avx512()) GTEST_SKIP() << "no AVX-512";
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

}  // namespace
}  // namespace ecoinfer::test
