// The real pre-trained models in ../shared/models against PyTorch's reference results.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "data/dataset.h"
#include "model/model_folder.h"
#include "runtime/evaluate.h"
#include "tactics/tactic.h"
#include "shared_models.h"
#include "test_paths.h"

namespace ecoinfer::test {
namespace {

class RealModelTest : public ::testing::TestWithParam<SharedModel> {};

// Logits for the first 64 test images within 1e-4 absolute of PyTorch's (fp32: the fast
// kernels reorder sums, which moves logits of magnitude ~10 by ~1e-6), eager and compiled
// (fused, channels-last convolutions, memory plan), with fast and with reference kernels.
TEST_P(RealModelTest, LogitsMatchPyTorch) {
  const auto dir = shared_dir() / "models" / GetParam().folder;
  ASSERT_TRUE(std::filesystem::exists(dir)) << dir << " is missing: tests need ../shared";
  ModelBundle m = load_model(dir);
  auto ref = read_json_file(dir / "reference.json");
  auto want = ref["variants"]["fp32"]["logits_first64"];
  Tensor x = read_inputs_first64(dir, m.pre);
  ModelBundle compiled = load_model(dir);
  const ExecutorKind compiled_executor = apply_tactics(compiled, {"compile"}).executor;
  struct Config {
    const char* label;
    const ModelBundle* model;
    ExecutorKind executor;
    bool reference_only;
  };
  for (const Config& cfg : {Config{"fast", &m, ExecutorKind::eager, false}, Config{"reference", &m, ExecutorKind::eager, true},
                            Config{"compile", &compiled, compiled_executor, false},
                            Config{"compile_reference", &compiled, compiled_executor, true}}) {
    SCOPED_TRACE(cfg.label);
    const bool reference_only = cfg.reference_only;
    auto exec = make_executor(cfg.model->graph, cfg.executor, RunOptions{2, reference_only});
    Tensor y = exec->run({x}).at(0);
    ASSERT_EQ(y.shape(), (Shape{64, static_cast<int64_t>(want[0].size())}));
    double worst = 0;
    for (int i = 0; i < 64; ++i)
      for (size_t j = 0; j < want[i].size(); ++j)
        worst = std::max(worst, std::abs(double(y.data<float>()[i * want[i].size() + j]) - want[i][j].get<double>()));
    EXPECT_LE(worst, 1e-4);
    RecordProperty(std::string("max_abs_err_") + cfg.label, std::to_string(worst));
  }
}

// Top-1 over the full test set equals PyTorch's within 0.0005 (5 images in 10,000).
TEST_P(RealModelTest, FullTestSetAccuracyMatchesPyTorch) {
  const auto dir = shared_dir() / "models" / GetParam().folder;
  ASSERT_TRUE(std::filesystem::exists(dir)) << dir << " is missing: tests need ../shared";
  ModelBundle m = load_model(dir);
  auto data = open_dataset(shared_dir() / "data" / GetParam().data, m.labels);
  ASSERT_EQ(data->size(), 10000u);
  EvalOptions o;
  o.batch = 100;
  o.threads = 2;
  EvalResult r = evaluate(m, *data, o);
  const double want = read_json_file(dir / "reference.json")["variants"]["fp32"]["top1"].get<double>();
  EXPECT_EQ(r.images, 10000);
  EXPECT_NEAR(r.top1, want, 0.0005);
  RecordProperty("top1", std::to_string(r.top1));
}

INSTANTIATE_TEST_SUITE_P(SharedModels, RealModelTest, ::testing::ValuesIn(kSharedModels), shared_model_name);

}  // namespace
}  // namespace ecoinfer::test
