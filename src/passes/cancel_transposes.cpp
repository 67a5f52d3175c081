// Transposes that undo each other disappear: Transpose(Transpose(x, P1), P2) with
// P1[P2[a]] == a for every axis reads x itself. To make such pairs meet, a Transpose is
// moved below the ops it commutes with, as ONNX Runtime's transpose optimizer does:
// elementwise ops (a binary op when both operands carry the same Transpose, or one is a
// scalar), Slice and constant-mode Pad (their axes / pads permuted), and the global average
// pool of an NHWC tensor (a ReduceMean over H and W). Together with
// convert_conv_to_channels_last this keeps whole convolution chains, ResNet shortcuts
// included, in NHWC.
#include "passes/pass.h"

namespace ecoinfer::passes {

namespace {

Tensor i64_tensor(const std::vector<int64_t>& v) {
  return Tensor::from<int64_t>({static_cast<int64_t>(v.size())}, v);
}

bool all_int(const Tensor* t) { return t && (t->dtype() == DType::i64 || t->dtype() == DType::i32) && t->rank() == 1; }

// Rewrites `node` (Slice or Pad reading Transpose(x, perm)) to read x directly; returns
// false when the node's parameters are not constants of the expected form.
bool permute_parameters(Graph& g, Node& node, const std::vector<int64_t>& perm) {
  const int64_t r = static_cast<int64_t>(perm.size());
  if (is_op(node, "Slice")) {
    if (node.inputs.size() < 3) return false;  // opset < 10: attributes, not handled
    const Tensor* starts = g.initializer(node.inputs[1]);
    if (!all_int(starts) || !all_int(g.initializer(node.inputs[2]))) return false;
    std::vector<int64_t> axes;
    if (node.has_input(3)) {
      const Tensor* a = g.initializer(node.inputs[3]);
      if (!all_int(a)) return false;
      axes = a->to_i64_vector();
    } else {
      for (int64_t i = 0; i < starts->numel(); ++i) axes.push_back(i);
    }
    for (auto& a : axes) {
      if (a < -r || a >= r) return false;
      a = perm[a < 0 ? a + r : a];  // output axis a of the transpose is input axis perm[a]
    }
    const std::string name = fresh_name(g, node.inputs[0] + "_slice_axes");
    // ONNX gives starts, ends, axes and steps one index type.
    if (starts->dtype() == DType::i32) {
      std::vector<int32_t> a32(axes.begin(), axes.end());
      g.initializers[name] = Tensor::from<int32_t>({static_cast<int64_t>(a32.size())}, a32);
    } else {
      g.initializers[name] = i64_tensor(axes);
    }
    if (node.inputs.size() < 4) node.inputs.resize(4);
    node.inputs[3] = name;
    return true;
  }
  if (is_op(node, "Pad")) {
    if (node.attr_string("mode", "constant") != "constant" || node.inputs.size() < 2 || node.has_input(3)) return false;
    const Tensor* pads = g.initializer(node.inputs[1]);
    if (!all_int(pads) || pads->numel() != 2 * r) return false;
    const auto old = pads->to_i64_vector();
    std::vector<int64_t> moved(2 * r);
    for (int64_t a = 0; a < r; ++a) {
      moved[perm[a]] = old[a];
      moved[r + perm[a]] = old[r + a];
    }
    const std::string name = fresh_name(g, node.inputs[1] + "_permuted");
    g.initializers[name] = i64_tensor(moved);
    node.inputs[1] = name;
    return true;
  }
  return false;
}

// Elementwise ops that commute with any Transpose (extra inputs, if any, are scalars).
bool is_unary_elementwise(const Node& n) {
  static const char* kOps[] = {"Relu", "Sigmoid", "Tanh", "Clip", "HardSigmoid", "HardSwish", "LeakyRelu", "Elu",
                               "Neg", "Abs", "Exp", "Erf", "Sqrt", "Softplus", "Gelu"};
  for (const char* op : kOps)
    if (is_op(n, op)) return true;
  return false;
}
bool is_binary_elementwise(const Node& n) {
  return is_op(n, "Add") || is_op(n, "Sub") || is_op(n, "Mul") || is_op(n, "Div");
}

bool scalar_constant(const Graph& g, const std::string& v) {
  const Tensor* t = g.initializer(v);
  return t && t->numel() == 1;
}

// If `node` reads Transpose(x, perm) (on every non-scalar input, with one perm), rewrites it
// in place to read x directly and returns perm, which the caller re-applies to its output.
// Slice and Pad get permuted parameters; GlobalAveragePool of NHWC -> NCHW becomes a
// ReduceMean over H and W.
bool push_below(Graph& g, const GraphIndex& idx, Node& node, std::vector<int64_t>& perm) {
  if (node.inputs.empty() || node.outputs.size() != 1) return false;
  auto transpose_of = [&](const std::string& v) -> const Node* {
    auto p = idx.producer.find(v);
    if (p == idx.producer.end() || !is_op(g.nodes[p->second], "Transpose")) return nullptr;
    const Node* t = &g.nodes[p->second];
    return t->attr_ints("perm").empty() ? nullptr : t;  // default (reversal) perm: rank unknown here
  };
  const Node* t = transpose_of(node.inputs[0]);
  if (is_binary_elementwise(node) && node.inputs.size() == 2) {
    const Node* t1 = transpose_of(node.inputs[1]);
    if (t && t1 && t->attr_ints("perm") == t1->attr_ints("perm")) {
      perm = t->attr_ints("perm");
      node.inputs = {t->inputs[0], t1->inputs[0]};
      return true;
    }
    // One side transposed, the other a single constant value.
    if (t && scalar_constant(g, node.inputs[1])) {
      perm = t->attr_ints("perm");
      node.inputs[0] = t->inputs[0];
      return true;
    }
    if (t1 && scalar_constant(g, node.inputs[0])) {
      perm = t1->attr_ints("perm");
      node.inputs[1] = t1->inputs[0];
      return true;
    }
    return false;
  }
  if (!t) return false;
  perm = t->attr_ints("perm");
  if (is_unary_elementwise(node)) {
    for (size_t i = 1; i < node.inputs.size(); ++i)
      if (!node.inputs[i].empty() && !scalar_constant(g, node.inputs[i])) return false;
    node.inputs[0] = t->inputs[0];
    return true;
  }
  if (is_op(node, "GlobalAveragePool")) {
    if (perm != std::vector<int64_t>{0, 3, 1, 2}) return false;
    node.op_type = "ReduceMean";
    node.inputs = {t->inputs[0]};
    node.attrs.clear();
    node.attrs["axes"] = Attribute{Attribute::Kind::ints, 0, 0, "", {1, 2}};
    node.attrs["keepdims"] = Attribute{Attribute::Kind::i, 1};
    node.attrs["_opset"] = Attribute{Attribute::Kind::i, 13};  // axes as an attribute
    return true;
  }
  if ((is_op(node, "Slice") || is_op(node, "Pad")) && permute_parameters(g, node, perm)) {
    node.inputs[0] = t->inputs[0];
    return true;
  }
  return false;
}

// One sweep: every Transpose directly above an op it commutes with (elementwise ops, Slice,
// Pad, global average pooling) moves one step down, then inverse pairs cancel. Returns the
// rewrites made.
int sweep(Graph& g) {
  int n = 0;
  {  // Move transposes down.
    GraphIndex idx(g);
    ValueNames names(g);
    std::vector<Node> added;
    for (size_t k = 0; k < g.nodes.size(); ++k) {
      Node rewritten = g.nodes[k];
      std::vector<int64_t> perm;
      if (!push_below(g, idx, rewritten, perm)) continue;
      const std::string out = g.nodes[k].outputs[0];
      const std::string pre = names.fresh(out + "_pre");
      rewritten.outputs[0] = pre;
      g.nodes[k] = std::move(rewritten);
      added.push_back(make_transpose(pre, out, perm));
      ++n;
    }
    for (auto& a : added) g.nodes.push_back(std::move(a));
    if (n) compact(g);
  }
  // Cancel inverse pairs.
  GraphIndex idx(g);
  std::unordered_map<std::string, std::string> replace;
  for (Node& t2 : g.nodes) {
    if (!is_op(t2, "Transpose")) continue;
    auto p = idx.producer.find(t2.inputs[0]);
    if (p == idx.producer.end() || !is_op(g.nodes[p->second], "Transpose")) continue;
    const std::vector<int64_t> p1 = g.nodes[p->second].attr_ints("perm"), p2 = t2.attr_ints("perm");
    if (p1.empty() || p1.size() != p2.size()) continue;
    bool identity = true;
    for (size_t a = 0; a < p2.size(); ++a) identity &= p2[a] >= 0 && p2[a] < static_cast<int64_t>(p1.size()) && p1[p2[a]] == static_cast<int64_t>(a);
    if (!identity) continue;
    ++n;
    if (idx.is_graph_output.count(t2.outputs[0])) {  // the name must stay: forward the value
      t2.op_type = "Identity";
      t2.attrs.clear();
      t2.inputs[0] = g.nodes[p->second].inputs[0];
      continue;
    }
    replace[t2.outputs[0]] = g.nodes[p->second].inputs[0];
    t2.op_type.clear();
  }
  if (!replace.empty()) {
    auto resolve = [&](std::string v) {  // chains: T1 -> T2 -> T3 -> T4
      for (auto it = replace.find(v); it != replace.end(); it = replace.find(v)) v = it->second;
      return v;
    };
    for (Node& node : g.nodes)
      for (auto& in : node.inputs)
        if (!in.empty()) in = resolve(in);
    compact(g);
  }
  return n;
}

}  // namespace

int cancel_transposes(Graph& g) {
  int total = 0;
  // Each sweep moves a transpose one node further; shortcut paths are a few nodes long.
  for (int i = 0; i < 64; ++i) {
    const int k = sweep(g);
    if (k == 0) break;
    total += k;
  }
  return total;
}

}  // namespace ecoinfer::passes
