// The CLI's documented JSON keys and the infer round trip, on the bundled demo.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "data/npy.h"
#include "test_paths.h"

namespace ecoinfer::test {
namespace {

namespace fs = std::filesystem;

nlohmann::json cli_json(const std::string& args) {
  CommandResult r = run_command(cli_path().string() + " " + args, false);
  EXPECT_EQ(r.status, 0) << args << "\n" << r.out;
  try {
    return nlohmann::json::parse(r.out);
  } catch (...) {
    ADD_FAILURE() << "not JSON: " << r.out;
    return {};
  }
}

const std::string kDemo = (source_dir() / "demo/resnet20_cifar10").string();

TEST(Cli, InspectJson) {
  auto j = cli_json("inspect " + kDemo + " --json");
  EXPECT_EQ(j["parameters"].get<int64_t>(), 271098);  // ResNet-20's 0.27 M, PyTorch's count
  EXPECT_EQ(j["macs_per_image"].get<int64_t>(), 40551040);
  EXPECT_GT(j["model_bytes"].get<int64_t>(), 1000000);
  EXPECT_EQ(j["op_counts"]["Conv"].get<int>(), 19);
  EXPECT_EQ(j["inputs"][0]["name"], "pixel_values");
  EXPECT_EQ(j["inputs"][0]["shape"][0], "batch");
}

TEST(Cli, EvalJsonOnDemo) {
  auto j = cli_json("eval " + kDemo + " --data " + (source_dir() / "demo/cifar10-1000").string() + " --limit 200 --batch 50 --json");
  for (const char* k : {"top1", "top5", "images", "seconds"}) EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_EQ(j["images"].get<int>(), 200);
  EXPECT_GE(j["top1"].get<double>(), 0.5);
  EXPECT_LE(j["top1"].get<double>(), j["top5"].get<double>());
  EXPECT_GT(j["seconds"].get<double>(), 0);
}

TEST(Cli, BenchJson) {
  auto j = cli_json("bench " + kDemo + " --batch 2 --threads 1 --seconds 0.2 --warmup 0.05 --json");
  for (const char* k : {"p50_ms", "p90_ms", "p99_ms", "images_per_s", "batch", "threads"}) EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_EQ(j["batch"].get<int>(), 2);
  EXPECT_EQ(j["threads"].get<int>(), 1);
  EXPECT_LE(j["p50_ms"].get<double>(), j["p99_ms"].get<double>());
}

TEST(Cli, InferRoundTripMatchesReferenceLogits) {
  const fs::path dir = fs::temp_directory_path() / ("ecoinfer_cli_infer_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  // The first 3 of the reference inputs, as .npy.
  const auto model = shared_dir() / "models/resnet20_cifar10";
  std::ifstream in(model / "inputs_first64.f32", std::ios::binary);
  Tensor x = Tensor::empty(DType::f32, {3, 3, 32, 32});
  in.read(static_cast<char*>(x.raw()), static_cast<std::streamsize>(x.nbytes()));
  write_npy(dir / "x.npy", x);
  CommandResult r = run_command(cli_path().string() + " infer " + model.string() + " --input " + (dir / "x.npy").string() +
                                " --output " + (dir / "y.npy").string());
  ASSERT_EQ(r.status, 0) << r.out;
  Tensor y = read_npy(dir / "y.npy");
  ASSERT_EQ(y.shape(), (Shape{3, 10}));
  auto want = read_json_file(model / "reference.json")["variants"]["fp32"]["logits_first64"];
  for (int i = 0; i < 3; ++i)
    for (int k = 0; k < 10; ++k) EXPECT_NEAR(y.data<float>()[i * 10 + k], want[i][k].get<double>(), 1e-4);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ecoinfer::test
