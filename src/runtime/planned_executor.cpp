// The planned executor behind the `compile` tactic. The graph it receives has already
// been through the compile passes (BN folding, fused epilogues, ...). For each distinct
// input-shape signature it builds a plan once: every value that depends only on shapes
// (Shape -> Gather -> Concat -> Reshape chains, Range, ConstantOfShape, ...) is computed
// and frozen into constants, dead nodes go, and the node list with its slot and lifetime
// tables and per-node kernel state (pre-packed weights, oneDNN primitives) is kept for
// every later call with the same shapes, with a static memory plan (memory_plan.cpp) that
// gives every intermediate value a fixed slice of one arena.
#include <chrono>
#include <map>

#include "passes/pass.h"
#include "runtime/executor.h"

namespace ecoinfer {

Graph compile_for_shapes(const Graph& source, const std::vector<Shape>& shapes) {
  Graph g = source;
  for (size_t i = 0; i < g.inputs.size() && i < shapes.size(); ++i) {
    g.inputs[i].shape.clear();
    for (int64_t d : shapes[i]) g.inputs[i].shape.push_back(Dim{d, ""});
    g.inputs[i].has_shape = true;
  }
  std::deque<Tensor> keep;
  auto meta = infer_shapes(g, shapes, keep);
  std::unordered_map<std::string, bool> is_output;
  for (auto& o : g.outputs) is_output[o.name] = true;
  int frozen = 0;
  for (Node& n : g.nodes) {
    bool all_known = !n.outputs.empty();
    for (auto& o : n.outputs) {
      if (o.empty()) continue;
      auto m = meta.find(o);
      all_known &= m != meta.end() && m->second.value != nullptr && !is_output.count(o);
    }
    if (!all_known) continue;
    for (auto& o : n.outputs)
      if (!o.empty()) g.initializers[o] = *meta.at(o).value;
    n.op_type.clear();
    ++frozen;
  }
  if (frozen) passes::compact(g);
  passes::run_compile_passes(g, &meta);  // the shapes let passes check what kernels accept
  return g;
}

namespace {

class PlannedExecutor : public Executor {
 public:
  PlannedExecutor(const Graph& g, RunOptions opts) : graph_(g), opts_(opts) {}

  std::vector<Tensor> run(const std::vector<Tensor>& inputs) override {
    check_inputs(graph_, inputs);
    std::vector<Shape> key;
    for (auto& t : inputs) key.push_back(t.shape());
    return plan_for(key).runner->run(inputs);
  }

  PrepareReport prepare(const std::vector<Shape>& shapes) override {
    const auto t0 = std::chrono::steady_clock::now();
    check_inputs(graph_, zero_inputs(graph_, shapes));
    PrepareReport r = plan_for(shapes).runner->prepare(shapes);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return r;
  }

 private:
  static constexpr size_t kMaxPlans = 8;
  struct Plan {
    Graph graph;
    std::unique_ptr<EagerExecutor> runner;
  };

  Plan& plan_for(const std::vector<Shape>& key) {
    auto it = plans_.find(key);
    if (it == plans_.end()) {
      // Bound the cache: a stream of ever-new batch sizes must not grow memory forever.
      if (plans_.size() >= kMaxPlans) plans_.clear();
      it = plans_.emplace(key, build(key)).first;
    }
    return *it->second;
  }

  std::unique_ptr<Plan> build(const std::vector<Shape>& shapes) {
    auto plan = std::make_unique<Plan>();
    plan->graph = compile_for_shapes(graph_, shapes);
    const Graph& g = plan->graph;
    plan->runner = std::make_unique<EagerExecutor>(g, opts_);
    std::deque<Tensor> keep;
    plan->runner->set_memory_plan(plan_memory(g, infer_shapes(g, shapes, keep)));
    return plan;
  }

  const Graph& graph_;
  RunOptions opts_;
  std::map<std::vector<Shape>, std::unique_ptr<Plan>> plans_;
};

}  // namespace

std::unique_ptr<Executor> make_planned_executor(const Graph& g, RunOptions opts) {
  return std::make_unique<PlannedExecutor>(g, opts);
}

}  // namespace ecoinfer
