// Identity, and Dropout in inference (mask output unused), forward their input: consumers
// read the input directly. Kept when the node produces a graph output.
#include "passes/pass.h"

namespace ecoinfer::passes {

int eliminate_identity(Graph& g) {
  GraphIndex idx(g);
  std::unordered_map<std::string, std::string> rename;
  int n = 0;
  for (Node& node : g.nodes) {
    const bool identity = node.op_type == "Identity" && node.domain.empty();
    const bool dropout = node.op_type == "Dropout" && node.domain.empty() &&
                         (node.outputs.size() == 1 || node.outputs[1].empty() || !idx.consumers.count(node.outputs[1]));
    if (!(identity || dropout) || idx.is_graph_output.count(node.outputs[0])) continue;
    if (dropout && node.inputs.size() > 2 && !node.inputs[2].empty()) {
      // training_mode must be a constant false, or ratio a constant 0.
      const Tensor* t = g.initializer(node.inputs[2]);
      const Tensor* r = node.inputs.size() > 1 && !node.inputs[1].empty() ? g.initializer(node.inputs[1]) : nullptr;
      const bool off = t && t->numel() == 1 && t->to_i64_vector()[0] == 0;
      const bool zero = r && r->numel() == 1 && r->to_f32_vector()[0] == 0.f;
      if (!off && !zero) continue;
    }
    std::string src = node.inputs[0];
    while (rename.count(src)) src = rename[src];
    rename[node.outputs[0]] = src;
    node.op_type.clear();
    ++n;
  }
  if (!n) return 0;
  for (Node& node : g.nodes)
    for (auto& in : node.inputs)
      while (rename.count(in)) in = rename[in];
  compact(g);
  return n;
}

}  // namespace ecoinfer::passes
