// Transposes that undo each other disappear: Transpose(Transpose(x, P1), P2) with
// P1[P2[a]] == a for every axis reads x itself. To make such pairs meet, a Transpose is
// moved below the ops it commutes with, as ONNX Runtime's transpose optimizer does:
// elementwise ops (a binary op when both operands carry the same Transpose, or one is a
// scalar), Slice and constant-mode Pad (their axes / pads permuted), and the global average
// pool of an NHWC tensor (a ReduceMean over H and W). Together with
// convert_conv_to_channels_last this keeps whole convolution chains, ResNet shortcuts
// included, in NHWC. The rule fires at a node that reads a Transpose: a Transpose that
// inverts it cancels, any other node it commutes with takes the Transpose's place.
#include "passes/pass.h"

namespace ecoinfer::passes {

namespace {

struct TransposeMatch {
  int node;
  bool cancel = false;  // node is a Transpose undoing its input's Transpose
  std::string source;   // what the pair's result reads (cancel)
  Node moved;           // node rewritten to read below the Transpose (push)
  std::vector<int64_t> perm;
  // Slice and Pad (push): the input slot that takes the permuted axes / pads, a base for its name.
  int parameter_slot = -1;
  std::string parameter_base;
  Tensor parameter;
};

Tensor i64_tensor(const std::vector<int64_t>& v) { return Tensor::from<int64_t>({static_cast<int64_t>(v.size())}, v); }

bool all_int(const Tensor* t) { return t && (t->dtype() == DType::i64 || t->dtype() == DType::i32) && t->rank() == 1; }

// For m.moved (Slice or Pad reading Transpose(x, m.perm)), the parameter that makes it read x
// directly; false when the parameters are not constants of the expected form.
bool permute_parameters(const GraphIndex& idx, TransposeMatch& m) {
  Node& node = m.moved;
  const std::vector<int64_t>& perm = m.perm;
  const int64_t r = static_cast<int64_t>(perm.size());
  if (is_op(node, "Slice")) {
    if (node.inputs.size() < 3) return false;  // opset < 10: attributes, not handled
    const Tensor* starts = idx.constant(node.inputs[1]);
    if (!all_int(starts) || !all_int(idx.constant(node.inputs[2]))) return false;
    std::vector<int64_t> axes;
    if (node.has_input(3)) {
      const Tensor* a = idx.constant(node.inputs[3]);
      if (!all_int(a)) return false;
      axes = a->to_i64_vector();
    } else {
      for (int64_t i = 0; i < starts->numel(); ++i) axes.push_back(i);
    }
    for (auto& a : axes) {
      if (a < -r || a >= r) return false;
      a = perm[a < 0 ? a + r : a];  // output axis a of the transpose is input axis perm[a]
    }
    // ONNX gives starts, ends, axes and steps one index type.
    Tensor t = i64_tensor(axes);
    if (starts->dtype() == DType::i32) {
      std::vector<int32_t> a32(axes.begin(), axes.end());
      t = Tensor::from<int32_t>({static_cast<int64_t>(a32.size())}, a32);
    }
    if (node.inputs.size() < 4) node.inputs.resize(4);
    m.parameter_slot = 3;
    m.parameter_base = node.inputs[0] + "_slice_axes";
    m.parameter = std::move(t);
    return true;
  }
  if (is_op(node, "Pad")) {
    if (node.attr_string("mode", "constant") != "constant" || node.inputs.size() < 2 || node.has_input(3)) return false;
    const Tensor* pads = idx.constant(node.inputs[1]);
    if (!all_int(pads) || pads->numel() != 2 * r) return false;
    const auto old = pads->to_i64_vector();
    std::vector<int64_t> moved(2 * r);
    for (int64_t a = 0; a < r; ++a) {
      moved[perm[a]] = old[a];
      moved[r + perm[a]] = old[r + a];
    }
    m.parameter_slot = 1;
    m.parameter_base = node.inputs[1] + "_permuted";
    m.parameter = i64_tensor(moved);
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

bool scalar_constant(const GraphIndex& idx, const std::string& v) {
  const Tensor* t = idx.constant(v);
  return t && t->numel() == 1;
}

// The Transpose (with an explicit perm) producing v, else nullptr.
const Node* transpose_of(const GraphIndex& idx, const std::string& v) {
  const Node* t = idx.producer_op(v, "Transpose");
  return t && !t->attr_ints("perm").empty() ? t : nullptr;  // default (reversal) perm: rank unknown here
}

// node = Transpose(Transpose(x, P1), P2) with the pair composing to the identity.
bool match_cancel(const GraphIndex& idx, TransposeMatch& m) {
  const Node& t2 = idx.node(m.node);
  if (!is_op(t2, "Transpose")) return false;
  const Node* t1 = idx.producer_op(t2.inputs[0], "Transpose");
  if (!t1) return false;
  const std::vector<int64_t> p1 = t1->attr_ints("perm"), p2 = t2.attr_ints("perm");
  if (p1.empty() || p1.size() != p2.size()) return false;
  for (size_t a = 0; a < p2.size(); ++a)
    if (p2[a] < 0 || p2[a] >= static_cast<int64_t>(p1.size()) || p1[p2[a]] != static_cast<int64_t>(a)) return false;
  m.cancel = true;
  m.source = t1->inputs[0];
  return true;
}

// node reads Transpose(x, perm) (on every non-scalar input, with one perm): m.moved is node
// reading x directly, and perm is re-applied to its output. Slice and Pad get permuted
// parameters; GlobalAveragePool of NHWC -> NCHW becomes a ReduceMean over H and W.
bool match_push(const GraphIndex& idx, TransposeMatch& m) {
  const Node& node = idx.node(m.node);
  if (node.inputs.empty() || node.outputs.size() != 1) return false;
  const bool binary = is_binary_elementwise(node) && node.inputs.size() == 2;
  const Node* t = transpose_of(idx, node.inputs[0]);
  const Node* t1 = binary ? transpose_of(idx, node.inputs[1]) : nullptr;
  if (!t && !t1) return false;
  m.moved = node;
  if (binary) {
    if (t && t1 && t->attr_ints("perm") == t1->attr_ints("perm")) {
      m.perm = t->attr_ints("perm");
      m.moved.inputs = {t->inputs[0], t1->inputs[0]};
      return true;
    }
    // One side transposed, the other a single constant value.
    if (t && scalar_constant(idx, node.inputs[1])) {
      m.perm = t->attr_ints("perm");
      m.moved.inputs[0] = t->inputs[0];
      return true;
    }
    if (t1 && scalar_constant(idx, node.inputs[0])) {
      m.perm = t1->attr_ints("perm");
      m.moved.inputs[1] = t1->inputs[0];
      return true;
    }
    return false;
  }
  if (!t) return false;
  m.perm = t->attr_ints("perm");
  if (is_unary_elementwise(node)) {
    for (size_t i = 1; i < node.inputs.size(); ++i)
      if (!node.inputs[i].empty() && !scalar_constant(idx, node.inputs[i])) return false;
    m.moved.inputs[0] = t->inputs[0];
    return true;
  }
  if (is_op(node, "GlobalAveragePool")) {
    if (m.perm != std::vector<int64_t>{0, 3, 1, 2}) return false;
    m.moved.op_type = "ReduceMean";
    m.moved.inputs = {t->inputs[0]};
    m.moved.attrs.clear();
    m.moved.attrs["axes"] = Attribute{Attribute::Kind::ints, 0, 0, "", {1, 2}};
    m.moved.attrs["keepdims"] = Attribute{Attribute::Kind::i, 1};
    m.moved.attrs["_opset"] = Attribute{Attribute::Kind::i, 13};  // axes as an attribute
    return true;
  }
  if ((is_op(node, "Slice") || is_op(node, "Pad")) && permute_parameters(idx, m)) {
    m.moved.inputs[0] = t->inputs[0];
    return true;
  }
  return false;
}

std::optional<TransposeMatch> match(const GraphIndex& idx, int i) {
  TransposeMatch m{i};
  if (match_cancel(idx, m) || match_push(idx, m)) return m;
  return std::nullopt;
}

void rewrite(Rewriter& rw, const TransposeMatch& m) {
  const std::string out = rw.node(m.node).outputs[0];
  if (m.cancel) {
    if (rw.is_graph_output(out)) {  // the name must stay: forward the value
      Node id = rw.node(m.node);
      id.op_type = "Identity";
      id.attrs.clear();
      id.inputs[0] = m.source;
      rw.replace(m.node, std::move(id));
    } else {
      rw.forward(out, m.source);
      rw.remove(m.node);
    }
    return;
  }
  Node moved = m.moved;
  if (m.parameter_slot >= 0) {
    const std::string name = rw.fresh_name(m.parameter_base);
    rw.set_constant(name, m.parameter);
    moved.inputs[m.parameter_slot] = name;
  }
  const std::string pre = rw.fresh_name(out + "_pre");
  moved.outputs[0] = pre;
  rw.replace(m.node, std::move(moved));
  rw.add(make_transpose(pre, out, m.perm));
}

}  // namespace

Pass cancel_transposes_pass() {
  return make_pass<TransposeMatch>("cancel_transposes", "Transposes move below the ops they commute with and inverse pairs cancel",
                                   match, rewrite);
}

}  // namespace ecoinfer::passes
