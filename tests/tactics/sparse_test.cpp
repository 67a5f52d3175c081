// The sparse tactic: which layers it marks (and which stay dense, and why), its argument,
// its refusal on CPUs without AVX-512, and on the real models pruned as PyTorch prunes them:
// every marked layer on the sparse kernel, and logits equal to PyTorch's pruned model as
// closely as our dense execution of it (the sparse kernel only sums the same products in
// another order).
#include <gtest/gtest.h>

#include <cmath>

#include "data/dataset.h"
#include "model/model_folder.h"
#include "ops/compute_dtype.h"
#include "ops/weight_format.h"
#include "runtime/evaluate.h"
#include "runtime/executor.h"
#include "tactics/bf16.h"
#include "tactics/sparse.h"
#include "tactics/tactic.h"
#include "tactics/tactic_test_util.h"
#include "shared_models.h"
#include "test_paths.h"

namespace ecoinfer::test {
namespace {

// n values of which the first `zeros` are zero (-0 for odd indices, as pruning leaves negatives).
std::vector<float> with_zeros(size_t n, size_t zeros) {
  std::vector<float> v(n, 0.5f);
  for (size_t i = 0; i < zeros; ++i) v[i] = i % 2 ? -0.f : 0.f;
  return v;
}

TEST(MarkSparseLayers, MarksLayersAtTheThresholdAndListsWhatStaysDense) {
  // mm0: 9 of 10 zero (0.9), mm1: 5 of 10 (0.5), mm2: 8 of 10 (exactly the threshold).
  ModelBundle m = linear_model({{{2, 5}, with_zeros(10, 9)}, {{5, 2}, with_zeros(10, 5)}, {{2, 5}, with_zeros(10, 8)}});
  Graph& g = m.graph;
  Node conv;  // a convolution stays dense whatever its sparsity, and says so
  conv.name = "c";
  conv.op_type = "Conv";
  g.initializers["cw"] = Tensor::from<float>({1, 1, 1, 1}, std::vector<float>{0.f});
  conv.inputs = {"img", "cw"};
  conv.outputs = {"cy"};
  g.nodes.push_back(conv);
  const nlohmann::json s = mark_sparse_layers(g, 0.8);
  EXPECT_EQ(s["sparse_layers"], 2);
  EXPECT_EQ(s["sparse_layers_by_op"]["MatMul"], 2);
  EXPECT_EQ(s["sparse_layer_weights"], 20);
  EXPECT_EQ(s["sparse_layer_nonzeros"], 1 + 2);
  EXPECT_EQ(s["weight_bytes_sparse"], 3 * 8);
  EXPECT_TRUE(ops::uses_sparse_weight(g.nodes[0]));
  EXPECT_FALSE(ops::uses_sparse_weight(g.nodes[1]));
  EXPECT_TRUE(ops::uses_sparse_weight(g.nodes[2]));
  EXPECT_FALSE(ops::uses_sparse_weight(g.nodes[3]));
  ASSERT_EQ(s["kept_dense"].size(), 2u);
  EXPECT_EQ(s["kept_dense"][0]["node"], "mm1");
  EXPECT_DOUBLE_EQ(s["kept_dense"][0]["sparsity"].get<double>(), 0.5);
  EXPECT_NE(s["kept_dense"][0]["why"].get<std::string>().find("below"), std::string::npos);
  EXPECT_EQ(s["kept_dense"][1]["node"], "c");
  EXPECT_DOUBLE_EQ(s["kept_dense"][1]["sparsity"].get<double>(), 1.0);
  EXPECT_NE(s["kept_dense"][1]["why"].get<std::string>().find("convolution"), std::string::npos);
}

TEST(MarkSparseLayers, LeavesBf16LayersAndBf16LeavesSparseLayers) {
  ModelBundle m = linear_model({{{2, 5}, with_zeros(10, 9)}, {{5, 2}, with_zeros(10, 9)}});
  m.graph.nodes[1].attrs[ops::kComputeDtypeAttr] = Attribute{Attribute::Kind::s, 0, 0, "bf16"};
  const nlohmann::json s = mark_sparse_layers(m.graph, 0.8);
  EXPECT_EQ(s["sparse_layers"], 1);
  EXPECT_FALSE(ops::uses_sparse_weight(m.graph.nodes[1]));
  ASSERT_EQ(s["kept_dense"].size(), 1u);
  EXPECT_NE(s["kept_dense"][0]["why"].get<std::string>().find("bf16"), std::string::npos);
  // And the bf16 tactic after sparse leaves the sparse layer fp32.
  const nlohmann::json b = mark_bf16_layers(m.graph);
  EXPECT_FALSE(ops::computes_in_bf16(m.graph.nodes[0]));
  ASSERT_EQ(b["kept_fp32"].size(), 1u);
  EXPECT_NE(b["kept_fp32"][0]["why"].get<std::string>().find("sparse"), std::string::npos);
}

TEST(WeightFormat, UnknownValueIsAnErrorNamingTheNode) {
  expect_unknown_mark_is_an_error(ops::kWeightFormatAttr, "csr");
}

TEST(SparseTactic, ArgumentIsAFractionAndCompileRunsFirst) {
  EXPECT_NO_THROW(check_tactic_spec("sparse"));
  EXPECT_NO_THROW(check_tactic_spec("sparse:0.5"));
  EXPECT_THROW(check_tactic_spec("sparse:1.5"), Error);
  EXPECT_THROW(check_tactic_spec("sparse:-0.1"), Error);
  EXPECT_THROW(check_tactic_spec("sparse:most"), Error);
  ModelBundle m = linear_model({{{2, 5}, with_zeros(10, 9)}});
  if (!cpu_has(CpuFeature::avx512f)) {
    try {
      apply_tactics(m, {"sparse"});
      FAIL() << "expected an Error on a CPU without AVX-512";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("AVX-512"), std::string::npos) << e.what();
    }
    return;
  }
  const TacticContext ctx = apply_tactics(m, {"sparse"});
  EXPECT_EQ(ctx.executor, ExecutorKind::planned);
  EXPECT_TRUE(ctx.results.at(0).summary["compile"].is_object());
  EXPECT_EQ(ctx.results.at(0).summary["sparse_layers"], 1);
  ModelBundle m2 = linear_model({{{2, 5}, with_zeros(10, 9)}});
  EXPECT_EQ(apply_tactics(m2, {"compile", "sparse"}).results.at(1).summary["compile"], "already applied");
}

// PyTorch's pruned models (reference.json's local_l1_0.8 and global_l1_0.8, the same weights
// our prune tactics produce: TacticReference) run sparse: every marked layer on the sparse
// kernel, and the logits of the first 64 test images within the budget our dense execution
// meets (kPrunedLogitBudget in tactic_reference_test.cpp: 1e-4 relative L2).
struct SparseVariant {
  const char* folder;
  const char* variant;  // in reference.json
  const char* prune;    // our tactic
};
class SparseOnPrunedModel : public ::testing::TestWithParam<SparseVariant> {};

TEST_P(SparseOnPrunedModel, EveryMarkedLayerSparseAndLogitsMatchPyTorchsPrunedModel) {
  if (!cpu_has(CpuFeature::avx512f)) GTEST_SKIP() << "no AVX-512";
  const SparseVariant& v = GetParam();
  const auto dir = shared_dir() / "models" / v.folder;
  ASSERT_TRUE(std::filesystem::exists(dir)) << dir << " is missing: tests need ../shared";
  ModelBundle m = load_model(dir);
  // Threshold 0.5: after global pruning some layers keep more than 20 % of their weights.
  const TacticContext ctx = apply_tactics(m, {v.prune, "sparse:0.5"});
  const int64_t marked = ctx.results.at(1).summary["sparse_layers"].get<int64_t>();
  EXPECT_GT(marked, 0);
  RunOptions o;
  o.threads = 2;
  auto ex = make_executor(m.graph, ctx.executor, o);
  const Shape shape{64, m.pre.channels, m.pre.height, m.pre.width};
  const PrepareReport r = ex->prepare({shape});
  for (const KernelFallback& f : r.fallbacks) ADD_FAILURE() << "fallback: " << f.node << " " << f.op_type << " " << f.input_shapes;
  int64_t on_sparse = 0;
  for (const std::string& k : r.kernels) on_sparse += k.find("  f32-linear-sparse-avx512") != std::string::npos;
  EXPECT_EQ(on_sparse, marked);
  const Tensor y = ex->run({read_inputs_first64(dir, m.pre)}).at(0);
  const auto want = read_json_file(dir / "reference.json")["variants"][v.variant]["logits_first64"];
  ASSERT_EQ(static_cast<int64_t>(want.size()), 64);
  double num = 0, den = 0;
  for (int64_t i = 0; i < 64; ++i)
    for (int64_t j = 0; j < y.dim(1); ++j) {
      const double g = y.data<float>()[i * y.dim(1) + j], w = want[i][j].get<double>();
      num += (g - w) * (g - w);
      den += w * w;
    }
  const double rel = std::sqrt(num / den);
  EXPECT_LT(rel, 1e-4);
  std::printf("%s %s + sparse: %lld layers sparse, logits rel. L2 vs PyTorch %.2e\n", v.folder, v.prune,
              static_cast<long long>(marked), rel);
}

// Top-1 over the 10,000 CIFAR-10 test images of ViT-CIFAR pruned globally to 80 % and run
// sparse equals PyTorch's pruned model's (reference.json global_l1_0.8) within 0.0005, the
// budget dense pruning meets (TacticFullTestSetAccuracy).
TEST(SparseFullTestSetAccuracy, VitCifarGlobal08Top1MatchesPyTorch) {
  if (!cpu_has(CpuFeature::avx512f)) GTEST_SKIP() << "no AVX-512";
  const auto dir = shared_dir() / "models" / "vit_cifar10";
  ASSERT_TRUE(std::filesystem::exists(dir)) << dir << " is missing: tests need ../shared";
  ModelBundle m = load_model(dir);
  const TacticContext ctx = apply_tactics(m, {"prune-global:0.8", "sparse:0.5"});
  auto data = open_dataset(shared_dir() / "data" / "cifar10-test", m.labels);
  EvalOptions o;
  o.batch = 100;
  o.threads = 2;
  o.executor = ctx.executor;
  const EvalResult r = evaluate(m, *data, o);
  const double want = read_json_file(dir / "reference.json")["variants"]["global_l1_0.8"]["top1"].get<double>();
  EXPECT_EQ(r.images, 10000);
  EXPECT_NEAR(r.top1, want, 0.0005);
  std::printf("vit_cifar10 prune-global:0.8 + sparse: top-1 %.4f (PyTorch's pruned model %.4f)\n", r.top1, want);
}

INSTANTIATE_TEST_SUITE_P(SharedModels, SparseOnPrunedModel,
                         ::testing::Values(SparseVariant{"vit_cifar10", "local_l1_0.8", "prune-local:0.8"},
                                           SparseVariant{"vit_cifar10", "global_l1_0.8", "prune-global:0.8"},
                                           SparseVariant{"mnist_cnn", "global_l1_0.8", "prune-global:0.8"}),
                         [](const ::testing::TestParamInfo<SparseVariant>& info) {
                           std::string s = std::string(info.param.folder) + "_" + info.param.variant;
                           for (char& c : s)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return s;
                         });

}  // namespace
}  // namespace ecoinfer::test
