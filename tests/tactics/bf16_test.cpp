// The bf16 tactic: bfloat16 rounding, layer marking, and on CPUs with AVX512-BF16 the real
// models (every marked layer on a bf16 kernel, logits near PyTorch's fp32, top-1 within
// half a point of fp32 over the full test sets).
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <limits>

#include "data/dataset.h"
#include "model/model_folder.h"
#include "ops/compute_dtype.h"
#include "runtime/evaluate.h"
#include "runtime/executor.h"
#include "tactics/bf16.h"
#include "tactics/tactic.h"
#include "tactics/tactic_test_util.h"
#include "shared_models.h"
#include "test_paths.h"

namespace ecoinfer::test {
namespace {

TEST(RoundToBf16, TiesToEvenAndSpecialValues) {
  using ops::round_to_bf16;
  EXPECT_EQ(round_to_bf16(1.f), 1.f);
  EXPECT_EQ(round_to_bf16(1.00390625f), 1.f);          // 1 + 2^-8: tie, to even (1)
  EXPECT_EQ(round_to_bf16(1.01171875f), 1.015625f);    // 1 + 3*2^-8: tie, to even (1 + 2^-6)
  EXPECT_EQ(round_to_bf16(1.0040f), 1.0078125f);       // above the tie: up
  EXPECT_EQ(round_to_bf16(-1.01171875f), -1.015625f);  // sign kept
  EXPECT_EQ(round_to_bf16(std::numeric_limits<float>::infinity()), std::numeric_limits<float>::infinity());
  EXPECT_EQ(round_to_bf16(-std::numeric_limits<float>::infinity()), -std::numeric_limits<float>::infinity());
  EXPECT_EQ(round_to_bf16(FLT_MAX), std::numeric_limits<float>::infinity());  // beyond bf16's largest: overflows
  EXPECT_TRUE(std::isnan(round_to_bf16(std::numeric_limits<float>::quiet_NaN())));
  EXPECT_EQ(round_to_bf16(0.f), 0.f);
  EXPECT_TRUE(std::signbit(round_to_bf16(-0.f)));
  EXPECT_EQ(round_to_bf16(1e-40f), std::ldexp(1.f, -133));  // subnormal: 1e-40 is 1.09 bf16 steps of 2^-133
}

TEST(ComputeDtype, UnknownValueIsAnErrorNamingTheNode) {
  expect_unknown_mark_is_an_error(ops::kComputeDtypeAttr, "fp8");
}

TEST(MarkBf16Layers, MarksLinearLayersOnlyAndListsWhatStaysFp32) {
  ModelBundle m = linear_model({{{4, 3}, std::vector<float>(12, 0.5f)}, {{3, 2}, std::vector<float>(6, 0.25f)}});
  Graph& g = m.graph;
  // An activation-by-activation MatMul (attention-like) and a Gemm with transA stay fp32.
  Node att;
  att.name = "scores";
  att.op_type = "MatMul";
  att.inputs = {"y1", "y1t"};
  att.outputs = {"s"};
  Node tr;
  tr.name = "t";
  tr.op_type = "Transpose";
  tr.inputs = {"y1"};
  tr.outputs = {"y1t"};
  g.initializers["gw"] = Tensor::from<float>({2, 2}, std::vector<float>(4, 1.f));
  Node gemm;
  gemm.name = "g";
  gemm.op_type = "Gemm";
  gemm.inputs = {"y1", "gw"};
  gemm.outputs = {"gy"};
  gemm.attrs["transA"] = Attribute{Attribute::Kind::i, 1};
  g.nodes.push_back(tr);
  g.nodes.push_back(att);
  g.nodes.push_back(gemm);
  const nlohmann::json s = mark_bf16_layers(g);
  EXPECT_EQ(s["bf16_layers"], 2);
  EXPECT_EQ(s["bf16_layers_by_op"]["MatMul"], 2);
  EXPECT_EQ(s["weight_bytes_fp32"], (12 + 6) * 4);
  EXPECT_EQ(s["weight_bytes_bf16"], (12 + 6) * 2);
  ASSERT_EQ(s["kept_fp32"].size(), 1u);
  EXPECT_EQ(s["kept_fp32"][0]["node"], "g");
  EXPECT_TRUE(ops::computes_in_bf16(g.nodes[0]));
  EXPECT_TRUE(ops::computes_in_bf16(g.nodes[1]));
  EXPECT_FALSE(ops::computes_in_bf16(g.nodes[3]));  // scores
  EXPECT_FALSE(ops::computes_in_bf16(g.nodes[4]));  // gemm
}

TEST(Bf16Tactic, RefusesACpuWithoutAvx512Bf16OrRunsCompileFirst) {
  ModelBundle m = linear_model({{{4, 3}, std::vector<float>(12, 0.5f)}});
  if (!cpu_has(CpuFeature::avx512_bf16)) {
    try {
      apply_tactics(m, {"bf16"});
      FAIL() << "expected an Error on a CPU without AVX512-BF16";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("AVX512-BF16"), std::string::npos) << e.what();
    }
    return;
  }
  const TacticContext ctx = apply_tactics(m, {"bf16"});
  EXPECT_EQ(ctx.executor, ExecutorKind::planned);
  ASSERT_EQ(ctx.results.size(), 1u);
  EXPECT_TRUE(ctx.results[0].summary["compile"].is_object());  // compile's own summary
  EXPECT_EQ(ctx.results[0].summary["bf16_layers"], 1);
  ModelBundle m2 = linear_model({{{4, 3}, std::vector<float>(12, 0.5f)}});
  const TacticContext ctx2 = apply_tactics(m2, {"compile", "bf16"});
  EXPECT_EQ(ctx2.results[1].summary["compile"], "already applied");
  EXPECT_THROW(check_tactic_spec("bf16:fast"), Error);
}

// A shared model with the bf16 tactic applied, on CPUs with AVX512-BF16 (skipped elsewhere).
class Bf16OnSharedModel : public ::testing::TestWithParam<SharedModel> {
 protected:
  void SetUp() override {
    if (!cpu_has(CpuFeature::avx512_bf16)) GTEST_SKIP() << "no AVX512-BF16";
    dir_ = shared_dir() / "models" / GetParam().folder;
    ASSERT_TRUE(std::filesystem::exists(dir_)) << dir_ << " is missing: tests need ../shared";
    model_ = load_model(dir_);
    ctx_ = apply_tactics(model_, {"bf16"});
  }
  std::filesystem::path dir_;
  ModelBundle model_;
  TacticContext ctx_;
};

class Bf16SharedModel : public Bf16OnSharedModel {};

// Every marked layer runs on a bf16 kernel (none falls back to the single-threaded
// reference), and the logits of the first 64 test images stay near PyTorch's fp32 ones:
// bf16 keeps 8 significant bits, so each layer's operands move by up to 2^-9 relative;
// through 4-32 layers that measured 0.14-0.94 % relative L2 on these models (budget 2 %),
// with no top-1 class changed; at most 2 of 64 may (only where fp32's top-2 margin is tiny).
TEST_P(Bf16SharedModel, EveryMarkedLayerOnABf16KernelAndLogitsNearFp32) {
  const int64_t marked = ctx_.results.at(0).summary["bf16_layers"].get<int64_t>();
  EXPECT_GT(marked, 0);
  RunOptions o;
  o.threads = 2;
  auto ex = make_executor(model_.graph, ctx_.executor, o);
  const Shape shape{64, model_.pre.channels, model_.pre.height, model_.pre.width};
  const PrepareReport r = ex->prepare({shape});
  for (const KernelFallback& f : r.fallbacks) ADD_FAILURE() << "fallback: " << f.node << " " << f.op_type << " " << f.input_shapes;
  int64_t on_bf16 = 0;
  for (const std::string& k : r.kernels) on_bf16 += k.find("  bf16-") != std::string::npos;
  EXPECT_EQ(on_bf16, marked);

  const Tensor y = ex->run({read_inputs_first64(dir_, model_.pre)}).at(0);
  const auto want = read_json_file(dir_ / "reference.json")["variants"]["fp32"]["logits_first64"];
  ASSERT_EQ(static_cast<int64_t>(want.size()), 64);
  const int64_t classes = y.dim(1);
  double num = 0, den = 0;
  int changed = 0;
  for (int64_t i = 0; i < 64; ++i) {
    int64_t best_got = 0, best_want = 0;
    for (int64_t j = 0; j < classes; ++j) {
      const double g = y.data<float>()[i * classes + j], w = want[i][j].get<double>();
      num += (g - w) * (g - w);
      den += w * w;
      if (g > y.data<float>()[i * classes + best_got]) best_got = j;
      if (w > want[i][best_want].get<double>()) best_want = j;
    }
    changed += best_got != best_want;
  }
  const double rel = std::sqrt(num / den);
  EXPECT_LT(rel, 0.02);
  EXPECT_LE(changed, 2);
  RecordProperty("logits_rel_l2", std::to_string(rel));
  std::printf("%s bf16: logits rel. L2 vs PyTorch fp32 %.4f, %d of 64 top-1 changed, %lld layers bf16\n", GetParam().folder, rel,
              changed, static_cast<long long>(marked));
}

INSTANTIATE_TEST_SUITE_P(SharedModels, Bf16SharedModel, ::testing::ValuesIn(kSharedModels), shared_model_name);

class Bf16FullTestSetAccuracy : public Bf16OnSharedModel {};

// Issue 14: top-1 over the 10,000 test images within half a point of fp32 (PyTorch's fp32
// top-1, which our fp32 matches within 0.0005: RealModelTest). The change is printed and recorded.
TEST_P(Bf16FullTestSetAccuracy, Top1WithinHalfAPointOfFp32) {
  auto data = open_dataset(shared_dir() / "data" / GetParam().data, model_.labels);
  EvalOptions o;
  o.batch = 100;
  o.threads = 2;
  o.executor = ctx_.executor;
  const EvalResult r = evaluate(model_, *data, o);
  const double fp32 = read_json_file(dir_ / "reference.json")["variants"]["fp32"]["top1"].get<double>();
  EXPECT_EQ(r.images, 10000);
  EXPECT_NEAR(r.top1, fp32, 0.005);
  RecordProperty("top1", std::to_string(r.top1));
  std::printf("%s bf16: top-1 %.4f (fp32 %.4f, change %+.2f points)\n", GetParam().folder, r.top1, fp32, 100 * (r.top1 - fp32));
}

INSTANTIATE_TEST_SUITE_P(SharedModels, Bf16FullTestSetAccuracy, ::testing::ValuesIn(kSharedModels), shared_model_name);

}  // namespace
}  // namespace ecoinfer::test
