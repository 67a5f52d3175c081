// Disabling compile passes by name: the tactic argument compile:disable=PASS,... (which study
// specs can use as a tactic chain), the CLI's repeatable --disable-pass on optimize, bench and
// eval, skipping in the planned executor's per-shape plans too, and errors that name the
// valid passes. The pipeline's rewrites per pass are printed by optimize.
#include <unistd.h>

#include "model/model_folder.h"
#include "passes/pass_test_util.h"
#include "study/spec.h"
#include "tactics/tactic.h"

namespace ecoinfer::test {
namespace {

namespace fs = std::filesystem;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(DisablePass, TacticArgumentSkipsThePassInBothCompiles) {
  // fuzz/corpus/layernorm_gelu.onnx holds the erf GELU exactly as torch exports it.
  ModelBundle m = load_model(source_dir() / "fuzz/corpus/layernorm_gelu.onnx");
  Tensor x = random_f32({2, 5, 8}, 5, -3.f, 3.f);
  Tensor eager = EagerExecutor(m.graph, RunOptions{1, false}).run({x}).at(0);
  const TacticContext r_tc = apply_tactics(m, {"compile:disable=fuse_gelu"});
  const auto& r = r_tc.results;
  EXPECT_EQ(r[0].summary["rewrites"]["fuse_gelu"].get<int>(), 0);
  EXPECT_EQ(r[0].summary["disabled_passes"], nlohmann::json({"fuse_gelu"}));
  EXPECT_EQ(m.graph.op_counts()["Erf"], 1);
  EXPECT_EQ(compile_for_shapes(m.graph, {{2, 5, 8}}).op_counts()["Erf"], 1);  // the per-shape plan skips it too
  Tensor y = make_executor(m.graph, r_tc.executor, RunOptions{1, false})->run({x}).at(0);
  EXPECT_LE(scaled_max_error(y, eager), 1e-5);
}

TEST(DisablePass, PerShapeOnlyPassesCanBeDisabled) {
  // Attention fuses only in the per-shape plan (its Reshape targets are frozen there).
  ModelBundle m = load_model(shared_dir() / "models/vit_cifar10");
  apply_tactics(m, {"compile:disable=fuse_attention,fuse_gelu"});
  auto ops = compile_for_shapes(m.graph, {{2, 3, 32, 32}}).op_counts();
  EXPECT_EQ(ops.count("MultiHeadAttention"), 0u);
  EXPECT_EQ(ops["Softmax"], 6);
}

TEST(DisablePass, BadArgumentsNameTheValidPasses) {
  const std::string e = error_of([] { check_tactic_spec("compile:disable=fuse_gelu,fold_everything"); });
  EXPECT_NE(e.find("unknown pass 'fold_everything'"), std::string::npos) << e;
  EXPECT_NE(e.find("cancel_transposes"), std::string::npos) << e;
  for (const char* bad : {"compile:disable=", "compile:disable=fuse_gelu,", "compile:fast"})
    EXPECT_THROW(check_tactic_spec(bad), Error) << bad;
  // A study spec may ablate passes as tactic chains, and is checked before anything runs.
  const std::string toml = "[study]\ntactics = [\"compile\", \"compile:disable=fuse_conv_epilogue,cancel_transposes\"]\n"
                           "[[model]]\npath = \"m\"\ndata = \"d\"\n";
  EXPECT_NO_THROW(study::validate_spec(study::parse_spec(toml, "/tmp/spec.toml")));
  const std::string bad = "[study]\ntactics = [\"compile:disable=fuse_it_all\"]\n[[model]]\npath = \"m\"\ndata = \"d\"\n";
  const std::string se = error_of([&] { study::validate_spec(study::parse_spec(bad, "/tmp/spec.toml")); });
  EXPECT_NE(se.find("unknown pass 'fuse_it_all'"), std::string::npos) << se;
}

class DisablePassCli : public ::testing::Test {
 protected:
  fs::path dir_ = fs::temp_directory_path() / ("ecoinfer_disable_pass_" + std::to_string(::getpid()));
  std::string demo_ = (source_dir() / "demo/resnet20_cifar10").string();
  void TearDown() override { fs::remove_all(dir_); }
  CommandResult cli(const std::string& args) { return run_command(cli_path().string() + " " + args); }
};

TEST_F(DisablePassCli, OptimizePrintsRewritesAndHonoursRepeatedFlags) {
  auto r = cli("optimize " + demo_ + " --tactic compile -o " + (dir_ / "all").string());
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("fold_batchnorm_into_conv 19, fuse_conv_epilogue 19"), std::string::npos) << r.out;
  r = cli("optimize " + demo_ + " --tactic compile --disable-pass fuse_conv_epilogue --disable-pass cancel_transposes -o " +
          (dir_ / "some").string());
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("disabled fuse_conv_epilogue, cancel_transposes"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("fuse_conv_epilogue 19"), std::string::npos) << r.out;
  r = run_command(cli_path().string() + " optimize " + demo_ + " --tactic compile --disable-pass fuse_conv_epilogue --json -o " +
                      (dir_ / "json").string(),
                  false);
  ASSERT_EQ(r.status, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["disabled_passes"], nlohmann::json({"fuse_conv_epilogue"}));
  EXPECT_EQ(j["tactic_results"][0]["spec"], "compile:disable=fuse_conv_epilogue");
  EXPECT_EQ(j["tactic_results"][0]["summary"]["rewrites"]["fuse_conv_epilogue"].get<int>(), 0);
  EXPECT_EQ(j["tactic_results"][0]["summary"]["rewrites"]["fold_batchnorm_into_conv"].get<int>(), 19);
}

TEST_F(DisablePassCli, BenchAndEvalTakeTheFlag) {
  auto r = cli("bench " + demo_ + " --batch 2 --threads 1 --seconds 0.05 --warmup 0 --tactic compile --disable-pass fuse_conv_epilogue");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("disabled fuse_conv_epilogue"), std::string::npos) << r.out;
  r = cli("eval " + demo_ + " --data " + (source_dir() / "demo/cifar10-1000").string() +
          " --limit 20 --batch 10 --tactic compile --disable-pass fold_batchnorm_into_conv --json");
  EXPECT_EQ(r.status, 0) << r.out;
}

TEST_F(DisablePassCli, MistakesAreClearErrors) {
  auto r = cli("optimize " + demo_ + " --tactic compile --disable-pass fuse_everything -o " + (dir_ / "x").string());
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("unknown pass 'fuse_everything'"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("fuse_conv_epilogue"), std::string::npos) << r.out;  // the valid names
  r = cli("optimize " + demo_ + " --tactic dynamic-int8 --disable-pass fuse_gelu -o " + (dir_ / "x").string());
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("add --tactic compile"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace ecoinfer::test
