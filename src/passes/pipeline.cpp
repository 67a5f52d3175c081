// The compile pipeline, in order (docs/architecture.md describes each pass). `ecoinfer
// optimize --tactic compile` prints the rewrites of each; `--disable-pass NAME` skips one.
#include "passes/pass.h"

namespace ecoinfer::passes {

// Defined in src/passes/<name>.cpp.
Pass eliminate_identity_pass();
Pass fold_constants_pass();
Pass eliminate_dead_nodes_pass();
Pass fold_batchnorm_into_conv_pass();
Pass fuse_gelu_pass();
Pass fuse_layernorm_pass();
Pass fuse_attention_pass();
Pass fuse_conv_epilogue_pass();
Pass fuse_linear_epilogue_pass();
Pass convert_conv_to_channels_last_pass();
Pass cancel_transposes_pass();

const std::vector<Pass>& compile_passes() {
  static const std::vector<Pass> passes = {
      eliminate_identity_pass(),
      fold_constants_pass(),
      eliminate_dead_nodes_pass(),
      fold_batchnorm_into_conv_pass(),
      fuse_gelu_pass(),
      fuse_layernorm_pass(),
      fuse_attention_pass(),
      fuse_conv_epilogue_pass(),  // Conv [+ residual or per-channel Add] [+ Relu/Clip/HardSwish], or + SiLU
      fuse_linear_epilogue_pass(),
      convert_conv_to_channels_last_pass(),
      cancel_transposes_pass(),
  };
  return passes;
}

const Pass* find_pass(const std::string& name) {
  for (const Pass& p : compile_passes())
    if (p.name == name) return &p;
  return nullptr;
}

void check_pass_names(const std::vector<std::string>& names) {
  for (const std::string& n : names) {
    if (find_pass(n)) continue;
    std::string valid;
    for (const Pass& p : compile_passes()) valid += (valid.empty() ? "" : ", ") + p.name;
    fail("unknown pass '{}' (passes: {})", n, valid);
  }
}

nlohmann::json run_compile_passes(Graph& g, const ValueShapes* shapes) {
  check_pass_names(g.disabled_passes);
  const PassOptions opts{g.disabled_passes, shapes};
  nlohmann::json summary = nlohmann::json::object();
  for (const Pass& p : compile_passes()) summary[p.name] = 0;
  for (int round = 0; round < 4; ++round) {
    int changed = 0;
    for (const Pass& p : compile_passes()) {
      const int k = run_pass(g, p, opts);
      summary[p.name] = summary[p.name].get<int>() + k;
      changed += k;
    }
    if (!changed) break;
  }
  return summary;
}

}  // namespace ecoinfer::passes
