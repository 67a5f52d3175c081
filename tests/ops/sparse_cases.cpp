// Harness cases for layers the sparse tactic marks (`_weight_format` = "sparse",
// ops/weight_format.h): weights mostly zero, as after 90 % L1 pruning. The reference skips
// zero weights and accumulates in double; the sparse kernel sums the same products in fp32
// in another order, so the default fp32 budget (1e-5) holds. The shapes cover partial token
// tiles (64 tokens) and vectors (16), feature counts off the 16-column blocks, inputs off
// the 16-row transpose blocks, the kernel's row chunks, empty columns and an all-zero weight.
#include <cmath>
#include <limits>

#include "ops/op_cases.h"

namespace ecoinfer::test {
namespace {

std::map<std::string, Attribute> sparse(std::map<std::string, Attribute> attrs = {}) {
  attrs["_weight_format"] = attr_s("sparse");
  return attrs;
}

Node fused(std::map<std::string, Attribute> attrs) {
  Node n = make_node("FusedLinear", sparse(std::move(attrs)));
  n.domain = "com.ecoinfer";
  return n;
}

// A random [k, n] weight with about `density` of its entries kept (the rest 0 or -0, as
// pruning leaves negatives), every column of index % 7 == 3 empty.
Tensor pruned(int64_t k, int64_t n, uint32_t seed, double density) {
  Tensor w = random_f32({k, n}, seed);
  Tensor keep = random_f32({k, n}, seed + 1000, 0.f, 1.f);
  float* pw = w.data<float>();
  const float* pk = keep.data<float>();
  for (int64_t i = 0; i < w.numel(); ++i)
    if (pk[i] >= density || (i % n) % 7 == 3) pw[i] = pw[i] * 0.f;
  return w;
}

ECO_OP_CASES("MatMul", [] {
  std::vector<OpCase> v;
  // Input 1 meets only pruned weights: dense arithmetic would give 0 * inf = NaN in the
  // whole first row; a pruned weight contributes nothing: [1, inf] x [[2, 3], [0, -0]] = [2, 3].
  const float inf = std::numeric_limits<float>::infinity();
  v.push_back(OpCase{"sparse: a pruned weight ignores an infinite input", make_node("MatMul", sparse()),
                     {f32({2, 2}, {1.f, inf, 1.f, 1.f}), f32({2, 2}, {2.f, 3.f, 0.f, -0.f})},
                     {f32({2, 2}, {2.f, 3.f, 2.f, 3.f})}});
  v.push_back(OpCase{"sparse 90% [1,197,768]x[768,96]", make_node("MatMul", sparse()),
                     {random_f32({1, 197, 768}, 71, -3, 3), pruned(768, 96, 72, 0.1)}});
  v.push_back(OpCase{"sparse 90% [2,17,37]x[37,40]", make_node("MatMul", sparse()),
                     {random_f32({2, 17, 37}, 73), pruned(37, 40, 74, 0.1)}});
  v.push_back(OpCase{"sparse 50% [130,64]x[64,33] (tiles 64+64+2)", make_node("MatMul", sparse()),
                     {random_f32({130, 64}, 75), pruned(64, 33, 76, 0.5)}});
  // At 20 % density and more the kernel passes over the inputs in chunks of 96 rows:
  // 200 rows are chunks of 96, 96 and 8.
  v.push_back(OpCase{"sparse 70% in row chunks [70,200]x[200,40]", make_node("MatMul", sparse()),
                     {random_f32({70, 200}, 89), pruned(200, 40, 90, 0.3)}});
  v.push_back(OpCase{"sparse all-zero weight [5,16]x[16,20]", make_node("MatMul", sparse()),
                     {random_f32({5, 16}, 77), pruned(16, 20, 78, 0.0)}});
  v.push_back(OpCase{"sparse 30% one token [1,48]x[48,3]", make_node("MatMul", sparse()),
                     {random_f32({1, 48}, 79), pruned(48, 3, 80, 0.3)}});
  return v;
});

ECO_OP_CASES("FusedLinear", [] {
  std::vector<OpCase> v;
  v.push_back(OpCase{"sparse 90% tokens [2,65,128] bias gelu", fused({{"activation", attr_s("Gelu")}}),
                     {random_f32({2, 65, 128}, 81, -3, 3), pruned(128, 256, 82, 0.1), random_f32({256}, 83)}});
  v.push_back(OpCase{"sparse 80% [49,96] bias relu", fused({{"activation", attr_s("Relu")}}),
                     {random_f32({49, 96}, 84), pruned(96, 24, 85, 0.2), random_f32({24}, 86)}});
  v.push_back(OpCase{"sparse 95% no bias [200,64]x[64,10]", fused({{"activation", attr_s("")}}),
                     {random_f32({200, 64}, 87), pruned(64, 10, 88, 0.05), Tensor()}});
  return v;
});

}  // namespace
}  // namespace ecoinfer::test
