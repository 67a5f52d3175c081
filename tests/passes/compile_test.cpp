// The compile tactic: every pass keeps the numbers (planned executor vs eager on every
// parity fixture within 1e-4 relative) and makes the rewrites it claims.
#include <gtest/gtest.h>

#include <cmath>

#include "data/npy.h"
#include "ops/op_cases.h"
#include "model/model_folder.h"
#include "onnx/onnx_import.h"
#include "passes/pass.h"
#include "runtime/executor.h"
#include "tactics/tactic.h"
#include "test_paths.h"

namespace ecoinfer::test {
namespace {

class CompileFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(CompileFixture, PlannedMatchesEagerWithin1e4Relative) {
  const auto dir = source_dir() / "tests/fixtures/parity" / GetParam();
  ModelBundle m = load_model(dir / "model.onnx");
  Tensor x = read_npy(dir / "input.npy");
  Tensor eager = EagerExecutor(m.graph, RunOptions{2, false}).run({x}).at(0);
  const TacticContext results_tc = apply_tactics(m, {"compile"});
  const auto& results = results_tc.results;
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results_tc.executor, ExecutorKind::planned);
  auto exec = make_executor(m.graph, results_tc.executor, RunOptions{2, false});
  Tensor first;
  for (int rep = 0; rep < 2; ++rep) {  // the second call reuses the cached plan and its arena
    Tensor y = exec->run({x}).at(0);
    ASSERT_EQ(y.shape(), eager.shape());
    EXPECT_LE(scaled_max_error(y, eager), 1e-4) << "call " << rep;
    if (rep == 0) first = y;
  }
  EXPECT_LE(scaled_max_error(first, eager), 1e-4) << "the first result changed when the plan ran again";
  // A different batch size gets its own plan and the same numbers for its rows.
  Shape s1 = x.shape();
  s1[0] = 1;
  Tensor x1 = Tensor::empty(DType::f32, s1);
  std::memcpy(x1.raw(), x.raw(), x1.nbytes());
  Tensor y1 = exec->run({x1}).at(0);
  Tensor e1 = Tensor::empty(DType::f32, y1.shape());
  std::memcpy(e1.raw(), eager.raw(), e1.nbytes());
  EXPECT_LE(scaled_max_error(y1, e1), 1e-4);
  // No BatchNormalization that directly follows a Conv survives (DenseNet's pre-activation
  // BNs follow Concat/Relu and cannot fold).
  passes::GraphIndex idx(m.graph);
  for (auto& n : m.graph.nodes) {
    if (n.op_type != "BatchNormalization") continue;
    const int p = idx.producer(n.inputs[0]);
    if (p < 0) continue;
    const std::string& prev = idx.node(p).op_type;
    EXPECT_TRUE(prev != "Conv" && prev != "FusedConv") << GetParam() << ": " << n.name << " after " << prev;
  }
}

INSTANTIATE_TEST_SUITE_P(Families, CompileFixture, ::testing::ValuesIn(parity_fixture_names()), [](const auto& i) { return i.param; });

TEST(CompilePasses, ResNet20RewritesAsClaimed) {
  ModelBundle m = load_model(shared_dir() / "models/resnet20_cifar10");
  auto ops_before = m.graph.op_counts();
  ASSERT_EQ(ops_before["BatchNormalization"], 19);
  const TacticContext r_tc = apply_tactics(m, {"compile"});
  const auto& r = r_tc.results;
  auto& rw = r[0].summary["rewrites"];
  EXPECT_EQ(rw["fold_batchnorm_into_conv"].get<int>(), 19);
  EXPECT_EQ(rw["fuse_conv_epilogue"].get<int>(), 19);  // every conv takes its ReLU, 9 also a residual
  auto ops = m.graph.op_counts();
  EXPECT_EQ(ops.count("BatchNormalization"), 0u);
  EXPECT_EQ(ops.count("Relu"), 0u);
  EXPECT_EQ(ops["FusedConv"], 19);
  EXPECT_EQ(ops.count("Add"), 0u);
}

TEST(CompilePasses, ResNet20ConvolutionsStayChannelsLast) {
  // Option-A shortcuts (Slice of every other pixel, Pad of the channels) sit between the
  // convolutions: their Transposes move below them and cancel, so the whole network runs
  // NHWC with one Transpose at the input and one before the pooling.
  ModelBundle m = load_model(shared_dir() / "models/resnet20_cifar10");
  const TacticContext m_tc = apply_tactics(m, {"compile"});
  Graph g = compile_for_shapes(m.graph, {{32, 3, 32, 32}});
  auto ops = g.op_counts();
  EXPECT_EQ(ops["FusedConv"], 19);
  EXPECT_EQ(ops["Transpose"], 2);
  for (auto& n : g.nodes)
    if (n.op_type == "FusedConv") EXPECT_EQ(n.attr_int("channels_last", 0), 1) << n.name;
}

TEST(CompilePasses, VitAttentionIsFused) {
  // Each of the 6 blocks: Split -> 3 x (Reshape, Transpose) -> MatMul -> Div -> Softmax ->
  // MatMul -> Transpose -> Reshape becomes one MultiHeadAttention reading the packed qkv.
  ModelBundle m = load_model(shared_dir() / "models/vit_cifar10");
  apply_tactics(m, {"compile"});
  Graph g = compile_for_shapes(m.graph, {{4, 3, 32, 32}});
  auto ops = g.op_counts();
  EXPECT_EQ(ops["MultiHeadAttention"], 6);
  EXPECT_EQ(ops.count("Softmax"), 0u);
  EXPECT_EQ(ops.count("Split"), 0u);
  EXPECT_EQ(ops.count("Div"), 0u);
  for (auto& n : g.nodes)
    if (n.op_type == "MultiHeadAttention") {
      EXPECT_EQ(n.attr_int("packed_qkv", 0), 1);
      EXPECT_EQ(n.attr_int("batch", 0), 4);
      EXPECT_EQ(n.attr_int("tokens", 0), 65);
    }
}

// Three 3x3 convolutions (16 channels) joined by `between`: Relu fuses into the conv,
// Sigmoid stays a node that Transposes move across, Softmax is one they cannot cross.
// Graph-building helpers for the layout tests: a node `type`(in...) -> out, and a Conv whose
// [co, ci, k, k] weight (values seeded, in [-0.3, 0.3]) becomes an initializer; 3x3 is padded.
void add_op(Graph& g, const std::string& type, std::vector<std::string> in, const std::string& out) {
  Node n;
  n.op_type = type;
  n.name = out;
  n.inputs = std::move(in);
  n.outputs = {out};
  g.nodes.push_back(n);
}
void add_conv(Graph& g, const std::string& in, const std::string& out, int64_t co, int64_t ci, int64_t k, uint32_t seed) {
  g.initializers[out + "_w"] = random_f32({co, ci, k, k}, seed, -0.3f, 0.3f);
  add_op(g, "Conv", {in, out + "_w"}, out);
  if (k == 3) g.nodes.back().attrs["pads"] = attr_ints({1, 1, 1, 1});
}

Graph conv_chain(const std::string& between) {
  Graph g;
  g.opset = 17;
  g.inputs.push_back(ValueInfo{"x", DType::f32, {Dim{1, ""}, Dim{16, ""}, Dim{6, ""}, Dim{6, ""}}, true});
  std::string prev = "x";
  for (int i = 0; i < 3; ++i) {
    const std::string c = "c" + std::to_string(i), a = "a" + std::to_string(i);
    add_conv(g, prev, c, 16, 16, 3, 40 + i);
    add_op(g, between, {c}, a);
    prev = a;
  }
  g.outputs.push_back(ValueInfo{prev, DType::f32, {}, false});
  return g;
}

TEST(CompilePasses, ChannelsLastOnlyWhereTransposesCancel) {
  Tensor x = random_f32({1, 16, 6, 6}, 7);
  for (const std::string between : {"Relu", "Sigmoid", "Softmax"}) {
    SCOPED_TRACE(between);
    Graph g = conv_chain(between);
    Tensor eager = EagerExecutor(g, RunOptions{1, false}).run({x}).at(0);
    Graph c = compile_for_shapes(g, {{1, 16, 6, 6}});
    auto ops = c.op_counts();
    int channels_last = 0;
    for (auto& n : c.nodes) channels_last += n.attr_int("channels_last", 0) != 0;
    if (between != "Softmax") {  // one chain: NHWC throughout, a Transpose at each end
      EXPECT_EQ(channels_last, 3);
      EXPECT_EQ(ops["Transpose"], 2);
    } else {  // each conv alone between Softmaxes: six Transposes would survive, so none is made
      EXPECT_EQ(channels_last, 0);
      EXPECT_EQ(ops.count("Transpose"), 0u);
    }
    Tensor y = EagerExecutor(c, RunOptions{1, false}).run({x}).at(0);
    EXPECT_LE(scaled_max_error(y, eager), 1e-5);
  }
}

TEST(CompilePasses, SqueezeExcitationBlockStaysChannelsLast) {
  // EfficientNet's pattern: conv -> SiLU -> [GlobalAveragePool -> conv -> Relu -> conv ->
  // Sigmoid] -> Mul(feature, gate) -> conv. Transposes move across SiLU's Sigmoid/Mul, the
  // gate's Sigmoid and the Mul, and the pooling becomes a ReduceMean over H and W.
  Graph g;
  g.opset = 17;
  g.inputs.push_back(ValueInfo{"x", DType::f32, {Dim{2, ""}, Dim{16, ""}, Dim{6, ""}, Dim{6, ""}}, true});
  add_conv(g, "x", "c1", 16, 16, 3, 50);
  add_op(g, "Sigmoid", {"c1"}, "s1");
  add_op(g, "Mul", {"c1", "s1"}, "f");
  add_op(g, "GlobalAveragePool", {"f"}, "pool");
  add_conv(g, "pool", "r", 8, 16, 1, 51);
  add_op(g, "Relu", {"r"}, "rr");
  add_conv(g, "rr", "e", 16, 8, 1, 52);
  add_op(g, "Sigmoid", {"e"}, "gate");
  add_op(g, "Mul", {"f", "gate"}, "scaled");
  add_conv(g, "scaled", "y", 16, 16, 3, 53);
  g.outputs.push_back(ValueInfo{"y", DType::f32, {}, false});
  Tensor x = random_f32({2, 16, 6, 6}, 54);
  Tensor want = EagerExecutor(g, RunOptions{1, false}).run({x}).at(0);
  Graph c = compile_for_shapes(g, {{2, 16, 6, 6}});
  auto ops = c.op_counts();
  int channels_last = 0;
  for (auto& n : c.nodes) channels_last += n.attr_int("channels_last", 0) != 0;
  EXPECT_EQ(channels_last, 4);
  EXPECT_EQ(ops["Transpose"], 2);
  EXPECT_EQ(ops["ReduceMean"], 1);
  EXPECT_EQ(ops.count("GlobalAveragePool"), 0u);
  Tensor got = EagerExecutor(c, RunOptions{1, false}).run({x}).at(0);
  EXPECT_LE(scaled_max_error(got, want), 1e-5);
}

TEST(CompilePasses, TransposesMoveBelowSliceAndPadAndCancel) {
  // NCHW -> NHWC, Slice (int32 indices, a step of 2 on H, a negative end on C), Pad (W and C),
  // back to NCHW: both Transposes go, and the numbers stay.
  Graph g;
  g.opset = 17;
  g.inputs.push_back(ValueInfo{"x", DType::f32, {Dim{2, ""}, Dim{4, ""}, Dim{6, ""}, Dim{5, ""}}, true});
  g.initializers["starts"] = Tensor::from<int32_t>({2}, std::vector<int32_t>{0, 1});
  g.initializers["ends"] = Tensor::from<int32_t>({2}, std::vector<int32_t>{6, -1});
  g.initializers["axes"] = Tensor::from<int32_t>({2}, std::vector<int32_t>{1, -1});
  g.initializers["steps"] = Tensor::from<int32_t>({2}, std::vector<int32_t>{2, 1});
  g.initializers["pads"] = Tensor::from<int64_t>({8}, std::vector<int64_t>{0, 0, 1, 0, 0, 0, 2, 1});
  Node t1 = passes::make_transpose("x", "t", {0, 2, 3, 1});
  Node slice;
  slice.op_type = "Slice";
  slice.name = "slice";
  slice.inputs = {"t", "starts", "ends", "axes", "steps"};
  slice.outputs = {"s"};
  Node pad;
  pad.op_type = "Pad";
  pad.name = "pad";
  pad.inputs = {"s", "pads"};
  pad.outputs = {"p"};
  Node t2 = passes::make_transpose("p", "y", {0, 3, 1, 2});
  g.nodes = {t1, slice, pad, t2};
  g.outputs.push_back(ValueInfo{"y", DType::f32, {}, false});
  Tensor x = random_f32({2, 4, 6, 5}, 3);
  Tensor want = EagerExecutor(g, RunOptions{1, false}).run({x}).at(0);
  Graph c = compile_for_shapes(g, {{2, 4, 6, 5}});
  EXPECT_EQ(c.op_counts().count("Transpose"), 0u);
  Tensor got = EagerExecutor(c, RunOptions{1, false}).run({x}).at(0);
  ASSERT_EQ(got.shape(), want.shape());
  EXPECT_EQ(got.to_f32_vector(), want.to_f32_vector());  // copies only: exact
}

TEST(CompilePasses, GeluPatternIsFused) {
  // fuzz/corpus/layernorm_gelu.onnx holds the erf GELU exactly as torch exports it.
  ModelBundle m = load_model(source_dir() / "fuzz/corpus/layernorm_gelu.onnx");
  Tensor x = Tensor::empty(DType::f32, {2, 5, 8});
  for (int64_t i = 0; i < x.numel(); ++i) x.data<float>()[i] = std::sin(0.37 * i) * 3;
  Tensor eager = EagerExecutor(m.graph, RunOptions{1, false}).run({x}).at(0);
  const TacticContext r_tc = apply_tactics(m, {"compile"});
  const auto& r = r_tc.results;
  EXPECT_EQ(r[0].summary["rewrites"]["fuse_gelu"].get<int>(), 1);
  auto ops = m.graph.op_counts();
  EXPECT_EQ(ops["Gelu"], 1);
  EXPECT_EQ(ops.count("Erf"), 0u);
  Tensor y = make_executor(m.graph, r_tc.executor, RunOptions{1, false})->run({x}).at(0);
  EXPECT_LE(scaled_max_error(y, eager), 1e-5);
}

TEST(CompilePasses, DecomposedLayerNormIsFused) {
  ModelBundle m = load_model(source_dir() / "tests/fixtures/parity/vit_opset13/model.onnx");
  ASSERT_EQ(m.graph.op_counts().count("LayerNormalization"), 0u);
  const TacticContext r_tc = apply_tactics(m, {"compile"});
  const auto& r = r_tc.results;
  EXPECT_EQ(r[0].summary["rewrites"]["fuse_layernorm"].get<int>(), 5);  // 2 layers x 2 + the final norm
  auto ops = m.graph.op_counts();
  EXPECT_EQ(ops["LayerNormalization"], 5);
  EXPECT_EQ(ops.count("ReduceMean"), 0u);
  EXPECT_EQ(ops.count("Sqrt"), 0u);
}

// Shape -> Gather -> Reshape over a dynamic batch: the compiled executor folds that arithmetic
// for the shape it is planned for and must plan again when the batch changes (3, 1, then 5
// and 3 again through one executor), matching eager execution on random inputs.
TEST(CompilePasses, ShapeArithmeticFreezesPerShape) {
  ModelBundle m = load_model(source_dir() / "fuzz/corpus/shape_subgraph.onnx");
  const Graph original = m.graph;
  EagerExecutor eager(original, RunOptions{1, false});
  const TacticContext m_tc = apply_tactics(m, {"compile"});
  auto exec = make_executor(m.graph, m_tc.executor, RunOptions{1, false});
  uint32_t seed = 1;
  for (int64_t batch : {3, 1, 5, 3}) {
    SCOPED_TRACE("batch " + std::to_string(batch));
    const Tensor x = random_f32({batch, 3, 8, 8}, seed++, -2.f, 2.f);
    const Tensor ref = eager.run({x}).at(0);
    const Tensor y = exec->run({x}).at(0);
    ASSERT_EQ(y.shape(), (Shape{batch, 4}));
    // Softmax rows of random logits: not all equal, so a row mixed up across the batch shows.
    EXPECT_GT(ref.data<float>()[0], 0.f);
    EXPECT_LE(scaled_max_error(y, ref), 1e-6);
  }
}

TEST(CompilePasses, CompileTakesNoArgument) {
  ModelBundle m = load_model(source_dir() / "fuzz/corpus/conv_relu_gemm.onnx");
  EXPECT_THROW(apply_tactics(m, {"compile:fast"}), Error);
}

}  // namespace
}  // namespace ecoinfer::test
