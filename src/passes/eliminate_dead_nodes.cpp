// Nodes none of whose outputs are read (by a node or as a graph output) are removed; the
// driver's sweeps repeat until whole dead chains are gone.
#include "passes/pass.h"

namespace ecoinfer::passes {

namespace {

std::optional<int> match(const GraphIndex& idx, int i) {
  for (auto& o : idx.node(i).outputs)
    if (!o.empty() && !idx.unused(o)) return std::nullopt;
  return i;
}

void rewrite(Rewriter& rw, const int& node) { rw.remove(node); }

}  // namespace

Pass eliminate_dead_nodes_pass() {
  return make_pass<int>("eliminate_dead_nodes", "nodes whose outputs nobody reads are removed", match, rewrite);
}

}  // namespace ecoinfer::passes
