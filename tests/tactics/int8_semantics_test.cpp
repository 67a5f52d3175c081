// Dynamic int8 semantics pinned against PyTorch 1.13 (quantize_dynamic, engine onednn):
// every expected number below was computed by torch (torch._choose_qparams_per_tensor,
// quantize_dynamic's packed weights and outputs).
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstring>

#include "ops/matmul_int8.h"
#include "ops/registry.h"
#include "tactics/tactic.h"
#include "tactics/tactic_test_util.h"

namespace ecoinfer::test {
namespace {

using ops::choose_act_qparams;

struct QCase {
  float min, max;
  bool reduce_range;
  float scale;
  int zero_point;
};
// torch._choose_qparams_per_tensor(torch.tensor([min, max]), reduce_range)
const QCase kQCases[] = {
    {-1.0f, 126.0f, true, 1.0f, 1},
    {0.0f, 0.0f, true, 0.1f, 0},                                   // zero range -> 0.1
    {9.999999747378752e-05f, 0.0020000000949949026f, true, 6.0999998822808266e-05f, 0},  // 6.1e-5 floor, min 0
    {-0.0020000000949949026f, 0.0f, true, 6.0999998822808266e-05f, 127},                 // floor, max 0
    {-3.000000106112566e-06f, 1.9999999949504854e-06f, true, 6.0999998822808266e-05f, 76},  // floor, stretched
    {-0.30000001192092896f, 1.0f, true, 0.010236220434308052f, 29},
    {-5.25f, 0.75f, true, 0.04724409431219101f, 111},
    {0.5f, 3.0f, true, 0.023622047156095505f, 0},
    {-7.0f, -1.0f, true, 0.05511811003088951f, 127},
    {-1.0000000031710769e-30f, 1.0000000031710769e-30f, true, 6.0999998822808266e-05f, 63},
    {-8.602230072021484f, 14.363176345825195f, true, 0.1808299720287323f, 48},
    {-1.0f, 126.0f, false, 0.49803921580314636f, 2},
    {0.0f, 0.0f, false, 0.10000000149011612f, 0},
    {-0.0020000000949949026f, 0.0f, false, 6.0999998822808266e-05f, 255},
    {-3.000000106112566e-06f, 1.9999999949504854e-06f, false, 6.0999998822808266e-05f, 153},
    {-0.30000001192092896f, 1.0f, false, 0.005098039284348488f, 59},
    {-5.25f, 0.75f, false, 0.0235294122248888f, 223},
    {-1.0000000031710769e-30f, 1.0000000031710769e-30f, false, 6.0999998822808266e-05f, 128},
    {-8.602230072021484f, 14.363176345825195f, false, 0.09006042033433914f, 96},
};

TEST(Int8Semantics, ActivationParamsMatchPyTorch) {
  for (const QCase& c : kQCases) {
    SCOPED_TRACE(fmt::format("min {} max {} reduce_range {}", c.min, c.max, c.reduce_range));
    auto p = choose_act_qparams(c.min, c.max, c.reduce_range);
    EXPECT_EQ(p.scale, c.scale);
    EXPECT_EQ(p.zero_point, c.zero_point);
    EXPECT_EQ(p.qmin, 0);
    EXPECT_EQ(p.qmax, c.reduce_range ? 127 : 255);
  }
}

TEST(Int8Semantics, ReduceRangeHalvesTheActivationRange) {
  auto rr = choose_act_qparams(0.f, 127.f, true);
  EXPECT_EQ(rr.scale, 1.0f);  // 127 / (127 - 0)
  auto full = choose_act_qparams(0.f, 127.f, false);
  EXPECT_EQ(full.scale, static_cast<float>(127.0 / 255.0));
  // The largest activation maps to 127, never above.
  EXPECT_EQ(ops::quantize_activation(127.f, 1.0f / rr.scale, rr.zero_point, rr.qmin, rr.qmax), 127);
  EXPECT_EQ(ops::quantize_activation(500.f, 1.0f / rr.scale, rr.zero_point, rr.qmin, rr.qmax), 127);
}

TEST(Int8Semantics, ZeroOrTinyScaleRules) {
  EXPECT_EQ(choose_act_qparams(0.f, 0.f, true).scale, 0.1f);
  EXPECT_EQ(choose_act_qparams(-0.f, 0.f, false).scale, 0.1f);
  EXPECT_EQ(choose_act_qparams(0.f, 1e-6f, true).scale, 6.1e-5f);
  EXPECT_EQ(choose_act_qparams(-1e-6f, 0.f, true).zero_point, 127);
}

TEST(Int8Semantics, WeightScaleUses127_5AndEpsilonFloor) {
  EXPECT_EQ(ops::weight_scale_symmetric(1.0f), 1.0f / 127.5f);
  EXPECT_EQ(ops::weight_scale_symmetric(1.0f), 0.007843137718737125f);  // torch q_scale()
  EXPECT_EQ(ops::weight_scale_symmetric(0.f), FLT_EPSILON);             // all-zero weight: 1.1920929e-07
  // torch int_repr of [1.0, 0.5/127.5, 1.5/127.5, -1.0] with scale 1/127.5: [127, 0, 1, -127]
  const float s = ops::weight_scale_symmetric(1.0f);
  EXPECT_EQ(ops::quantize_weight(1.0f, s), 127);
  EXPECT_EQ(ops::quantize_weight(0.5f / 127.5f, s), 0);
  EXPECT_EQ(ops::quantize_weight(1.5f / 127.5f, s), 1);
  EXPECT_EQ(ops::quantize_weight(-1.0f, s), -127);
  EXPECT_EQ(ops::quantize_weight(-2.0f, s), -128);  // clamp
}

// Runs MatMulDynamicInt8's reference and every fast kernel on x [M, K] with weight w [K, N].
std::vector<std::vector<float>> run_op(const Tensor& x, const Tensor& wq, const Tensor& scale) {
  const OpSchema* s = find_op("com.ecoinfer", "MatMulDynamicInt8");
  EXPECT_NE(s, nullptr);
  Node n;
  n.domain = "com.ecoinfer";
  n.op_type = "MatMulDynamicInt8";
  n.inputs = {"x", "w", "s"};
  n.outputs = {"y"};
  std::vector<std::vector<float>> outs;
  OpContext c{n, {&x, &wq, &scale}, 1, nullptr};
  outs.push_back(s->reference(c).at(0).to_f32_vector());
  for (auto& k : s->fast)
    if (k.runnable() && k.supports(c)) outs.push_back(k.run(c).at(0).to_f32_vector());
  return outs;
}

// torch: Linear(2, 1) with weight [[1, 0]] on rows [-1, 126], [0.5, 126], [1.5, 126], [2.5, 126]
// gives [-0.9960785, 0.9960785, 0.9960785, 2.9882355]: zero point 1, and 0.5 * 1 + 1 = 1.5
// rounds to 2 (the zero point is added before rounding, half to even).
TEST(Int8Semantics, OutputsMatchPyTorchIncludingRoundingTies) {
  Tensor x = Tensor::from<float>({4, 2}, std::vector<float>{-1, 126, 0.5f, 126, 1.5f, 126, 2.5f, 126});
  Tensor wq = Tensor::from<int8_t>({2, 1}, std::vector<int8_t>{127, 0});
  Tensor s = Tensor::scalar<float>(ops::weight_scale_symmetric(1.0f));
  for (auto& y : run_op(x, wq, s)) {
    EXPECT_FLOAT_EQ(y[0], -0.9960785f);
    EXPECT_FLOAT_EQ(y[1], 0.9960785f);
    EXPECT_FLOAT_EQ(y[2], 0.9960785f);
    EXPECT_FLOAT_EQ(y[3], 2.9882355f);
  }
  // Tiny activations: scale raised to 6.1e-5. torch gives [0.00012152, 0.00048609].
  Tensor t = Tensor::from<float>({2, 2}, std::vector<float>{1e-4f, 2e-3f, 5e-4f, 0});
  for (auto& y : run_op(t, wq, s)) {
    EXPECT_NEAR(y[0], 0.00012152f, 1e-8);
    EXPECT_NEAR(y[1], 0.00048609f, 1e-8);
  }
  // All-zero input: scale 0.1, output 0.
  Tensor z = Tensor::zeros(DType::f32, {2, 2});
  for (auto& y : run_op(z, wq, s)) EXPECT_EQ(y, (std::vector<float>{0, 0}));
}

// The activation quantizer multiplies, rounds, then adds the zero point (no fused
// multiply-add): for min -1.3, max 5.7 (scale 0.05511811, zp 24) these inputs round
// differently with an FMA; torch agrees with the separate operations.
TEST(Int8Semantics, ActivationQuantizationDoesNotFuseMultiplyAdd) {
  auto p = choose_act_qparams(-1.3f, 5.7f, true);
  EXPECT_EQ(p.zero_point, 24);
  const float inv = 1.0f / p.scale;
  int differ = 0;
  for (uint32_t bits = 0x3f800000u; bits < 0x3f800000u + 200000u; ++bits) {
    float x;
    std::memcpy(&x, &bits, 4);
    const float sep = std::nearbyint(static_cast<float>(x * inv) + 24.f);
    const float fused = std::nearbyint(static_cast<float>(std::fma(double(x), double(inv), 24.0)));
    if (sep == fused) continue;
    ++differ;
    EXPECT_EQ(ops::quantize_activation(x, inv, 24, 0, 127), static_cast<uint8_t>(sep));
  }
  RecordProperty("fma_sensitive_inputs", differ);
}

TEST(Int8Semantics, TacticRewritesLinearLayersOnly) {
  ModelBundle m = linear_model({{{4, 3}, {0.5f, -1, 0.25f, 2, 0, -0.75f, 1, 1, 1, -2, 0.1f, 0.3f}}});
  const TacticContext r_tc = apply_tactics(m, {"dynamic-int8"});
  const auto& r = r_tc.results;
  EXPECT_EQ(r[0].summary["quantized_layers"], 1);
  ASSERT_EQ(m.graph.nodes.size(), 1u);
  EXPECT_EQ(m.graph.nodes[0].op_type, "MatMulDynamicInt8");
  EXPECT_EQ(m.graph.nodes[0].domain, "com.ecoinfer");
  EXPECT_FALSE(m.graph.is_initializer("w0"));  // the fp32 weight is gone
  const Tensor& q = m.graph.initializers.at(m.graph.nodes[0].inputs[1]);
  const Tensor& s = m.graph.initializers.at(m.graph.nodes[0].inputs[2]);
  EXPECT_EQ(s.numel(), 1);
  EXPECT_EQ(s.data<float>()[0], 2.0f / 127.5f);
  // torch's int_repr for this weight: 1/scale rounds just below 63.75, so -2.0 -> -127.
  const std::vector<int8_t> want{32, -64, 16, 127, 0, -48, 64, 64, 64, -127, 6, 19};
  for (int i = 0; i < 12; ++i) EXPECT_EQ(q.data<int8_t>()[i], want[i]) << i;
  ModelBundle pc = linear_model({{{2, 2}, {1, -4, 0.5f, 2}}});
  apply_tactics(pc, {"dynamic-int8:per-channel"});
  const Tensor& ps = pc.graph.initializers.at(pc.graph.nodes[0].inputs[2]);
  ASSERT_EQ(ps.numel(), 2);  // per output column of the [K, N] MatMul weight
  EXPECT_EQ(ps.data<float>()[0], 1.0f / 127.5f);
  EXPECT_EQ(ps.data<float>()[1], 4.0f / 127.5f);
  EXPECT_THROW(apply_tactics(pc, {"dynamic-int8:per-row"}), Error);
}

}  // namespace
}  // namespace ecoinfer::test
