// Scaled dot-product attention, as Hugging Face-style ViTs export it, becomes one
// com.ecoinfer MultiHeadAttention (ops/multi_head_attention.h):
//
//   [qkv -> Split(last axis) ->] q, k, v
//   q -> Reshape [B,T,H,D] -> Transpose(0,2,1,3) --+
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

const std::vector<int64_t> kToHeads{0, 2, 1, 3}, kToHeadsT{0, 2, 3, 1};

struct AttentionMatch {
  Node mha;
  std::vector<int> absorbed;  // Softmax, [Div], both MatMuls, the output Transpose and Reshape
};

const Node* only_consumer(const GraphIndex& idx, const std::string& v, const char* op) {
  const int c = idx.single_consumer(v);
  return c >= 0 && is_op(idx.node(c), op) ? &idx.node(c) : nullptr;
}

// Constant positive reshape target, else empty.
std::vector<int64_t> target(const GraphIndex& idx, const Node& reshape) {
  const Tensor* t = reshape.inputs.size() == 2 ? idx.constant(reshape.inputs[1]) : nullptr;
  if (!t || t->dtype() != DType::i64) return {};
  auto v = t->to_i64_vector();
  for (int64_t d : v)
    if (d <= 0) return {};
  return v;
}

// value = Transpose(Reshape(src, [B,T,H,D]), perm): returns src and the target.
bool heads_of(const GraphIndex& idx, const std::string& value, const std::vector<int64_t>& perm, std::string& src,
              std::vector<int64_t>& shape) {
  const Node* t = idx.producer_op(value, "Transpose");
  if (!t || t->attr_ints("perm") != perm) return false;
  const Node* r = idx.producer_op(t->inputs[0], "Reshape");
  if (!r) return false;
  shape = target(idx, *r);
  if (shape.size() != 4) return false;
  src = r->inputs[0];
  return true;
}

// q, k and v are the three outputs of one Split of the last axis into parts of `c`.
const Node* packed_split(const GraphIndex& idx, const std::string& q, const std::string& k, const std::string& v, int64_t c) {
  const Node* split = idx.producer_op(q, "Split");
  if (!split || split->outputs != std::vector<std::string>{q, k, v} || split->attr_int("axis", 0) != -1) return nullptr;
  if (split->has_input(1)) {
    const Tensor* sizes = idx.constant(split->inputs[1]);
    return sizes && sizes->to_i64_vector() == std::vector<int64_t>{c, c, c} ? split : nullptr;
  }
  const auto attr_sizes = split->attr_ints("split");
  return attr_sizes.empty() || attr_sizes == std::vector<int64_t>{c, c, c} ? split : nullptr;
}

Attribute int_attr(int64_t v) { return Attribute{Attribute::Kind::i, v}; }

std::optional<AttentionMatch> match(const GraphIndex& idx, int i) {
  const Node& sm = idx.node(i);
  if (!is_op(sm, "Softmax")) return std::nullopt;
  // Opset < 13 Softmax flattens from `axis` (default 1): the same as opset 13 only for the last axis.
  const bool legacy = sm.attr_int("_opset", 13) < 13;
  if (sm.attr_int("axis", legacy ? 1 : -1) != -1) return std::nullopt;
  AttentionMatch m;
  m.absorbed.push_back(i);
  // Scores, optionally divided by a constant.
  std::string scores = sm.inputs[0];
  float divisor = 1.f;
  if (const Node* div = idx.producer_op(scores, "Div")) {
    divisor = idx.constant_scalar(div->inputs[1]);
    if (std::isnan(divisor) || idx.single_consumer(scores) < 0) return std::nullopt;
    m.absorbed.push_back(idx.producer(scores));
    scores = div->inputs[0];
  }
  const Node* mm1 = idx.producer_op(scores, "MatMul");
  if (!mm1 || idx.single_consumer(scores) < 0) return std::nullopt;
  const Node* mm2 = only_consumer(idx, sm.outputs[0], "MatMul");
  if (!mm2 || mm2->inputs[0] != sm.outputs[0]) return std::nullopt;
  const Node* back = only_consumer(idx, mm2->outputs[0], "Transpose");
  if (!back || back->attr_ints("perm") != kToHeads) return std::nullopt;
  const Node* merge = only_consumer(idx, back->outputs[0], "Reshape");
  if (!merge) return std::nullopt;
  const std::vector<int64_t> out_shape = target(idx, *merge);
  std::string q, k, v;
  std::vector<int64_t> sq, sk, sv;
  if (out_shape.empty() || !heads_of(idx, mm1->inputs[0], kToHeads, q, sq) || !heads_of(idx, mm1->inputs[1], kToHeadsT, k, sk) ||
      !heads_of(idx, mm2->inputs[1], kToHeads, v, sv) || sq != sk || sq != sv)
    return std::nullopt;
  for (const Node* n : {mm1, mm2, back, merge}) m.absorbed.push_back(idx.producer(n->outputs[0]));
  Node& mha = m.mha;
  mha = make_node("MultiHeadAttention", merge->name + "/MultiHeadAttention", {}, {merge->outputs[0]}, kEcoDomain);
  mha.attrs["batch"] = int_attr(sq[0]);
  mha.attrs["tokens"] = int_attr(sq[1]);
  mha.attrs["num_heads"] = int_attr(sq[2]);
  mha.attrs["head_dim"] = int_attr(sq[3]);
  mha.attrs["scale_divisor"] = Attribute{Attribute::Kind::f, 0, divisor};
  mha.attrs["output_shape"] = Attribute{Attribute::Kind::ints, 0, 0, "", out_shape};
  // q, k, v from one packed qkv: the kernel reads the Split's input in place.
  if (const Node* split = packed_split(idx, q, k, v, sq[2] * sq[3])) {
    mha.inputs = {split->inputs[0]};
    mha.attrs["packed_qkv"] = int_attr(1);
  } else {
    mha.inputs = {q, k, v};
  }
  return m;
}

void rewrite(Rewriter& rw, const AttentionMatch& m) {
  for (int n : m.absorbed) rw.remove(n);
  rw.add(m.mha);
}

}  // namespace

Pass fuse_attention_pass() {
  return make_pass<AttentionMatch>(
      "fuse_attention", "Reshape/Transpose heads -> MatMul -> [Div] -> Softmax -> MatMul -> merge becomes MultiHeadAttention",
      match, rewrite);
}

}  // namespace ecoinfer::passes
