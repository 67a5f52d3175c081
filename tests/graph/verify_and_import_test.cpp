// The verifier (order, cycles, dangling and duplicate values, arity) and ONNX import
// details: external data, opset range, Constant nodes, dynamic dimensions.
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <fstream>

#include "onnx/onnx_import.h"
#include "runtime/executor.h"
#include "test_paths.h"

namespace ecoinfer::test {
namespace {

namespace fs = std::filesystem;

Node node(const std::string& op, std::vector<std::string> in, std::vector<std::string> out, const std::string& name) {
  Node n;
  n.op_type = op;
  n.name = name;
  n.inputs = std::move(in);
  n.outputs = std::move(out);
  return n;
}

Graph two_relus() {
  Graph g;
  g.opset = 17;
  g.inputs.push_back(ValueInfo{"x", DType::f32, {}, false});
  g.outputs.push_back(ValueInfo{"z", DType::f32, {}, false});
  // Out of order on purpose: the verifier sorts.
  g.nodes.push_back(node("Relu", {"y"}, {"z"}, "second"));
  g.nodes.push_back(node("Relu", {"x"}, {"y"}, "first"));
  return g;
}

TEST(Verifier, SortsTopologically) {
  Graph g = two_relus();
  verify_graph(g);
  EXPECT_EQ(g.nodes[0].name, "first");
  EXPECT_EQ(g.nodes[1].name, "second");
}

TEST(Verifier, RejectsCycleDanglingDuplicateAndArity) {
  auto expect_error = [](Graph g, const std::string& needle) {
    try {
      verify_graph(g);
      ADD_FAILURE() << "no error, expected one mentioning " << needle;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  Graph cycle = two_relus();
  cycle.nodes[1].inputs = {"z"};  // first reads second's output
  expect_error(cycle, "cycle");
  Graph dangling = two_relus();
  dangling.nodes[1].inputs = {"nowhere"};
  expect_error(dangling, "nowhere");
  Graph dup = two_relus();
  dup.nodes[0].outputs = {"y"};
  expect_error(dup, "already produced");
  Graph arity = two_relus();
  arity.nodes[0].inputs = {"y", "x"};
  expect_error(arity, "2 inputs");
  Graph unknown = two_relus();
  unknown.nodes[0].op_type = "Frobnicate";
  expect_error(unknown, "Frobnicate");
  Graph no_out = two_relus();
  no_out.outputs[0].name = "q";
  expect_error(no_out, "'q'");
}

onnx::ModelProto relu_add_model(int opset) {
  onnx::ModelProto m;
  m.set_ir_version(8);
  m.add_opset_import()->set_version(opset);
  auto* g = m.mutable_graph();
  auto* in = g->add_input();
  in->set_name("x");
  auto* tt = in->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(onnx::TensorProto::FLOAT);
  tt->mutable_shape()->add_dim()->set_dim_param("batch");
  tt->mutable_shape()->add_dim()->set_dim_value(4);
  g->add_output()->set_name("y");
  auto* n = g->add_node();
  n->set_op_type("Add");
  n->add_input("x");
  n->add_input("w");
  n->add_output("y");
  return m;
}

TEST(OnnxImport, ExternalDataIsReadAndConfinedToTheModelFolder) {
  const fs::path dir = fs::temp_directory_path() / ("ecoinfer_ext_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const float w[4] = {1, 2, 3, 4};
  {
    std::ofstream f(dir / "weights.bin", std::ios::binary);
    f.write("padding!", 8);
    f.write(reinterpret_cast<const char*>(w), sizeof w);
  }
  auto m = relu_add_model(17);
  auto* init = m.mutable_graph()->add_initializer();
  init->set_name("w");
  init->set_data_type(onnx::TensorProto::FLOAT);
  init->add_dims(4);
  init->set_data_location(onnx::TensorProto::EXTERNAL);
  auto kv = [&](const char* k, const std::string& v) {
    auto* e = init->add_external_data();
    e->set_key(k);
    e->set_value(v);
  };
  kv("location", "weights.bin");
  kv("offset", "8");
  kv("length", "16");
  {
    std::ofstream f(dir / "model.onnx", std::ios::binary);
    f << m.SerializeAsString();
  }
  Graph g = load_onnx(dir / "model.onnx");
  ASSERT_TRUE(g.is_initializer("w"));
  EXPECT_EQ(g.initializer("w")->to_f32_vector(), std::vector<float>({1, 2, 3, 4}));
  ASSERT_EQ(g.inputs.size(), 1u);
  EXPECT_FALSE(g.inputs[0].shape[0].known());
  EXPECT_EQ(g.inputs[0].shape[0].symbol, "batch");
  Tensor x = Tensor::from<float>({2, 4}, std::vector<float>{0, 0, 0, 0, 1, 1, 1, 1});
  Tensor y = EagerExecutor(g, RunOptions{}).run({x}).at(0);
  EXPECT_EQ(y.to_f32_vector(), std::vector<float>({1, 2, 3, 4, 2, 3, 4, 5}));
  // A location outside the folder is refused.
  init->mutable_external_data(0)->set_value("../outside.bin");
  {
    std::ofstream f(dir / "escape.onnx", std::ios::binary);
    f << m.SerializeAsString();
  }
  try {
    load_onnx(dir / "escape.onnx");
    ADD_FAILURE() << "escaping external data path accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("inside the model folder"), std::string::npos) << e.what();
  }
  // A length that does not match the shape is refused.
  init->mutable_external_data(0)->set_value("weights.bin");
  init->mutable_external_data(2)->set_value("12");
  {
    std::ofstream f(dir / "short.onnx", std::ios::binary);
    f << m.SerializeAsString();
  }
  EXPECT_THROW(load_onnx(dir / "short.onnx"), Error);
  fs::remove_all(dir);
}

TEST(OnnxImport, OpsetRangeAndRawDataSizeAreChecked) {
  auto m = relu_add_model(22);
  auto* init = m.mutable_graph()->add_initializer();
  init->set_name("w");
  init->set_data_type(onnx::TensorProto::FLOAT);
  init->add_dims(4);
  init->set_raw_data(std::string(16, '\0'));
  std::string bytes = m.SerializeAsString();
  EXPECT_THROW(load_onnx_bytes(bytes.data(), bytes.size(), "new.onnx", {}), Error);
  m.mutable_opset_import(0)->set_version(3);  // opsets 1-6 load (issue 17)
  bytes = m.SerializeAsString();
  EXPECT_NO_THROW(load_onnx_bytes(bytes.data(), bytes.size(), "old.onnx", {}));
  m.mutable_opset_import(0)->set_version(13);
  init->set_raw_data(std::string(12, '\0'));  // shape [4] needs 16 bytes
  bytes = m.SerializeAsString();
  try {
    load_onnx_bytes(bytes.data(), bytes.size(), "short.onnx", {});
    ADD_FAILURE() << "short raw_data accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("initializer 'w'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ecoinfer::test
