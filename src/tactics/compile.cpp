// `compile`: the graph-level passes (constant folding, dead-code elimination, BatchNorm
// folding, GELU and epilogue fusion) now, and the planned executor (per-shape plans with
// shape arithmetic frozen, cached kernel state) at run time.
#include "passes/pass.h"
#include "tactics/tactic.h"

namespace ecoinfer {
namespace {

void check_compile_arg(const std::string& arg) {
  ECO_CHECK(arg.empty(), "tactic 'compile' takes no argument (got '{}')", arg);
}

nlohmann::json apply_compile(ModelBundle& m, const std::string& arg) {
  check_compile_arg(arg);
  const size_t before = m.graph.nodes.size();
  nlohmann::json rewrites = passes::run_compile_passes(m.graph);
  m.executor = ExecutorKind::planned;
  return {{"nodes_before", before}, {"nodes_after", m.graph.nodes.size()}, {"rewrites", rewrites}, {"executor", "planned"}};
}

}  // namespace

ECO_REGISTER_TACTIC(TacticInfo{"compile", "fold constants and BatchNorm, fuse epilogues and GELU; planned executor", apply_compile,
                                check_compile_arg});

}  // namespace ecoinfer
