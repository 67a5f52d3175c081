// Identity, and Dropout in inference (mask output unused), forward their input: consumers
// read the input directly. Kept when the node produces a graph output.
#include "passes/pass.h"

namespace ecoinfer::passes {

namespace {

struct Forward {
  int node;
  std::string from, to;
};

// Dropout's training_mode is a constant false, or its ratio a constant 0.
bool dropout_is_identity(const GraphIndex& idx, const Node& node) {
  if (!node.has_input(2)) return true;  // training_mode defaults to false
  const Tensor* t = idx.constant(node.inputs[2]);
  const Tensor* r = node.has_input(1) ? idx.constant(node.inputs[1]) : nullptr;
  const bool off = t && t->numel() == 1 && t->to_i64_vector()[0] == 0;
  const bool zero = r && r->numel() == 1 && r->to_f32_vector()[0] == 0.f;
  return off || zero;
}

std::optional<Forward> match(const GraphIndex& idx, int i) {
  const Node& node = idx.node(i);
  const bool identity = is_op(node, "Identity");
  const bool dropout = is_op(node, "Dropout") && (node.outputs.size() == 1 || node.outputs[1].empty() || idx.unused(node.outputs[1]));
  if (!(identity || dropout) || node.inputs.empty() || idx.is_graph_output(node.outputs[0])) return std::nullopt;
  if (dropout && !dropout_is_identity(idx, node)) return std::nullopt;
  return Forward{i, node.outputs[0], node.inputs[0]};
}

void rewrite(Rewriter& rw, const Forward& m) {
  rw.forward(m.from, m.to);
  rw.remove(m.node);
}

}  // namespace

Pass eliminate_identity_pass() {
  return make_pass<Forward>("eliminate_identity", "Identity and inference Dropout forward their input", match, rewrite);
}

}  // namespace ecoinfer::passes
