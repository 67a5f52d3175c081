#include "cli/tactic_args.h"

#include <cstdio>

namespace ecoinfer::cli {

void add_tactic_args(CLI::App* cmd, TacticArgs& a) {
  std::string names = "none";
  for (const TacticInfo* t : all_tactics()) names += ", " + t->name;
  cmd->add_option("--tactic", a.specs,
                  "optimization tactic NAME[:ARG], repeatable, applied in order (" + names +
                      "), e.g. --tactic prune-global:0.5 --tactic dynamic-int8")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

std::vector<TacticResult> apply_tactic_args(ModelBundle& m, const TacticArgs& a) { return apply_tactics(m, a.specs); }

void add_tactic_json(nlohmann::json& j, const TacticArgs& a, const std::vector<TacticResult>& results) {
  j["tactic"] = a.specs.empty() ? std::vector<std::string>{"none"} : a.specs;
  double secs = 0;
  nlohmann::json details = nlohmann::json::array();
  for (const TacticResult& r : results) {
    secs += r.seconds;
    details.push_back({{"spec", r.spec}, {"seconds", r.seconds}, {"summary", r.summary}});
    if (r.summary.is_object() && r.summary.contains("weight_sparsity")) {
      j["weight_sparsity"] = r.summary["weight_sparsity"];
      j["per_layer_sparsity"] = r.summary["per_layer_sparsity"];
    }
  }
  j["optimize_seconds"] = secs;
  j["tactic_results"] = details;
}

void print_tactic_lines(const std::vector<TacticResult>& results) {
  for (const TacticResult& r : results) {
    std::string what;
    const auto& s = r.summary;
    if (s.is_object()) {
      if (s.contains("quantized_layers")) what = fmt::format("{} layers quantized ({})", s["quantized_layers"].get<int64_t>(),
                                                              s.value("scheme", std::string()));
      if (s.contains("weight_sparsity"))
        what = fmt::format("{} of {} weights pruned, weight sparsity {:.6f} over {} layers", s["pruned"].get<int64_t>(),
                           s["weights"].get<int64_t>(), s["weight_sparsity"].get<double>(), s["layers"].get<int64_t>());
      if (what.empty()) what = s.dump();
    }
    std::printf("tactic    %s: %s (%.3f s)\n", r.spec.c_str(), what.c_str(), r.seconds);
  }
}

}  // namespace ecoinfer::cli
