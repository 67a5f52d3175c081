#pragma once
// User-facing tactics (`--tactic NAME[:ARG]`): each rewrites a model's graph and weights
// (and may choose its executor) and reports what it changed. Tactics compose in order.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/model_folder.h"
#include "runtime/executor.h"

namespace ecoinfer {

struct TacticResult {
  std::string spec;        // as the user wrote it, e.g. "prune-global:0.5"
  double seconds = 0;      // wall time to apply (the optimization cost)
  nlohmann::json summary;  // what changed: layers quantized, sparsity per layer, nodes fused, ...
};

// What a tactic list decided beyond the graph and weights it rewrote in the model bundle:
// the executor to run on, pruning state, one result per tactic. The bundle stays what the
// files hold (graph, labels, preprocessing); this is the tactics' own state.
struct TacticContext {
  ExecutorKind executor = ExecutorKind::eager;  // compile switches it to planned
  // Per weight initializer, 1 for entries not pruned yet, so that repeated pruning within
  // one list compounds as PyTorch's PruningContainer does.
  std::map<std::string, std::vector<uint8_t>> prune_keep;
  std::vector<TacticResult> results;
};

struct TacticInfo {
  std::string name;  // "dynamic-int8", "prune-local", "prune-global", "compile"
  std::string help;
  // Applies the tactic with its argument (text after ':'; empty when none). Throws Error
  // for a bad argument. Returns the summary.
  std::function<nlohmann::json(ModelBundle& model, TacticContext& ctx, const std::string& arg)> apply;
  // Checks an argument without a model (throws Error as apply would), so that a study can
  // refuse a bad tactic before it loads or runs anything.
  std::function<void(const std::string& arg)> check_arg;
};

struct TacticRegistrar {
  explicit TacticRegistrar(TacticInfo info);
};
#define ECO_REGISTER_TACTIC(...) \
  static ::ecoinfer::TacticRegistrar ECO_TACTIC_CONCAT(eco_tactic_registrar_, __LINE__)(__VA_ARGS__)
#define ECO_TACTIC_CONCAT_INNER(a, b) a##b
#define ECO_TACTIC_CONCAT(a, b) ECO_TACTIC_CONCAT_INNER(a, b)

const TacticInfo* find_tactic(const std::string& name);
std::vector<const TacticInfo*> all_tactics();

// Applies "name[:arg]" specs in order; "none" is the identity. Unknown names are an Error
// listing the known ones. Run the result with make_executor(model.graph, ctx.executor, ...).
TacticContext apply_tactics(ModelBundle& model, const std::vector<std::string>& specs);

// For tactics that build on the compile passes (bf16, sparse): applies compile unless an
// earlier tactic of the list did, and returns compile's summary or "already applied".
// `tactic` names the caller in the error when compile is not registered.
nlohmann::json apply_compile_unless_applied(ModelBundle& model, TacticContext& ctx, const std::string& tactic);

// Checks one "name[:arg]" spec (known name, valid argument) without applying it.
void check_tactic_spec(const std::string& spec);

}  // namespace ecoinfer
