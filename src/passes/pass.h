#pragma once
// Graph passes as rules under one driver, as ONNX Runtime's rewrite rules: a pass is a
// condition (does the rule fire at this node?) and a rewrite, one pass per file, listed in
// order in pipeline.cpp. The driver (pass.cpp) owns what every pass used to repeat: the index
// of producers and consumers (kept exact while rewrites run), dead-node marking, compaction
// and iteration to a fixed point. It counts the rewrites of each pass for the logs.
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "graph/graph.h"
#include "ops/registry.h"

namespace ecoinfer::passes {

// Value shapes, by value name, when the input shapes are known (infer_shapes' result).
using ValueShapes = std::unordered_map<std::string, TensorMeta>;

// What a condition reads: the graph, and producers and consumers of every value. While a
// sweep runs, the Rewriter keeps it exact after every rewrite.
class GraphIndex {
 public:
  explicit GraphIndex(const Graph& g, const ValueShapes* shapes = nullptr);
  virtual ~GraphIndex() = default;
  GraphIndex(const GraphIndex&) = delete;
  GraphIndex& operator=(const GraphIndex&) = delete;

  const Graph& graph() const { return *graph_; }
  // Nodes of the graph, then those added during this sweep (indices stay valid until the sweep ends).
  int size() const { return static_cast<int>(graph_->nodes.size() + added_.size()); }
  const Node& node(int i) const;
  bool alive(int i) const { return !node(i).op_type.empty(); }

  // The node producing `value`, or -1 (graph inputs, initializers, unknown names).
  int producer(const std::string& value) const;
  // That node when it is the standard-domain op `op`, else nullptr.
  const Node* producer_op(const std::string& value, const char* op) const;
  // The nodes reading `value`, once per input slot that reads it.
  const std::vector<int>& consumers(const std::string& value) const;
  bool is_graph_output(const std::string& value) const { return graph_outputs_.count(value) != 0; }
  // The only node reading `value`, or -1 (also when `value` is a graph output).
  int single_consumer(const std::string& value) const;
  // Neither read by a node nor a graph output.
  bool unused(const std::string& value) const { return consumers(value).empty() && !is_graph_output(value); }

  const Tensor* constant(const std::string& value) const { return graph_->initializer(value); }
  // The value of a constant float initializer holding one element, else NaN.
  float constant_scalar(const std::string& value) const;
  // The shape of a constant, or of a value whose shape was given; nullptr when unknown.
  const Shape* shape(const std::string& value) const;

 protected:
  void index_node(int i);
  void unindex_node(int i);
  Node& mutable_node(int i);

  const Graph* graph_;
  const ValueShapes* shapes_;
  std::deque<Node> added_;  // a deque: references to nodes stay valid while rewrites add more
  std::unordered_map<std::string, int> producer_;
  std::unordered_map<std::string, std::vector<int>> consumers_;
  std::unordered_set<std::string> graph_outputs_;
};

// What a rewrite changes the graph through, so that the index stays exact.
class Rewriter : public GraphIndex {
 public:
  explicit Rewriter(Graph& g, const ValueShapes* shapes = nullptr) : GraphIndex(g, shapes), graph_mut_(&g) {}
  // Node i becomes `n` (same position in the node list).
  void replace(int i, Node n);
  // Marks node i dead (compaction removes it).
  void remove(int i);
  // Adds a node; the sweep visits it after the existing ones. Returns its index.
  int add(Node n);
  // A matched pattern becomes one node: `root` is replaced by `fused`, the `absorbed` go.
  void fuse(int root, const std::vector<int>& absorbed, Node fused);
  // Every node reading `from` reads `to` instead. `from` must not be a graph output.
  void forward(const std::string& from, const std::string& to);
  // Adds an initializer under a fresh name, or defines `name` when the node producing it is removed.
  void set_constant(const std::string& name, Tensor t);
  // A name, derived from `base`, that no value, initializer or earlier fresh name uses.
  std::string fresh_name(const std::string& base);
  // Ends the sweep: added nodes join the graph, dead nodes and unread initializers go, and
  // the graph is verified and sorted again.
  void commit();

 private:
  Graph* graph_mut_;
  std::optional<std::unordered_set<std::string>> taken_;  // built on the first fresh_name
};

struct Pass {
  std::string name;
  std::string what;  // one line for logs and docs
  // The condition: whether the rule fires at node i. Reads only.
  std::function<bool(const GraphIndex&, int)> matches;
  // The condition, then the rewrite where it holds; true when it rewrote.
  std::function<bool(Rewriter&, int)> apply;
  // Rewrites that pay off only together (channels-last convolutions and the Transposes
  // around them): the driver rewrites a copy, runs the `settle` passes on it (those not
  // disabled) and keeps it only when `accept(before, after, rewrites)` holds.
  struct Trial {
    std::vector<std::string> settle;
    std::function<bool(const Graph& before, const Graph& after, int rewrites)> accept;
  };
  std::optional<Trial> trial;
};

// A pass from a condition that returns what it matched and a rewrite of that match.
template <class Match>
Pass make_pass(std::string name, std::string what, std::optional<Match> (*match)(const GraphIndex&, int),
               void (*rewrite)(Rewriter&, const Match&), std::optional<Pass::Trial> trial = std::nullopt) {
  Pass p;
  p.name = std::move(name);
  p.what = std::move(what);
  p.matches = [match](const GraphIndex& idx, int i) { return match(idx, i).has_value(); };
  p.apply = [match, rewrite](Rewriter& rw, int i) {
    std::optional<Match> m = match(rw, i);
    if (m) rewrite(rw, *m);
    return m.has_value();
  };
  p.trial = std::move(trial);
  return p;
}

// A standard-domain node of the given op type.
inline bool is_op(const Node& n, const char* op) { return n.op_type == op && n.domain.empty(); }
// The operand of a two-input node that is not `v` (the second when both are `v`).
inline const std::string& other_input(const Node& n, const std::string& v) {
  return n.inputs[0] == v ? n.inputs[1] : n.inputs[0];
}
// op_type(inputs) -> outputs in the standard domain, or in `domain`.
Node make_node(std::string op_type, std::string name, std::vector<std::string> inputs, std::vector<std::string> outputs,
               std::string domain = "");
// Transpose(input, perm) -> output, named after its output.
Node make_transpose(const std::string& input, const std::string& output, std::vector<int64_t> perm);

// Removes nodes marked dead (op_type cleared) and initializers nothing reads, then
// re-verifies (and sorts) the graph.
void compact(Graph& g);

struct PassOptions {
  std::vector<std::string> disabled;     // pass names the driver skips
  const ValueShapes* shapes = nullptr;  // value shapes, when known
};

// Runs one pass to a fixed point (sweeps over all nodes until one rewrites nothing, at most
// 64); returns its rewrites.
int run_pass(Graph& g, const Pass& p, const PassOptions& opts = {});

// The `compile` pipeline's passes, in order.
const std::vector<Pass>& compile_passes();
// The pipeline's pass of that name, or nullptr.
const Pass* find_pass(const std::string& name);
// Throws an Error naming the valid passes when a name is not one of them.
void check_pass_names(const std::vector<std::string>& names);
// Runs the pipeline, skipping g.disabled_passes, to a fixed point (at most four rounds) and
// returns {pass name: rewrites}. `shapes` (value shapes for the graph as given) lets passes
// check what the target kernels accept.
nlohmann::json run_compile_passes(Graph& g, const ValueShapes* shapes = nullptr);

}  // namespace ecoinfer::passes
