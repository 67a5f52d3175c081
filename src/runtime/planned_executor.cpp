#include "runtime/executor.h"

namespace ecoinfer {

// Until the compile pipeline lands, the planned executor runs the (already rewritten)
// graph eagerly; this keeps `--tactic compile` honest about what it does.
std::unique_ptr<Executor> make_planned_executor(const Graph& g, RunOptions opts) {
  return std::make_unique<EagerExecutor>(g, opts);
}

}  // namespace ecoinfer
