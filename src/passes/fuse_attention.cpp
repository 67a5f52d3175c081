// Scaled dot-product attention, as Hugging Face-style ViTs export it, becomes one
// com.ecoinfer MultiHeadAttention (ops/multi_head_attention.h):
//
//   [qkv -> Split(last axis) ->] q, k, v
//   q -> Reshape [B,T,H,D] -> Transpose(0,2,1,3) --\
//   k -> Reshape [B,T,H,D] -> Transpose(0,2,3,1) ---> MatMul -> [Div by constant] -> Softmax(last)
//   v -> Reshape [B,T,H,D] -> Transpose(0,2,1,3) --------------------------------------> MatMul
//     -> Transpose(0,2,1,3) -> Reshape [B,T,C]
//
// The Reshape targets must be constants (they are in the planned executor's per-shape
// graph, where shape arithmetic is frozen). The fused kernel reads q, k and v in place,
// so the Split, the three Reshape/Transpose copies, the score tensor and the output
// Transpose all disappear. Nodes feeding the pattern that nothing else reads are removed
// by eliminate_dead_nodes.
#include <cmath>

#include "passes/pass.h"

namespace ecoinfer::passes {

namespace {

struct Matcher {
  const Graph& g;
  const GraphIndex& idx;

  const Node* producer(const std::string& v, const char* op) const {
    auto it = idx.producer.find(v);
    if (it == idx.producer.end()) return nullptr;
    const Node& n = g.nodes[it->second];
    return is_op(n, op) ? &n : nullptr;
  }
  const Node* only_consumer(const std::string& v, const char* op) const {
    const int c = idx.single_consumer(v);
    return c >= 0 && is_op(g.nodes[c], op) ? &g.nodes[c] : nullptr;
  }
  // Constant positive reshape target, else empty.
  std::vector<int64_t> target(const Node& reshape) const {
    const Tensor* t = reshape.inputs.size() == 2 ? g.initializer(reshape.inputs[1]) : nullptr;
    if (!t || t->dtype() != DType::i64) return {};
    auto v = t->to_i64_vector();
    for (int64_t d : v)
      if (d <= 0) return {};
    return v;
  }
  // value = Transpose(Reshape(src, [B,T,H,D]), perm): returns src and the target.
  bool heads_of(const std::string& value, const std::vector<int64_t>& perm, std::string& src, std::vector<int64_t>& shape) const {
    const Node* t = producer(value, "Transpose");
    if (!t || t->attr_ints("perm") != perm) return false;
    const Node* r = producer(t->inputs[0], "Reshape");
    if (!r) return false;
    shape = target(*r);
    if (shape.size() != 4) return false;
    src = r->inputs[0];
    return true;
  }
};

Attribute int_attr(int64_t v) { return Attribute{Attribute::Kind::i, v}; }

}  // namespace

int fuse_attention(Graph& g) {
  GraphIndex idx(g);
  Matcher m{g, idx};
  const std::vector<int64_t> to_heads{0, 2, 1, 3}, to_heads_t{0, 2, 3, 1};
  std::vector<Node> fused;
  std::vector<size_t> dead;
  for (size_t si = 0; si < g.nodes.size(); ++si) {
    const Node& sm = g.nodes[si];
    // Opset < 13 Softmax flattens from `axis` (default 1): the same as opset 13 only for the last axis.
    const bool legacy = sm.attr_int("_opset", 13) < 13;
    if (!is_op(sm, "Softmax") || sm.attr_int("axis", legacy ? 1 : -1) != -1) continue;
    // Scores, optionally divided by a constant.
    std::string scores = sm.inputs[0];
    float divisor = 1.f;
    const Node* div = m.producer(scores, "Div");
    if (div) {
      const float c = constant_scalar(g, div->inputs[1]);
      if (std::isnan(c) || idx.single_consumer(scores) < 0) continue;
      divisor = c;
      scores = div->inputs[0];
    }
    const Node* mm1 = m.producer(scores, "MatMul");
    if (!mm1 || idx.single_consumer(scores) < 0) continue;
    const Node* mm2 = m.only_consumer(sm.outputs[0], "MatMul");
    if (!mm2 || mm2->inputs[0] != sm.outputs[0]) continue;
    const Node* back = m.only_consumer(mm2->outputs[0], "Transpose");
    if (!back || back->attr_ints("perm") != to_heads) continue;
    const Node* merge = m.only_consumer(back->outputs[0], "Reshape");
    if (!merge) continue;
    const std::vector<int64_t> out_shape = m.target(*merge);
    std::string q, k, v;
    std::vector<int64_t> sq, sk, sv;
    if (out_shape.empty() || !m.heads_of(mm1->inputs[0], to_heads, q, sq) || !m.heads_of(mm1->inputs[1], to_heads_t, k, sk) ||
        !m.heads_of(mm2->inputs[1], to_heads, v, sv) || sq != sk || sq != sv)
      continue;
    Node mha;
    mha.domain = "com.ecoinfer";
    mha.op_type = "MultiHeadAttention";
    mha.name = merge->name + "/MultiHeadAttention";
    mha.outputs = {merge->outputs[0]};
    mha.attrs["batch"] = int_attr(sq[0]);
    mha.attrs["tokens"] = int_attr(sq[1]);
    mha.attrs["num_heads"] = int_attr(sq[2]);
    mha.attrs["head_dim"] = int_attr(sq[3]);
    mha.attrs["scale_divisor"] = Attribute{Attribute::Kind::f, 0, divisor};
    mha.attrs["output_shape"] = Attribute{Attribute::Kind::ints, 0, 0, "", out_shape};
    // q, k, v as the three outputs of one Split of the last axis into equal parts: read
    // the Split's input in place.
    const Node* split = m.producer(q, "Split");
    bool packed = false;
    if (split && split->outputs.size() == 3 && split->outputs[0] == q && split->outputs[1] == k && split->outputs[2] == v &&
        split->attr_int("axis", 0) == -1) {
      const int64_t c = sq[2] * sq[3];
      if (split->inputs.size() >= 2 && !split->inputs[1].empty()) {
        const Tensor* sizes = g.initializer(split->inputs[1]);
        packed = sizes && sizes->to_i64_vector() == std::vector<int64_t>{c, c, c};
      } else {
        const auto attr_sizes = split->attr_ints("split");
        packed = attr_sizes.empty() || attr_sizes == std::vector<int64_t>{c, c, c};
      }
    }
    if (packed) {
      mha.inputs = {split->inputs[0]};
      mha.attrs["packed_qkv"] = int_attr(1);
    } else {
      mha.inputs = {q, k, v};
    }
    fused.push_back(std::move(mha));
    for (const Node* n : {&sm, div, mm1, mm2, back, merge})
      if (n) dead.push_back(static_cast<size_t>(n - g.nodes.data()));
  }
  if (fused.empty()) return 0;
  for (size_t d : dead) g.nodes[d].op_type.clear();
  const int n = static_cast<int>(fused.size());
  for (auto& f : fused) g.nodes.push_back(std::move(f));
  compact(g);
  return n;
}

}  // namespace ecoinfer::passes
