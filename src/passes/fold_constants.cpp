// A node whose inputs are all constants is evaluated once with its reference kernel and
// replaced by initializers (shape arithmetic on constant shapes, weight transposes, ...).
#include "passes/pass.h"

namespace ecoinfer::passes {

namespace {

struct Foldable {
  int node;
  const OpSchema* schema;
};

std::optional<Foldable> match(const GraphIndex& idx, int i) {
  const Node& node = idx.node(i);
  for (auto& in : node.inputs)
    if (!in.empty() && !idx.constant(in)) return std::nullopt;
  for (auto& o : node.outputs)
    if (idx.is_graph_output(o)) return std::nullopt;
  const OpSchema* s = find_op(node.domain, node.op_type);
  if (!s) return std::nullopt;
  return Foldable{i, s};
}

void rewrite(Rewriter& rw, const Foldable& m) {
  const Node& node = rw.node(m.node);
  OpContext ctx{node, {}, 1, nullptr};
  for (auto& in : node.inputs) ctx.inputs.push_back(in.empty() ? nullptr : rw.constant(in));
  std::vector<Tensor> out = m.schema->reference(ctx);
  const std::vector<std::string> names = node.outputs;
  rw.remove(m.node);
  for (size_t o = 0; o < names.size() && o < out.size(); ++o)
    if (!names[o].empty()) rw.set_constant(names[o], std::move(out[o]));
}

}  // namespace

Pass fold_constants_pass() {
  return make_pass<Foldable>("fold_constants", "nodes with only constant inputs become initializers", match, rewrite);
}

}  // namespace ecoinfer::passes
