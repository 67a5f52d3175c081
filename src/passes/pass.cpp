#include "passes/pass.h"

#include <cmath>

namespace ecoinfer::passes {

GraphIndex::GraphIndex(const Graph& g) {
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    for (auto& o : g.nodes[i].outputs)
      if (!o.empty()) producer[o] = static_cast<int>(i);
    for (auto& in : g.nodes[i].inputs)
      if (!in.empty()) consumers[in].push_back(static_cast<int>(i));
  }
  for (auto& o : g.outputs) is_graph_output[o.name] = true;
}

int GraphIndex::single_consumer(const std::string& value) const {
  if (is_graph_output.count(value)) return -1;
  auto it = consumers.find(value);
  if (it == consumers.end() || it->second.size() != 1) return -1;
  return it->second[0];
}

void compact(Graph& g) {
  std::vector<Node> kept;
  kept.reserve(g.nodes.size());
  for (auto& n : g.nodes)
    if (!n.op_type.empty()) kept.push_back(std::move(n));
  g.nodes = std::move(kept);
  // Drop initializers nothing reads any more (folded BN parameters, replaced weights).
  std::unordered_map<std::string, bool> used;
  for (auto& n : g.nodes)
    for (auto& in : n.inputs) used[in] = true;
  for (auto& o : g.outputs) used[o.name] = true;
  for (auto it = g.initializers.begin(); it != g.initializers.end();)
    it = used.count(it->first) ? std::next(it) : g.initializers.erase(it);
  verify_graph(g);
}

std::string fresh_name(const Graph& g, const std::string& base) {
  std::string n = base;
  for (int i = 1; g.initializers.count(n); ++i) n = base + "_" + std::to_string(i);
  return n;
}

ValueNames::ValueNames(const Graph& g) {
  for (auto& n : g.nodes) {
    taken_.insert(n.inputs.begin(), n.inputs.end());
    taken_.insert(n.outputs.begin(), n.outputs.end());
  }
  for (auto& v : g.inputs) taken_.insert(v.name);
  for (auto& v : g.outputs) taken_.insert(v.name);
  for (auto& [name, t] : g.initializers) taken_.insert(name);
}

std::string ValueNames::fresh(const std::string& base) {
  std::string n = base;
  for (int i = 1; taken_.count(n); ++i) n = base + "_" + std::to_string(i);
  taken_.insert(n);
  return n;
}

Node make_transpose(const std::string& input, const std::string& output, std::vector<int64_t> perm) {
  Node t;
  t.op_type = "Transpose";
  t.name = output + "/Transpose";
  t.inputs = {input};
  t.outputs = {output};
  Attribute a;
  a.kind = Attribute::Kind::ints;
  a.ints = std::move(perm);
  t.attrs["perm"] = a;
  return t;
}

float constant_scalar(const Graph& g, const std::string& name) {
  const Tensor* t = g.initializer(name);
  if (!t || t->numel() != 1 || !dtype_is_float(t->dtype())) return NAN;
  return t->to_f32_vector()[0];
}

}  // namespace ecoinfer::passes
