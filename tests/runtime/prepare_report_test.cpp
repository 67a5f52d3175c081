// Executor::prepare(): the kernel of every node, the nodes a fast kernel of this CPU declined
// (reference fallbacks), and apart from them the nodes whose op's fast kernels all need a CPU
// feature this CPU lacks. The expectations branch on the CPU: on an AVX-512 machine the
// broadcast Sub is a real fallback, elsewhere a CPU-limited one.
#include <gtest/gtest.h>

#include <algorithm>

#include "ops/registry.h"
#include "runtime/executor.h"
#include "runtime/graph_builders.h"

namespace ecoinfer::test {
namespace {

ValueInfo input(const std::string& name, std::vector<int64_t> dims) {
  ValueInfo v{name, DType::f32, {}, true};
  for (int64_t d : dims) v.shape.push_back(Dim{d, ""});
  return v;
}

// sub = a - b with both operands broadcast ([3,1,5] - [3,5,1]): only the AVX-512 binary
// kernel exists for Sub, and it does not take two-sided broadcasts. pool = MaxPool with its
// Indices output: the oneDNN pooling kernel runs on every CPU and leaves Indices to the reference.
Graph graph() {
  Graph g;
  g.opset = 17;
  g.inputs = {input("a", {3, 1, 5}), input("b", {3, 5, 1}), input("x", {1, 1, 4, 4})};
  g.outputs = {ValueInfo{"sub", DType::f32, {}, false}, ValueInfo{"pool", DType::f32, {}, false},
               ValueInfo{"idx", DType::i64, {}, false}};
  g.nodes.push_back(node("Sub", {"a", "b"}, {"sub"}));
  g.nodes.push_back(node("MaxPool", {"x"}, {"pool", "idx"}, {{"kernel_shape", ints({2, 2})}, {"strides", ints({2, 2})}}));
  return g;
}

const KernelFallback* find(const std::vector<KernelFallback>& v, const std::string& node) {
  auto it = std::find_if(v.begin(), v.end(), [&](const KernelFallback& f) { return f.node == node; });
  return it == v.end() ? nullptr : &*it;
}

bool contains(const std::vector<std::string>& v, const std::string& part) {
  return std::any_of(v.begin(), v.end(), [&](const std::string& s) { return s.find(part) != std::string::npos; });
}

TEST(PrepareReport, DeclinedKernelsApartFromKernelsThisCpuLacks) {
  const Graph g = graph();
  for (ExecutorKind kind : {ExecutorKind::eager, ExecutorKind::planned}) {
    SCOPED_TRACE(kind == ExecutorKind::eager ? "eager" : "planned");
    auto exec = make_executor(g, kind, RunOptions{1, false});
    const PrepareReport r = exec->prepare({{3, 1, 5}, {3, 5, 1}, {1, 1, 4, 4}});
    EXPECT_EQ(r.nodes, 2u);
    EXPECT_EQ(r.kernels.size(), 2u);
    EXPECT_GE(r.seconds, 0.0);

    const KernelFallback* pool = find(r.fallbacks, "pool");
    ASSERT_NE(pool, nullptr) << "MaxPool with Indices is a reference fallback on every CPU";
    EXPECT_EQ(pool->op_type, "MaxPool");
    EXPECT_TRUE(contains(pool->declined, "f32-maxpool2d-dnnl"));
    EXPECT_NE(pool->input_shapes.find("[1, 1, 4, 4]"), std::string::npos) << pool->input_shapes;
    EXPECT_EQ(find(r.cpu_limited, "pool"), nullptr);

    if (cpu_has(CpuFeature::avx512f)) {
      const KernelFallback* sub = find(r.fallbacks, "sub");
      ASSERT_NE(sub, nullptr);
      EXPECT_TRUE(contains(sub->declined, "f32-sub-broadcast-avx512"));
      EXPECT_TRUE(sub->not_on_this_cpu.empty());
      EXPECT_TRUE(r.cpu_limited.empty());
    } else {
      EXPECT_EQ(find(r.fallbacks, "sub"), nullptr) << "a kernel this CPU cannot run did not decline anything";
      const KernelFallback* sub = find(r.cpu_limited, "sub");
      ASSERT_NE(sub, nullptr);
      EXPECT_TRUE(sub->declined.empty());
      EXPECT_TRUE(contains(sub->not_on_this_cpu, "f32-sub-broadcast-avx512 (needs AVX-512"));
    }
    // The prepared shapes run, and give the reference's values.
    const std::vector<Tensor> out = exec->run({Tensor::zeros(DType::f32, {3, 1, 5}), Tensor::zeros(DType::f32, {3, 5, 1}),
                                               Tensor::zeros(DType::f32, {1, 1, 4, 4})});
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[0].shape(), (Shape{3, 5, 5}));
    EXPECT_EQ(out[1].shape(), (Shape{1, 1, 2, 2}));
  }
}

TEST(PrepareReport, ReferenceOnlyHasNoFallbacks) {
  const Graph g = graph();  // outlives the executor, which refers to it
  auto exec = make_executor(g, ExecutorKind::eager, RunOptions{1, true});
  const PrepareReport r = exec->prepare({{3, 1, 5}, {3, 5, 1}, {1, 1, 4, 4}});
  EXPECT_TRUE(r.fallbacks.empty());
  EXPECT_TRUE(r.cpu_limited.empty());
  ASSERT_EQ(r.kernels.size(), 2u);
  for (const std::string& k : r.kernels) EXPECT_NE(k.find("reference"), std::string::npos) << k;
}

}  // namespace
}  // namespace ecoinfer::test
