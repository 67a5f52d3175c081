#pragma once
// `--tactic T` (repeatable) for the commands that run a model (eval, bench, optimize):
// applies the tactics in order to the loaded model and reports them. `--disable-pass NAME`
// (repeatable) skips a pass of the `compile` tactic.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "tactics/tactic.h"

namespace ecoinfer::cli {

struct TacticArgs {
  std::vector<std::string> specs;
  std::vector<std::string> disabled_passes;
};

void add_tactic_args(CLI::App* cmd, TacticArgs& a);

// Applies the specs in order (errors name the tactic); returns the tactics' context (one
// result per tactic, the executor to run on). With
// --disable-pass, every `compile` spec gets those passes in its disable= argument; an unknown
// pass name, or no --tactic compile, is an Error.
TacticContext apply_tactic_args(ModelBundle& m, const TacticArgs& a);

// Adds `tactic` (the specs), `optimize_seconds` and, when pruning ran, `weight_sparsity` and
// `per_layer_sparsity` (keyed by initializer name, after the last pruning tactic), plus
// `tactic_results` (each tactic's summary and time), and `disabled_passes` when given.
void add_tactic_json(nlohmann::json& j, const TacticArgs& a, const std::vector<TacticResult>& results);

// One line per tactic ("tactic    prune-global:0.5  0.012 s  ...") for human-readable output;
// for compile, the nodes before and after and the rewrites of each pass that made any.
void print_tactic_lines(const std::vector<TacticResult>& results);

}  // namespace ecoinfer::cli
