// Nodes none of whose outputs are read (by a node or as a graph output) are removed,
// repeatedly, so whole dead chains go.
#include "passes/pass.h"

namespace ecoinfer::passes {

int eliminate_dead_nodes(Graph& g) {
  int total = 0;
  for (;;) {
    GraphIndex idx(g);
    int n = 0;
    for (Node& node : g.nodes) {
      bool live = false;
      for (auto& o : node.outputs) live |= !o.empty() && (idx.consumers.count(o) || idx.is_graph_output.count(o));
      if (!live) {
        node.op_type.clear();
        ++n;
      }
    }
    if (!n) break;
    compact(g);
    total += n;
  }
  return total;
}

}  // namespace ecoinfer::passes
