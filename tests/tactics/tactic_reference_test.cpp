// dynamic-int8 and pruning on the real models against PyTorch 1.13's reference.json
// variants (quantize_dynamic engine onednn; l1_unstructured / global_unstructured + remove).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "data/dataset.h"
#include "data/preprocess.h"
#include "model/model_folder.h"
#include "runtime/evaluate.h"
#include "tactics/tactic.h"
#include "shared_models.h"
#include "test_paths.h"

namespace ecoinfer::test {
namespace {

struct Variant {
  const char* folder;
  const char* data;
  const char* variant;  // key in reference.json
  const char* tactic;
};

// Error budget for int8 logits against PyTorch (docs/tactics.md). PyTorch computed the
// dynamic_int8 logits_first64 as the first 64 rows of a 256-image batch (the activation
// range is per call, so the batch matters): we feed the same 256 test images. The CNNs'
// quantized Linear layers then match to ~1.5e-5 (budget 1e-4). The ViT chains 25 quantized
// layers: an fp32 difference of 1e-6 (oneDNN vs PyTorch's BLAS, or our own reference vs fast
// kernels) that straddles an activation rounding boundary moves that activation by a whole
// quantum, and LayerNorm/softmax carry that on; our two kernel sets differ from each other
// by as much as from PyTorch (~0.3 on logits of magnitude ~10), so its budget is 0.5 with
// every top-1 class equal.
constexpr int kInt8ReferenceBatch = 256;
constexpr double kInt8LogitBudgetCnn = 1e-4;
constexpr double kInt8LogitBudgetVit = 0.5;
constexpr double kPrunedLogitBudget = 1e-4;

std::vector<Variant> all_variants() {
  const std::pair<const char*, const char*> variants[] = {
      {"dynamic_int8", "dynamic-int8"},        {"local_l1_0.2", "prune-local:0.2"},  {"local_l1_0.5", "prune-local:0.5"},
      {"local_l1_0.8", "prune-local:0.8"},     {"global_l1_0.2", "prune-global:0.2"}, {"global_l1_0.5", "prune-global:0.5"},
      {"global_l1_0.8", "prune-global:0.8"}};
  std::vector<Variant> v;
  for (const SharedModel& m : kSharedModels)
    for (auto [name, t] : variants) v.push_back(Variant{m.folder, m.data, name, t});
  return v;
}

// The full-test-set runs (10,000 images each): every variant of ResNet-20 and the MNIST CNN;
// dynamic_int8 plus one local and one global variant of ResNet-32 and ViT.
std::vector<Variant> accuracy_variants() {
  std::vector<Variant> v;
  for (const Variant& x : all_variants()) {
    const std::string m = x.folder, n = x.variant;
    const bool big = m == "resnet32_cifar10" || m == "vit_cifar10";
    if (!big || n == "dynamic_int8" || n == "local_l1_0.5" || n == "global_l1_0.5") v.push_back(x);
  }
  return v;
}

std::string variant_name(const ::testing::TestParamInfo<Variant>& info) {
  std::string s = std::string(info.param.folder) + "_" + info.param.variant;
  for (char& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return s;
}

class TacticReference : public ::testing::TestWithParam<Variant> {};

TEST_P(TacticReference, LogitsAndSparsityMatchPyTorch) {
  const Variant& v = GetParam();
  const auto dir = shared_dir() / "models" / v.folder;
  ASSERT_TRUE(std::filesystem::exists(dir)) << dir << " is missing: tests need ../shared";
  const auto ref = read_json_file(dir / "reference.json");
  const auto& want = ref["variants"][v.variant];
  ModelBundle m = load_model(dir);
  const TacticContext results_tc = apply_tactics(m, {v.tactic});
  const auto& results = results_tc.results;
  ASSERT_EQ(results.size(), 1u);
  const auto& summary = results[0].summary;
  const bool int8 = std::string(v.variant) == "dynamic_int8";
  if (int8) {
    // Every PyTorch Linear became a quantized op.
    int64_t linear = 0;
    for (auto& [layer, info] : ref["onnx_weights"].items()) linear += info["onnx_initializer"].get<std::string>().find("conv") == std::string::npos &&
                                                                       layer != "patch";
    EXPECT_EQ(summary["quantized_layers"].get<int64_t>(), linear);
  } else {
    // weight_sparsity and (global) every layer's sparsity equal PyTorch's: reference.json
    // rounds fractions (PyTorch's float32 mean) to 6 decimals, so compare zero counts, which
    // those 6 decimals pin exactly for layers of under 10^6 weights.
    auto same_count = [](double ours, double theirs, int64_t n, const std::string& what) {
      EXPECT_EQ(std::llround(ours * n), std::llround(theirs * n)) << what << ": " << ours << " vs " << theirs << " of " << n;
    };
    same_count(summary["weight_sparsity"].get<double>(), want["weight_sparsity"].get<double>(),
               summary["weights"].get<int64_t>(), "weight_sparsity");
    EXPECT_EQ(summary["per_layer_sparsity"].size(), ref["onnx_weights"].size());
    if (want.contains("per_layer_sparsity_by_onnx_initializer"))
      for (auto& [init, frac] : want["per_layer_sparsity_by_onnx_initializer"].items()) {
        ASSERT_TRUE(summary["per_layer_sparsity"].contains(init)) << init;
        same_count(summary["per_layer_sparsity"][init].get<double>(), frac.get<double>(),
                   m.graph.initializers.at(init).numel(), init);
      }
  }
  Tensor x = read_inputs_first64(dir, m.pre);
  if (int8) {  // the first 256 test images, preprocessed as inputs_first64 was
    auto data = open_dataset(shared_dir() / "data" / v.data, m.labels);
    const int64_t per = int64_t(m.pre.channels) * m.pre.height * m.pre.width;
    x = Tensor::empty(DType::f32, {kInt8ReferenceBatch, m.pre.channels, m.pre.height, m.pre.width});
    for (int i = 0; i < kInt8ReferenceBatch; ++i)
      preprocess_image(data->load(i, m.pre.channels), m.pre, x.data<float>() + i * per, data->item_name(i));
  }
  EagerExecutor exec(m.graph, RunOptions{2, false});
  Tensor y = exec.run({x}).at(0);
  const auto& logits = want["logits_first64"];
  const size_t classes = logits[0].size();
  ASSERT_EQ(y.dim(1), static_cast<int64_t>(classes));
  ASSERT_GE(y.dim(0), 64);
  const bool vit = std::string(v.folder) == "vit_cifar10";
  const double budget = int8 ? (vit ? kInt8LogitBudgetVit : kInt8LogitBudgetCnn) : kPrunedLogitBudget;
  double worst = 0;
  int argmax_differs = 0, near_ties_differ = 0;
  for (int i = 0; i < 64; ++i) {
    int a = 0, b = 0;
    for (size_t j = 0; j < classes; ++j) {
      const float got = y.data<float>()[i * classes + j];
      worst = std::max(worst, std::abs(double(got) - logits[i][j].get<double>()));
      if (got > y.data<float>()[i * classes + a]) a = static_cast<int>(j);
      if (logits[i][j].get<double>() > logits[i][b].get<double>()) b = static_cast<int>(j);
    }
    // The top-1 class agrees unless PyTorch's own top two are closer than twice the budget.
    double second = -1e30;
    for (size_t j = 0; j < classes; ++j)
      if (static_cast<int>(j) != b) second = std::max(second, logits[i][j].get<double>());
    const bool near_tie = logits[i][b].get<double>() - second <= 2 * budget;
    argmax_differs += a != b && !near_tie;
    near_ties_differ += a != b && near_tie;
  }
  EXPECT_LE(worst, budget);
  EXPECT_EQ(argmax_differs, 0);
  // docs/tactics.md: near ties whose top-1 differs are 1 of the 64 ViT images in the gcc
  // Release build and 2 in the clang ASan build (its float code differs); a third would mean
  // the budget hides more than rounding.
  EXPECT_LE(near_ties_differ, 2);
  RecordProperty("max_abs_logit_err", std::to_string(worst));
  std::printf("%s %s: max |logit - torch| = %.3g\n", v.folder, v.variant, worst);
}

INSTANTIATE_TEST_SUITE_P(SharedModels, TacticReference, ::testing::ValuesIn(all_variants()), variant_name);

class TacticFullTestSetAccuracy : public ::testing::TestWithParam<Variant> {};

// Top-1 over the 10,000 test images: within 0.002 of PyTorch for dynamic_int8 (the
// reference itself moves by 0.0008 between two BLAS libraries), 0.0005 for pruning.
TEST_P(TacticFullTestSetAccuracy, Top1MatchesPyTorch) {
  const Variant& v = GetParam();
  const auto dir = shared_dir() / "models" / v.folder;
  ASSERT_TRUE(std::filesystem::exists(dir)) << dir << " is missing: tests need ../shared";
  ModelBundle m = load_model(dir);
  const ExecutorKind executor = apply_tactics(m, {v.tactic}).executor;
  auto data = open_dataset(shared_dir() / "data" / v.data, m.labels);
  EvalOptions o;
  o.batch = 100;
  o.threads = 2;
  o.executor = executor;
  EvalResult r = evaluate(m, *data, o);
  const double want = read_json_file(dir / "reference.json")["variants"][v.variant]["top1"].get<double>();
  EXPECT_EQ(r.images, 10000);
  EXPECT_NEAR(r.top1, want, std::string(v.variant) == "dynamic_int8" ? 0.002 : 0.0005);
  RecordProperty("top1", std::to_string(r.top1));
  std::printf("%s %s: top-1 %.4f (PyTorch %.4f)\n", v.folder, v.variant, r.top1, want);
}

INSTANTIATE_TEST_SUITE_P(SharedModels, TacticFullTestSetAccuracy, ::testing::ValuesIn(accuracy_variants()), variant_name);

}  // namespace
}  // namespace ecoinfer::test
