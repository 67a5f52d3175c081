// MatMul(X, W constant [K, N]) -> Add(bias constant [N]) [-> Relu | Gelu], and
// Gemm(X, W constant, C constant [N]) (alpha = beta = 1) [-> Relu | Gelu], become one
// FusedLinear (domain com.ecoinfer): Y = act(X W + b) with W stored [K, N].
#include "passes/pass.h"

namespace ecoinfer::passes {

int fuse_linear_epilogue(Graph& g) {
  GraphIndex idx(g);
  int n = 0;
  for (Node& mm : g.nodes) {
    std::string weight, bias, out;
    std::vector<Node*> absorbed;
    if (is_op(mm, "MatMul")) {
      const Tensor* w = g.initializer(mm.inputs[1]);
      if (!w || w->rank() != 2 || w->dtype() != DType::f32) continue;
      weight = mm.inputs[1];
      out = mm.outputs[0];
      const int c = idx.single_consumer(out);
      if (c >= 0 && is_op(g.nodes[c], "Add")) {
        Node& add = g.nodes[c];
        const std::string& b = add.inputs[0] == out ? add.inputs[1] : add.inputs[0];
        const Tensor* bt = g.initializer(b);
        if (bt && bt->dtype() == DType::f32 && bt->rank() == 1 && bt->dim(0) == w->dim(1)) {
          bias = b;
          absorbed.push_back(&add);
          out = add.outputs[0];
        }
      }
    } else if (is_op(mm, "Gemm")) {
      const Tensor* w = g.initializer(mm.inputs[1]);
      const Tensor* cb = mm.has_input(2) ? g.initializer(mm.inputs[2]) : nullptr;
      if (!w || w->rank() != 2 || mm.attr_int("transA", 0) || mm.attr_float("alpha", 1.f) != 1.f ||
          (mm.has_input(2) && (!cb || cb->rank() != 1 || mm.attr_float("beta", 1.f) != 1.f)))
        continue;
      if (mm.attr_int("transB", 0)) {
        // Store the weight [K, N] once, so one kernel serves both forms.
        Tensor t = Tensor::empty(DType::f32, {w->dim(1), w->dim(0)});
        for (int64_t i = 0; i < w->dim(0); ++i)
          for (int64_t j = 0; j < w->dim(1); ++j) t.data<float>()[j * w->dim(0) + i] = w->data<float>()[i * w->dim(1) + j];
        weight = fresh_name(g, mm.inputs[1] + "_kn");
        g.initializers[weight] = std::move(t);
      } else {
        weight = mm.inputs[1];
      }
      if (cb && cb->dim(0) != g.initializer(weight)->dim(1)) continue;
      if (cb) bias = mm.inputs[2];
      out = mm.outputs[0];
    } else {
      continue;
    }
    std::string activation;
    const int c = idx.single_consumer(out);
    if (c >= 0 && (is_op(g.nodes[c], "Relu") || (is_op(g.nodes[c], "Gelu") && g.nodes[c].attr_string("approximate", "none") == "none"))) {
      activation = g.nodes[c].op_type;
      absorbed.push_back(&g.nodes[c]);
      out = g.nodes[c].outputs[0];
    }
    if (absorbed.empty() && mm.op_type == "MatMul") continue;  // nothing to fuse
    mm.domain = "com.ecoinfer";
    mm.op_type = "FusedLinear";
    mm.inputs = {mm.inputs[0], weight, bias};
    mm.outputs = {out};
    Attribute act;
    act.kind = Attribute::Kind::s;
    act.s = activation;
    mm.attrs = {{"activation", act}};
    for (Node* a : absorbed) a->op_type.clear();
    ++n;
  }
  if (n) compact(g);
  return n;
}

}  // namespace ecoinfer::passes
