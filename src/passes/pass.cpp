// The pass driver: the index every condition reads, the rewrites that keep it exact, dead
// nodes and compaction, and each pass's sweeps to a fixed point.
#include "passes/pass.h"

#include <algorithm>
#include <cmath>

namespace ecoinfer::passes {

namespace {
const std::vector<int> kNoConsumers;
// A pass that still rewrites after this many sweeps is cut off (each sweep can move a
// Transpose along a whole chain; real graphs settle in a handful).
constexpr int kMaxSweeps = 64;
}  // namespace

GraphIndex::GraphIndex(const Graph& g, const ValueShapes* shapes) : graph_(&g), shapes_(shapes) {
  producer_.reserve(g.nodes.size() * 2);
  consumers_.reserve(g.nodes.size() * 2);
  for (int i = 0; i < static_cast<int>(g.nodes.size()); ++i) index_node(i);
  for (auto& o : g.outputs) graph_outputs_.insert(o.name);
}

const Node& GraphIndex::node(int i) const {
  const size_t n = graph_->nodes.size();
  return static_cast<size_t>(i) < n ? graph_->nodes[i] : added_[i - n];
}

Node& GraphIndex::mutable_node(int i) { return const_cast<Node&>(node(i)); }

void GraphIndex::index_node(int i) {
  const Node& n = node(i);
  for (auto& o : n.outputs)
    if (!o.empty()) producer_[o] = i;
  for (auto& in : n.inputs)
    if (!in.empty()) consumers_[in].push_back(i);
}

void GraphIndex::unindex_node(int i) {
  const Node& n = node(i);
  for (auto& o : n.outputs) {
    auto it = producer_.find(o);
    if (it != producer_.end() && it->second == i) producer_.erase(it);
  }
  for (auto& in : n.inputs) {
    if (in.empty()) continue;
    auto it = consumers_.find(in);
    if (it == consumers_.end()) continue;
    auto& c = it->second;
    auto pos = std::find(c.begin(), c.end(), i);  // one entry per slot: remove one
    if (pos != c.end()) c.erase(pos);
    if (c.empty()) consumers_.erase(it);
  }
}

int GraphIndex::producer(const std::string& value) const {
  auto it = producer_.find(value);
  return it == producer_.end() ? -1 : it->second;
}

const Node* GraphIndex::producer_op(const std::string& value, const char* op) const {
  const int p = producer(value);
  return p >= 0 && is_op(node(p), op) ? &node(p) : nullptr;
}

const std::vector<int>& GraphIndex::consumers(const std::string& value) const {
  auto it = consumers_.find(value);
  return it == consumers_.end() ? kNoConsumers : it->second;
}

int GraphIndex::single_consumer(const std::string& value) const {
  if (is_graph_output(value)) return -1;
  const auto& c = consumers(value);
  return c.size() == 1 ? c[0] : -1;
}

float GraphIndex::constant_scalar(const std::string& value) const {
  const Tensor* t = constant(value);
  if (!t || t->numel() != 1 || !dtype_is_float(t->dtype())) return NAN;
  return t->to_f32_vector()[0];
}

const Shape* GraphIndex::shape(const std::string& value) const {
  if (const Tensor* t = constant(value)) return &t->shape();
  if (!shapes_) return nullptr;
  auto it = shapes_->find(value);
  return it == shapes_->end() ? nullptr : &it->second.shape;
}

void Rewriter::replace(int i, Node n) {
  ECO_CHECK(!n.op_type.empty(), "pass driver: replacing {} with a node without an op type", node(i).describe());
  unindex_node(i);
  mutable_node(i) = std::move(n);
  index_node(i);
}

void Rewriter::remove(int i) {
  unindex_node(i);
  mutable_node(i).op_type.clear();  // the dead mark compact() looks for
}

int Rewriter::add(Node n) {
  added_.push_back(std::move(n));
  const int i = size() - 1;
  index_node(i);
  return i;
}

void Rewriter::fuse(int root, const std::vector<int>& absorbed, Node fused) {
  for (int n : absorbed) remove(n);
  replace(root, std::move(fused));
}

void Rewriter::forward(const std::string& from, const std::string& to) {
  ECO_CHECK(!is_graph_output(from), "pass driver: graph output '{}' cannot be forwarded", from);
  auto it = consumers_.find(from);
  if (it == consumers_.end()) return;
  std::vector<int> readers = std::move(it->second);
  consumers_.erase(it);
  std::sort(readers.begin(), readers.end());
  readers.erase(std::unique(readers.begin(), readers.end()), readers.end());
  auto& dst = consumers_[to];
  for (int r : readers)
    for (auto& in : mutable_node(r).inputs)
      if (in == from) {
        in = to;
        dst.push_back(r);
      }
}

void Rewriter::set_constant(const std::string& name, Tensor t) { graph_mut_->initializers[name] = std::move(t); }

std::string Rewriter::fresh_name(const std::string& base) {
  if (!taken_) {
    taken_.emplace();
    for (int i = 0; i < size(); ++i) {
      const Node& n = node(i);
      taken_->insert(n.inputs.begin(), n.inputs.end());
      taken_->insert(n.outputs.begin(), n.outputs.end());
    }
    for (auto& v : graph_->inputs) taken_->insert(v.name);
    for (auto& v : graph_->outputs) taken_->insert(v.name);
    for (auto& [name, t] : graph_->initializers) taken_->insert(name);
  }
  std::string n = base;
  for (int i = 1; taken_->count(n) || graph_->initializers.count(n); ++i) n = base + "_" + std::to_string(i);
  taken_->insert(n);
  return n;
}

void Rewriter::commit() {
  for (auto& n : added_) graph_mut_->nodes.push_back(std::move(n));
  added_.clear();
  producer_.clear();
  consumers_.clear();
  compact(*graph_mut_);
}

Node make_node(std::string op_type, std::string name, std::vector<std::string> inputs, std::vector<std::string> outputs,
               std::string domain) {
  Node n;
  n.op_type = std::move(op_type);
  n.domain = std::move(domain);
  n.name = std::move(name);
  n.inputs = std::move(inputs);
  n.outputs = std::move(outputs);
  return n;
}

Node make_transpose(const std::string& input, const std::string& output, std::vector<int64_t> perm) {
  Node t = make_node("Transpose", output + "/Transpose", {input}, {output});
  Attribute a;
  a.kind = Attribute::Kind::ints;
  a.ints = std::move(perm);
  t.attrs["perm"] = a;
  return t;
}

void compact(Graph& g) {
  std::vector<Node> kept;
  kept.reserve(g.nodes.size());
  for (auto& n : g.nodes)
    if (!n.op_type.empty()) kept.push_back(std::move(n));
  g.nodes = std::move(kept);
  // Drop initializers nothing reads any more (folded BN parameters, replaced weights).
  std::unordered_set<std::string> used;
  for (auto& n : g.nodes) used.insert(n.inputs.begin(), n.inputs.end());
  for (auto& o : g.outputs) used.insert(o.name);
  for (auto it = g.initializers.begin(); it != g.initializers.end();)
    it = used.count(it->first) ? std::next(it) : g.initializers.erase(it);
  verify_graph(g);
}

namespace {

bool disabled(const PassOptions& opts, const std::string& name) {
  return std::find(opts.disabled.begin(), opts.disabled.end(), name) != opts.disabled.end();
}

// Sweeps until one rewrites nothing. A sweep visits every live node once, in order, nodes
// added by its own rewrites included; the index is exact at every visit.
int sweep_to_fixed_point(Graph& g, const Pass& p, const ValueShapes* shapes) {
  int total = 0;
  for (int sweep = 0; sweep < kMaxSweeps; ++sweep) {
    Rewriter rw(g, shapes);
    int n = 0;
    for (int i = 0; i < rw.size(); ++i)
      if (rw.alive(i) && p.apply(rw, i)) ++n;
    if (n == 0) break;
    rw.commit();
    total += n;
  }
  return total;
}

}  // namespace

int run_pass(Graph& g, const Pass& p, const PassOptions& opts) {
  if (disabled(opts, p.name)) return 0;
  if (!p.trial) return sweep_to_fixed_point(g, p, opts.shapes);
  {  // Copy the graph only when the rule fires somewhere.
    GraphIndex idx(g, opts.shapes);
    bool any = false;
    for (int i = 0; i < idx.size() && !any; ++i) any = idx.alive(i) && p.matches(idx, i);
    if (!any) return 0;
  }
  Graph trial = g;
  const int n = sweep_to_fixed_point(trial, p, opts.shapes);
  for (const std::string& name : p.trial->settle) {
    const Pass* s = find_pass(name);
    ECO_CHECK(s != nullptr, "pass '{}': unknown settle pass '{}'", p.name, name);
    run_pass(trial, *s, opts);
  }
  if (!p.trial->accept(g, trial, n)) return 0;
  g = std::move(trial);
  return n;
}

}  // namespace ecoinfer::passes
