// MatMul(X, W constant [K, N]) -> Add(bias constant [N]) [-> Relu | Gelu], and
// Gemm(X, W constant, C constant [N]) (alpha = beta = 1) [-> Relu | Gelu], become one
// FusedLinear (domain com.ecoinfer): Y = act(X W + b) with W stored [K, N].
#include "ops/compute_dtype.h"
#include "ops/weight_format.h"
#include "passes/pass.h"

namespace ecoinfer::passes {

namespace {

struct LinearEpilogue {
  int node;
  std::string weight, bias, activation, out;
  bool transpose_weight = false;  // Gemm with transB: store W [K, N] once
  std::vector<int> absorbed;
};

std::optional<LinearEpilogue> match(const GraphIndex& idx, int i) {
  const Node& mm = idx.node(i);
  LinearEpilogue m{i};
  if (is_op(mm, "MatMul")) {
    const Tensor* w = idx.constant(mm.inputs[1]);
    if (!w || w->rank() != 2 || w->dtype() != DType::f32) return std::nullopt;
    m.weight = mm.inputs[1];
    m.out = mm.outputs[0];
    const int c = idx.single_consumer(m.out);
    if (c >= 0 && is_op(idx.node(c), "Add")) {
      const Node& add = idx.node(c);
      const std::string& b = other_input(add, m.out);
      const Tensor* bt = idx.constant(b);
      if (bt && bt->dtype() == DType::f32 && bt->rank() == 1 && bt->dim(0) == w->dim(1)) {
        m.bias = b;
        m.absorbed.push_back(c);
        m.out = add.outputs[0];
      }
    }
  } else if (is_op(mm, "Gemm")) {
    const Tensor* w = idx.constant(mm.inputs[1]);
    const Tensor* cb = mm.has_input(2) ? idx.constant(mm.inputs[2]) : nullptr;
    if (!w || w->rank() != 2 || w->dtype() != DType::f32 || mm.attr_int("transA", 0) || mm.attr_float("alpha", 1.f) != 1.f)
      return std::nullopt;
    m.transpose_weight = mm.attr_int("transB", 0) != 0;
    const int64_t n = m.transpose_weight ? w->dim(0) : w->dim(1);
    if (mm.has_input(2) &&
        (!cb || cb->dtype() != DType::f32 || cb->rank() != 1 || cb->dim(0) != n || mm.attr_float("beta", 1.f) != 1.f))
      return std::nullopt;
    m.weight = mm.inputs[1];
    if (cb) m.bias = mm.inputs[2];
    m.out = mm.outputs[0];
  } else {
    return std::nullopt;
  }
  const int c = idx.single_consumer(m.out);
  if (c >= 0 && (is_op(idx.node(c), "Relu") || (is_op(idx.node(c), "Gelu") && idx.node(c).attr_string("approximate", "none") == "none"))) {
    m.activation = idx.node(c).op_type;
    m.absorbed.push_back(c);
    m.out = idx.node(c).outputs[0];
  }
  if (m.absorbed.empty() && is_op(mm, "MatMul")) return std::nullopt;  // nothing to fuse
  return m;
}

void rewrite(Rewriter& rw, const LinearEpilogue& m) {
  Node mm = rw.node(m.node);
  std::string weight = m.weight;
  if (m.transpose_weight) {
    const Tensor& w = *rw.constant(m.weight);
    Tensor t = Tensor::empty(DType::f32, {w.dim(1), w.dim(0)});
    for (int64_t i = 0; i < w.dim(0); ++i)
      for (int64_t j = 0; j < w.dim(1); ++j) t.data<float>()[j * w.dim(0) + i] = w.data<float>()[i * w.dim(1) + j];
    weight = rw.fresh_name(m.weight + "_kn");
    rw.set_constant(weight, std::move(t));
  }
  mm.domain = kEcoDomain;
  mm.op_type = "FusedLinear";
  mm.inputs = {mm.inputs[0], weight, m.bias};
  mm.outputs = {m.out};
  Attribute act;
  act.kind = Attribute::Kind::s;
  act.s = m.activation;
  std::map<std::string, Attribute> attrs{{"activation", act}};
  // A layer the bf16 or sparse tactic marked stays marked when a later (per-shape) run fuses it.
  for (const char* mark : {ops::kComputeDtypeAttr, ops::kWeightFormatAttr})
    if (auto it = mm.attrs.find(mark); it != mm.attrs.end()) attrs.insert(*it);
  mm.attrs = std::move(attrs);
  rw.fuse(m.node, m.absorbed, std::move(mm));
}

}  // namespace

Pass fuse_linear_epilogue_pass() {
  return make_pass<LinearEpilogue>("fuse_linear_epilogue", "MatMul/Gemm + bias [+ Relu/Gelu] becomes FusedLinear", match, rewrite);
}

}  // namespace ecoinfer::passes
