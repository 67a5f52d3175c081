// `ecoinfer infer` feeds a tensor as given: a bare .onnx whose 4-D input is not an RGB
// image (1 channel, more channels than any image) runs without image-preprocessing checks
// (issue 17: "image_mean has 3 values, the model has 1 channel(s)" refused 22 ONNX
// conformance cases). `eval`, which feeds images, still checks.
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <fstream>

#include "data/npy.h"
#include "test_paths.h"

namespace ecoinfer::test {
namespace {

namespace fs = std::filesystem;

// y = Relu(x) for x of `shape` (float32).
void write_relu_model(const fs::path& file, const std::vector<int64_t>& shape) {
  onnx::ModelProto m;
  m.set_ir_version(8);
  m.add_opset_import()->set_version(17);
  auto* g = m.mutable_graph();
  g->set_name("relu");
  auto declare = [&](onnx::ValueInfoProto* v, const char* name) {
    v->set_name(name);
    auto* tt = v->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(onnx::TensorProto::FLOAT);
    for (int64_t d : shape) tt->mutable_shape()->add_dim()->set_dim_value(d);
  };
  declare(g->add_input(), "x");
  declare(g->add_output(), "y");
  auto* n = g->add_node();
  n->set_op_type("Relu");
  n->add_input("x");
  n->add_output("y");
  std::ofstream(file, std::ios::binary) << m.SerializeAsString();
}

class InferTensor : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ecoinfer_infer_tensor_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs infer on Relu over `shape` with inputs -1, 2, -3, ... and checks the output file.
  void expect_relu_runs(const std::vector<int64_t>& shape) {
    write_relu_model(dir_ / "relu.onnx", shape);
    Tensor x = Tensor::empty(DType::f32, shape);
    for (int64_t i = 0; i < x.numel(); ++i) x.data<float>()[i] = static_cast<float>(i % 2 ? i + 1 : -(i + 1));
    write_npy(dir_ / "x.npy", x);
    CommandResult r = run_command(cli_path().string() + " infer " + (dir_ / "relu.onnx").string() + " --input " +
                                  (dir_ / "x.npy").string() + " --output " + (dir_ / "y.npy").string());
    ASSERT_EQ(r.status, 0) << r.out;
    Tensor y = read_npy(dir_ / "y.npy");
    ASSERT_EQ(y.shape(), x.shape());
    for (int64_t i = 0; i < y.numel(); ++i) EXPECT_EQ(y.data<float>()[i], static_cast<float>(i % 2 ? i + 1 : 0)) << i;
  }
  fs::path dir_;
};

TEST_F(InferTensor, OneChannelInputRunsWithoutImageChecks) { expect_relu_runs({2, 1, 3, 3}); }

TEST_F(InferTensor, NonImageFourDimensionalInputRuns) {
  // 70,000 "channels" is no image (eval refuses it), but a tensor all the same.
  expect_relu_runs({1, 70000, 1, 1});
}

TEST_F(InferTensor, ImageFlagsAreNotOptionsOfInfer) {
  write_relu_model(dir_ / "relu.onnx", {1, 1, 2, 2});
  write_npy(dir_ / "x.npy", Tensor::zeros(DType::f32, {1, 1, 2, 2}));
  CommandResult r = run_command(cli_path().string() + " infer " + (dir_ / "relu.onnx").string() + " --input " +
                                (dir_ / "x.npy").string() + " --mean 0.5");
  EXPECT_NE(r.status, 0) << r.out;  // CLI11's usage error, not a crash
  EXPECT_LT(r.status, 128) << r.out;
  EXPECT_NE(r.out.find("--mean"), std::string::npos) << r.out;
}

TEST_F(InferTensor, EvalStillChecksTheImageSettings) {
  write_relu_model(dir_ / "relu.onnx", {1, 1, 2, 2});
  fs::create_directories(dir_ / "data/a");
  CommandResult r = run_command(cli_path().string() + " eval " + (dir_ / "relu.onnx").string() + " --data " +
                                (dir_ / "data").string() + " --mean 0.5,0.5,0.5");
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("image_mean has 3 values, the model has 1 channel(s)"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace ecoinfer::test
