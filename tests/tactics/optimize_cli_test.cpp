// `ecoinfer optimize` round trip and --tactic errors, through the CLI.
#include <gtest/gtest.h>

#include <filesystem>
#include <cstring>
#include <fstream>
#include <unistd.h>

#include "model/model_folder.h"
#include "runtime/executor.h"
#include "tactics/tactic.h"
#include "test_paths.h"

namespace ecoinfer::test {
namespace {

namespace fs = std::filesystem;

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

Tensor first_inputs(const ModelBundle& m, int n) {
  const auto file = m.path / "inputs_first64.f32";
  const int64_t per = int64_t(m.pre.channels) * m.pre.height * m.pre.width;
  Tensor t = Tensor::empty(DType::f32, {n, m.pre.channels, m.pre.height, m.pre.width});
  std::ifstream in(file, std::ios::binary);
  in.read(static_cast<char*>(t.raw()), n * per * 4);
  return t;
}

// The written folder reloads and gives bit-identical logits to the in-memory optimized model.
TEST(OptimizeCli, RoundTripGivesIdenticalLogits) {
  for (const char* tactic : {"prune-global:0.5 --tactic dynamic-int8", "dynamic-int8:per-channel", "prune-local:0.3"}) {
    for (const char* model : {"mnist_cnn", "vit_cifar10"}) {
      SCOPED_TRACE(std::string(model) + " " + tactic);
      const fs::path src = shared_dir() / "models" / model;
      ASSERT_TRUE(fs::exists(src)) << "tests need ../shared";
      const fs::path out = fs::temp_directory_path() / ("ecoinfer_optimize_" + std::string(model) + "_" + std::to_string(::getpid()));
      fs::remove_all(out);
      auto r = run_command(q(cli_path()) + " optimize " + q(src) + " --tactic " + tactic + " -o " + q(out) + " --json", false);
      ASSERT_EQ(r.status, 0) << r.out;
      auto j = nlohmann::json::parse(r.out);
      EXPECT_TRUE(j.contains("optimize_seconds"));
      EXPECT_TRUE(fs::exists(out / "config.json"));
      EXPECT_TRUE(fs::exists(out / "preprocessor_config.json"));

      ModelBundle direct = load_model(src);
      std::vector<std::string> specs;
      for (auto& s : j["tactic"]) specs.push_back(s.get<std::string>());
      apply_tactics(direct, specs);
      ModelBundle reloaded = load_model(out);
      EXPECT_EQ(reloaded.labels, direct.labels);
      Tensor x = first_inputs(direct, 16);
      Tensor a = EagerExecutor(direct.graph, RunOptions{1, false}).run({x}).at(0);
      Tensor b = EagerExecutor(reloaded.graph, RunOptions{1, false}).run({x}).at(0);
      ASSERT_EQ(a.shape(), b.shape());
      EXPECT_EQ(0, std::memcmp(a.raw(), b.raw(), a.nbytes()));
      if (std::string(tactic).find("int8") != std::string::npos) {
        int custom = 0;
        for (auto& n : reloaded.graph.nodes) custom += n.domain == "com.ecoinfer";
        EXPECT_GT(custom, 0);
      }
      fs::remove_all(out);
    }
  }
}

TEST(OptimizeCli, BadTacticsAreClearErrors) {
  const fs::path src = shared_dir() / "models" / "mnist_cnn";
  ASSERT_TRUE(fs::exists(src)) << "tests need ../shared";
  const fs::path out = fs::temp_directory_path() / ("ecoinfer_optimize_bad_" + std::to_string(::getpid()));
  const std::pair<const char*, const char*> cases[] = {
      {"--tactic prune-sideways:0.5", "unknown tactic 'prune-sideways:0.5'"},
      {"--tactic prune-global:1.5", "must be a fraction in [0, 1]"},
      {"--tactic prune-local:-0.2", "must be a fraction in [0, 1]"},
      {"--tactic prune-global:-5", "must not be negative"},
      {"--tactic prune-global:abc", "is not a number"},
      {"--tactic prune-local", "needs an amount"},
      {"--tactic prune-global:99999999", "cannot prune 99999999 weights"},
      {"--tactic dynamic-int8:per-row", "unknown option 'per-row'"},
      {"", "give at least one --tactic"},
  };
  for (auto [args, msg] : cases) {
    SCOPED_TRACE(args);
    auto r = run_command(q(cli_path()) + " optimize " + q(src) + " " + args + " -o " + q(out));
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_NE(r.out.find(msg), std::string::npos) << r.out;
  }
  // eval and bench reject them too.
  auto e = run_command(q(cli_path()) + " bench " + q(src) + " --tactic prune-global:2.0 --seconds 0.01");
  EXPECT_EQ(e.status, 1) << e.out;
  EXPECT_NE(e.out.find("prune-global"), std::string::npos) << e.out;
  fs::remove_all(out);
}

TEST(OptimizeCli, BenchJsonReportsTactics) {
  const fs::path src = shared_dir() / "models" / "mnist_cnn";
  ASSERT_TRUE(fs::exists(src)) << "tests need ../shared";
  auto r = run_command(q(cli_path()) + " bench " + q(src) +
                           " --tactic prune-global:0.5 --tactic dynamic-int8 --seconds 0.05 --warmup 0 --json",
                       false);
  ASSERT_EQ(r.status, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["tactic"], (nlohmann::json{"prune-global:0.5", "dynamic-int8"}));
  EXPECT_GE(j["optimize_seconds"].get<double>(), 0.0);
  EXPECT_NEAR(j["weight_sparsity"].get<double>(), 0.5, 1e-6);
  EXPECT_EQ(j["per_layer_sparsity"].size(), 4u);
  EXPECT_TRUE(j["per_layer_sparsity"].contains("fc1.weight"));
}

}  // namespace
}  // namespace ecoinfer::test
