#include "cli/tactic_args.h"

#include <algorithm>
#include <cstdio>

#include "passes/pass.h"

namespace ecoinfer::cli {

void add_tactic_args(CLI::App* cmd, TacticArgs& a) {
  std::string names = "none";
  for (const TacticInfo* t : all_tactics()) names += ", " + t->name;
  cmd->add_option("--tactic", a.specs,
                  "optimization tactic NAME[:ARG], repeatable, applied in order (" + names +
                      "), e.g. --tactic prune-global:0.5 --tactic dynamic-int8")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  std::string passes;
  for (const passes::Pass& p : passes::compile_passes()) passes += (passes.empty() ? "" : ", ") + p.name;
  cmd->add_option("--disable-pass", a.disabled_passes,
                  "skip a pass of --tactic compile, repeatable (" + passes + "), e.g. --disable-pass fuse_attention")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

namespace {

// "compile" or "compile:disable=a" with `names` added to its disable= list; other specs as given.
std::string with_disabled_passes(const std::string& spec, const std::vector<std::string>& names) {
  const std::string prefix = "compile:disable=";
  if (spec != "compile" && !spec.starts_with(prefix)) return spec;
  std::string list = spec == "compile" ? "" : spec.substr(prefix.size());
  for (const std::string& n : names) list += (list.empty() ? "" : ",") + n;
  return prefix + list;
}

}  // namespace

TacticContext apply_tactic_args(ModelBundle& m, const TacticArgs& a) {
  if (a.disabled_passes.empty()) return apply_tactics(m, a.specs);
  passes::check_pass_names(a.disabled_passes);
  std::vector<std::string> specs;
  for (const std::string& s : a.specs) specs.push_back(with_disabled_passes(s, a.disabled_passes));
  ECO_CHECK(specs != a.specs, "--disable-pass skips passes of the compile tactic: add --tactic compile");
  return apply_tactics(m, specs);
}

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
  if (!a.disabled_passes.empty()) j["disabled_passes"] = a.disabled_passes;
  j["tactic_results"] = details;
}

namespace {

// "nodes 70 -> 41; rewrites fold_batchnorm_into_conv 19, fuse_conv_epilogue 19; disabled fuse_gelu"
std::string compile_line(const nlohmann::json& s) {
  std::string line = fmt::format("nodes {} -> {}; rewrites", s.value("nodes_before", 0), s.value("nodes_after", 0));
  std::string done;
  for (const passes::Pass& p : passes::compile_passes()) {
    const int n = s["rewrites"].value(p.name, 0);
    if (n) done += fmt::format("{} {} {}", done.empty() ? "" : ",", p.name, n);
  }
  line += done.empty() ? " none" : done;
  if (s.contains("disabled_passes") && !s["disabled_passes"].empty()) {
    std::string names;
    for (auto& n : s["disabled_passes"]) names += (names.empty() ? "" : ", ") + n.get<std::string>();
    line += "; disabled " + names;
  }
  return line;
}

}  // namespace

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
      if (s.contains("rewrites")) what = compile_line(s);
      if (s.contains("bf16_layers")) {
        std::string ops;
        for (auto& [op, n] : s["bf16_layers_by_op"].items()) ops += fmt::format("{}{} {}", ops.empty() ? "" : ", ", op, n.get<int64_t>());
        what = fmt::format("{} layers in bf16 ({}), weights {:.2f} -> {:.2f} MB packed, {} layer(s) kept fp32",
                           s["bf16_layers"].get<int64_t>(), ops.empty() ? "none" : ops,
                           s["weight_bytes_fp32"].get<int64_t>() / 1e6, s["weight_bytes_bf16"].get<int64_t>() / 1e6,
                           s["kept_fp32"].size());
        if (s["compile"].is_object()) what += "; compile first: " + compile_line(s["compile"]);
      }
      if (s.contains("sparse_layers")) {
        std::string ops;
        for (auto& [op, n] : s["sparse_layers_by_op"].items()) ops += fmt::format("{}{} {}", ops.empty() ? "" : ", ", op, n.get<int64_t>());
        what = fmt::format("{} layers sparse ({}) at sparsity >= {:.2f}, their weights {:.2f} -> {:.2f} MB, {} layer(s) kept dense",
                           s["sparse_layers"].get<int64_t>(), ops.empty() ? "none" : ops, s["min_sparsity"].get<double>(),
                           s["weight_bytes_dense"].get<int64_t>() / 1e6, s["weight_bytes_sparse"].get<int64_t>() / 1e6,
                           s["kept_dense"].size());
        if (s["compile"].is_object()) what += "; compile first: " + compile_line(s["compile"]);
      }
      if (what.empty()) what = s.dump();
    }
    std::printf("tactic    %s: %s (%.3f s)\n", r.spec.c_str(), what.c_str(), r.seconds);
  }
}

}  // namespace ecoinfer::cli
