#pragma once
// The eager executor runs the imported graph node by node with a fresh output buffer per
// node and no fusion, as PyTorch eager does: the baseline every tactic is compared with.
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "graph/graph.h"
#include "ops/registry.h"

namespace ecoinfer {

enum class ExecutorKind {
  eager,    // node by node, fresh buffers, no fusion (PyTorch eager's counterpart)
  planned,  // the `compile` tactic's executor: fused kernels, static memory plan
};
std::string_view executor_name(ExecutorKind k);

// Time spent per op type (for `bench --profile`).
struct OpProfile {
  std::map<std::string, double> seconds_by_op;
  std::map<std::string, int64_t> calls_by_op;
};

struct RunOptions {
  int threads = 1;
  // Use only reference kernels (the harness's ground truth and a debugging aid).
  bool reference_only = false;
  // When set, every node's wall time is added here by op type (and kernel).
  OpProfile* profile = nullptr;
};

// A node left on its op's reference kernel although the op has fast kernels: every one of
// them declined the node's inputs (shape, dtype, attributes), so it runs single-threaded
// plain loops. `inspect --plan` and `bench` print these; docs/architecture.md explains the
// ones the shared models keep.
struct KernelFallback {
  std::string node, op_type;
  std::string input_shapes;           // e.g. "[1,64,56,56] [64,64,3,3]"
  std::vector<std::string> declined;  // the fast kernels that said no, in registration order
  std::vector<std::string> not_on_this_cpu;  // fast kernels this CPU cannot run: "name (needs AVX-512 VNNI)"
};

// What prepare() did for one input-shape signature.
struct PrepareReport {
  double seconds = 0;      // wall time: planning (planned executor), kernel choice, weight packing
  size_t nodes = 0;        // nodes that run (after the per-shape rewrites of the planned executor)
  std::vector<std::string> kernels;  // per node in run order: "node  op  kernel"
  std::vector<KernelFallback> fallbacks;    // a fast kernel runs on this CPU but declined the node
  std::vector<KernelFallback> cpu_limited;  // every fast kernel of the op needs a CPU feature this CPU lacks
  size_t rechecked = 0;    // nodes whose kernel is chosen on every run (see EagerExecutor)
};

class Executor {
 public:
  virtual ~Executor() = default;
  // Inputs in the order of the graph's inputs; returns the graph outputs in order.
  // The graph must outlive the executor. Shapes not prepared are prepared on the way.
  virtual std::vector<Tensor> run(const std::vector<Tensor>& inputs) = 0;
  // Does once, for these input shapes, what the first run would otherwise do: the planned
  // executor's per-shape plan (shape freezing, compile passes, memory plan), the choice of
  // each node's kernel, and the kernels' one-off state (weights packed, oneDNN primitives),
  // by running once on zeros. Timed: the study counts it as part of the optimization cost.
  virtual PrepareReport prepare(const std::vector<Shape>& input_shapes) = 0;
};

std::unique_ptr<Executor> make_executor(const Graph& g, ExecutorKind kind, RunOptions opts);

// What the planned executor runs for one input-shape signature: the graph with every
// shape-only value frozen into a constant, then the compile passes run again.
Graph compile_for_shapes(const Graph& g, const std::vector<Shape>& input_shapes);

// A static memory plan (the planned executor's): one arena, and for every node the arena
// slices its outputs are written into (undefined where the value is not planned).
struct MemoryPlan {
  Tensor arena;
  std::vector<std::vector<Tensor>> outputs_by_node;
  size_t planned_values = 0;
  size_t unplanned_bytes = 0;  // what the same values would take with a buffer each
};

// Builds the plan for a graph whose value shapes are known (`meta`, from infer_shapes):
// lifetimes from the node order (a view's use extends its source's lifetime), then
// greedy placement, largest first, at the lowest offset free over the value's lifetime.
// Graph outputs are not planned: they are handed to the caller.
MemoryPlan plan_memory(const Graph& g, const std::unordered_map<std::string, TensorMeta>& meta);

// Kernel choice: the first fast kernel whose supports() accepts a node's inputs, else the
// reference, decided on the first run (or prepare) of each input-shape signature and kept.
// A node with a non-constant integer or boolean input (Slice's starts computed at run time,
// a Gather's indices) is chosen again on every run: supports() may read those values.
class EagerExecutor : public Executor {
 public:
  EagerExecutor(const Graph& g, RunOptions opts);
  // Kernels write node outputs into the plan's arena slices (see OpContext::output).
  void set_memory_plan(MemoryPlan plan);
  const MemoryPlan& memory_plan() const { return plan_; }
  std::vector<Tensor> run(const std::vector<Tensor>& inputs) override;
  PrepareReport prepare(const std::vector<Shape>& input_shapes) override;
  const Graph& graph() const { return graph_; }
  // Kernel chosen for each node in the last run (for diagnostics and the harness).
  const std::vector<std::string>& kernel_names() const { return kernel_names_; }
  // The choice for one signature as prepare() reports it (without timing).
  PrepareReport describe_choice(const std::vector<Shape>& input_shapes) const;

 private:
  const Graph& graph_;
  RunOptions opts_;
  struct Step {
    const OpSchema* schema;
    std::vector<int> in_slots;   // -1 for absent
    std::vector<int> out_slots;  // -1 for unused
    std::vector<int> free_after;  // slots whose last use is this node
  };
  std::vector<Step> steps_;
  std::vector<Tensor> slots_;
  std::vector<bool> slot_is_const_;
  std::vector<int> input_slots_, output_slots_;
  std::vector<std::shared_ptr<void>> states_;
  std::vector<int> state_kernel_;  // which kernel (index into fast, -1 reference) made states_[i]
  std::vector<std::string> kernel_names_;
  MemoryPlan plan_;
  static constexpr int kReference = -1, kChooseEachRun = -2;
  // Per input-shape signature, per node: index into the schema's fast kernels, kReference or
  // kChooseEachRun. Bounded like the planned executor's plans.
  struct Choice {
    std::vector<int> kernel;
    std::map<size_t, std::string> fallback_shapes;  // node -> its input shapes, for fallbacks
  };
  std::map<std::vector<Shape>, Choice> choices_;
  static constexpr size_t kMaxChoices = 8;
  std::vector<Tensor> run_with(const std::vector<Tensor>& inputs, Choice& choice, bool choosing);
};

// Zero tensors of the graph inputs' dtypes at these shapes (what prepare() runs on).
std::vector<Tensor> zero_inputs(const Graph& g, const std::vector<Shape>& input_shapes);

// Checks user inputs against the graph's declared inputs (count, dtype, rank, fixed dims);
// the error names the input and both shapes.
void check_inputs(const Graph& g, const std::vector<Tensor>& inputs);

// Infers dtype and concrete shape of every value for the given input shapes (dynamic
// dimensions take the given sizes). Shape subgraphs are evaluated, so Reshape targets are exact.
std::unordered_map<std::string, TensorMeta> infer_shapes(const Graph& g, const std::vector<Shape>& input_shapes,
                                                         std::deque<Tensor>& keep_alive);

// Multiply-accumulates of one forward pass at the given input shapes.
int64_t count_macs(const Graph& g, const std::vector<Shape>& input_shapes);
// The same per node, in g.nodes order (0 for ops without a MAC count).
std::vector<int64_t> count_macs_per_node(const Graph& g, const std::vector<Shape>& input_shapes);

}  // namespace ecoinfer
