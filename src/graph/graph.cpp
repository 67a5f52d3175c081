#include "graph/graph.h"

#include <algorithm>
#include <deque>
#include <unordered_set>


namespace ecoinfer {

namespace {
const Attribute& get(const Node& n, const std::string& k, Attribute::Kind kind) {
  auto it = n.attrs.find(k);
  ECO_CHECK(it != n.attrs.end(), "{}: missing required attribute '{}'", n.describe(), k);
  ECO_CHECK(it->second.kind == kind, "{}: attribute '{}' has the wrong type", n.describe(), k);
  return it->second;
}
}  // namespace

std::string Node::describe() const { return fmt::format("{} node '{}'", op_type, name); }

int64_t Node::attr_int(const std::string& k, int64_t dflt) const {
  return has_attr(k) ? get(*this, k, Attribute::Kind::i).i : dflt;
}
int64_t Node::attr_int(const std::string& k) const { return get(*this, k, Attribute::Kind::i).i; }
float Node::attr_float(const std::string& k, float dflt) const {
  return has_attr(k) ? get(*this, k, Attribute::Kind::f).f : dflt;
}
std::string Node::attr_string(const std::string& k, const std::string& dflt) const {
  return has_attr(k) ? get(*this, k, Attribute::Kind::s).s : dflt;
}
std::vector<int64_t> Node::attr_ints(const std::string& k, std::vector<int64_t> dflt) const {
  return has_attr(k) ? get(*this, k, Attribute::Kind::ints).ints : dflt;
}
std::vector<float> Node::attr_floats(const std::string& k, std::vector<float> dflt) const {
  return has_attr(k) ? get(*this, k, Attribute::Kind::floats).floats : dflt;
}
const Tensor& Node::attr_tensor(const std::string& k) const { return get(*this, k, Attribute::Kind::tensor).t; }

std::string ValueInfo::shape_str() const {
  if (!has_shape) return "?";
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += shape[i].known() ? std::to_string(shape[i].value) : (shape[i].symbol.empty() ? "?" : shape[i].symbol);
  }
  return s + "]";
}

const Tensor* Graph::initializer(const std::string& n) const {
  auto it = initializers.find(n);
  return it == initializers.end() ? nullptr : &it->second;
}

int64_t Graph::parameter_count() const {
  int64_t n = 0;
  for (auto& [k, t] : initializers)
    if (dtype_is_float(t.dtype())) n += t.numel();
  return n;
}

size_t Graph::initializer_bytes() const {
  size_t n = 0;
  for (auto& [k, t] : initializers) n += t.nbytes();
  return n;
}

std::map<std::string, int> Graph::op_counts() const {
  std::map<std::string, int> m;
  for (auto& n : nodes) m[n.op_type]++;
  return m;
}

void verify_structure(Graph& g) {
  std::unordered_map<std::string, int> producer;  // value -> node index, -1 for inputs/initializers
  for (auto& v : g.inputs) {
    ECO_CHECK(!v.name.empty(), "graph input with an empty name");
    ECO_CHECK(producer.emplace(v.name, -1).second, "graph input '{}' is declared twice", v.name);
  }
  for (auto& [name, t] : g.initializers) producer.emplace(name, -1);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    ECO_CHECK(!n.outputs.empty(), "{}: has no outputs", n.describe());
    for (auto& o : n.outputs) {
      if (o.empty()) continue;
      auto [it, fresh] = producer.emplace(o, static_cast<int>(i));
      ECO_CHECK(fresh, "{}: output '{}' is already produced elsewhere", n.describe(), o);
    }
  }
  // Kahn's algorithm, keeping the file order among ready nodes.
  std::vector<int> pending(g.nodes.size(), 0);
  std::unordered_map<std::string, std::vector<int>> consumers;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    std::unordered_set<std::string> seen;
    for (auto& in : g.nodes[i].inputs) {
      if (in.empty()) continue;
      auto it = producer.find(in);
      ECO_CHECK(it != producer.end(), "{}: input '{}' is not produced by any node, input or initializer",
                g.nodes[i].describe(), in);
      if (it->second >= 0 && seen.insert(in).second) {
        pending[i]++;
        consumers[in].push_back(static_cast<int>(i));
      }
    }
  }
  std::deque<int> ready;
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (pending[i] == 0) ready.push_back(static_cast<int>(i));
  std::vector<Node> sorted;
  sorted.reserve(g.nodes.size());
  while (!ready.empty()) {
    int i = ready.front();
    ready.pop_front();
    for (auto& o : g.nodes[i].outputs) {
      auto it = consumers.find(o);
      if (it == consumers.end()) continue;
      for (int c : it->second)
        if (--pending[c] == 0) ready.push_back(c);
    }
    sorted.push_back(std::move(g.nodes[i]));
  }
  if (sorted.size() != g.nodes.size()) {
    for (size_t i = 0; i < g.nodes.size(); ++i)
      if (pending[i] > 0) fail("{}: is part of a cycle", g.nodes[i].describe());
  }
  g.nodes = std::move(sorted);
  for (auto& o : g.outputs)
    ECO_CHECK(producer.count(o.name), "graph output '{}' is not produced by any node", o.name);
}

}  // namespace ecoinfer
