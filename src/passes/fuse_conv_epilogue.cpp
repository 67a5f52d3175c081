// Conv [-> Add(residual)] [-> Relu | Clip(constant bounds) | HardSwish], or Conv -> SiLU (x * Sigmoid(x)),
// becomes one FusedConv
// (domain com.ecoinfer) whose kernel applies bias, residual and activation as oneDNN
// post-ops while the output is still in cache. Intermediates must have one consumer.
#include <cmath>

#include "passes/pass.h"

namespace ecoinfer::passes {

int fuse_conv_epilogue(Graph& g) {
  GraphIndex idx(g);
  int n = 0;
  for (Node& conv : g.nodes) {
    if (!is_op(conv, "Conv") || !g.is_initializer(conv.inputs[1])) continue;
    std::string out = conv.outputs[0];
    std::string residual, activation;
    float lo = 0, hi = 0;
    std::vector<Node*> absorbed;
    int c = idx.single_consumer(out);
    if (c >= 0 && is_op(g.nodes[c], "Add")) {
      Node& add = g.nodes[c];
      const std::string other = add.inputs[0] == out ? add.inputs[1] : add.inputs[0];
      if (other != out) {
        residual = other;
        absorbed.push_back(&add);
        out = add.outputs[0];
        c = idx.single_consumer(out);
      }
    }
    // SiLU / Swish, x * sigmoid(x) (EfficientNet): the conv output feeds exactly a Sigmoid
    // and the Mul that multiplies it by that Sigmoid's output.
    if (residual.empty() && !idx.is_graph_output.count(out)) {
      auto uses = idx.consumers.find(out);
      if (uses != idx.consumers.end() && uses->second.size() == 2) {
        Node* sig = nullptr;
        Node* mul = nullptr;
        for (int u : uses->second) {
          if (is_op(g.nodes[u], "Sigmoid")) sig = &g.nodes[u];
          else if (is_op(g.nodes[u], "Mul")) mul = &g.nodes[u];
        }
        if (sig && mul && idx.single_consumer(sig->outputs[0]) >= 0 &&
            &g.nodes[idx.single_consumer(sig->outputs[0])] == mul &&
            ((mul->inputs[0] == out && mul->inputs[1] == sig->outputs[0]) ||
             (mul->inputs[1] == out && mul->inputs[0] == sig->outputs[0]))) {
          activation = "Swish";
          absorbed.push_back(sig);
          absorbed.push_back(mul);
          out = mul->outputs[0];
          c = -1;
        }
      }
    }
    if (c >= 0 && is_op(g.nodes[c], "HardSwish")) {  // MobileNetV3
      activation = "HardSwish";
      absorbed.push_back(&g.nodes[c]);
      out = g.nodes[c].outputs[0];
    } else if (c >= 0 && is_op(g.nodes[c], "Relu")) {
      activation = "Relu";
      absorbed.push_back(&g.nodes[c]);
      out = g.nodes[c].outputs[0];
    } else if (c >= 0 && is_op(g.nodes[c], "Clip")) {
      Node& clip = g.nodes[c];
      lo = clip.has_input(1) ? constant_scalar(g, clip.inputs[1]) : clip.attr_float("min", -INFINITY);
      hi = clip.has_input(2) ? constant_scalar(g, clip.inputs[2]) : clip.attr_float("max", INFINITY);
      if (!std::isnan(lo) && !std::isnan(hi)) {
        activation = "Clip";
        absorbed.push_back(&clip);
        out = clip.outputs[0];
      }
    }
    if (absorbed.empty()) continue;
    conv.domain = "com.ecoinfer";
    conv.op_type = "FusedConv";
    conv.inputs.resize(3);  // X, W, B ("" when absent), then the residual
    if (!residual.empty()) conv.inputs.push_back(residual);
    conv.outputs = {out};
    Attribute act;
    act.kind = Attribute::Kind::s;
    act.s = activation;
    conv.attrs["activation"] = act;
    if (activation == "Clip") {
      conv.attrs["clip_min"] = Attribute{Attribute::Kind::f, 0, lo};
      conv.attrs["clip_max"] = Attribute{Attribute::Kind::f, 0, hi};
    }
    for (Node* a : absorbed) a->op_type.clear();
    ++n;
  }
  if (n) compact(g);
  return n;
}

}  // namespace ecoinfer::passes
