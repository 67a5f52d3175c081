// The compile pipeline, in order. Each pass can be listed with `ecoinfer optimize --tactic
// compile` output; docs/architecture.md describes them.
#include "passes/pass.h"

namespace ecoinfer::passes {

int eliminate_identity(Graph& g);
int fold_constants(Graph& g);
int eliminate_dead_nodes(Graph& g);
int fold_batchnorm_into_conv(Graph& g);
int fuse_conv_epilogue(Graph& g);
int fuse_gelu(Graph& g);
int fuse_layernorm(Graph& g);
int fuse_linear_epilogue(Graph& g);
int fuse_attention(Graph& g);
int convert_conv_to_channels_last(Graph& g);
int cancel_transposes(Graph& g);

const std::vector<Pass>& compile_passes() {
  static const std::vector<Pass> passes = {
      {"eliminate_identity", "Identity and inference Dropout forward their input", eliminate_identity},
      {"fold_constants", "nodes with only constant inputs become initializers", fold_constants},
      {"eliminate_dead_nodes", "nodes whose outputs nobody reads are removed", eliminate_dead_nodes},
      {"fold_batchnorm_into_conv", "Conv -> BatchNormalization becomes one Conv", fold_batchnorm_into_conv},
      {"fuse_gelu", "the erf GELU pattern becomes one Gelu", fuse_gelu},
      {"fuse_layernorm", "the decomposed LayerNorm (opset < 17 exports) becomes LayerNormalization", fuse_layernorm},
      {"fuse_attention", "Reshape/Transpose heads -> MatMul -> [Div] -> Softmax -> MatMul -> merge becomes MultiHeadAttention", fuse_attention},
      {"fuse_conv_epilogue", "Conv [+ residual Add] [+ Relu/Clip] becomes FusedConv", fuse_conv_epilogue},
      {"fuse_linear_epilogue", "MatMul/Gemm + bias [+ Relu/Gelu] becomes FusedLinear", fuse_linear_epilogue},
      {"convert_conv_to_channels_last", "2-D convolutions with >= 8 channels run NHWC between Transposes", convert_conv_to_channels_last},
      {"cancel_transposes", "Transposes move below Slice/Pad and inverse pairs cancel", cancel_transposes},
  };
  return passes;
}

nlohmann::json run_compile_passes(Graph& g) {
  nlohmann::json summary = nlohmann::json::object();
  for (const Pass& p : compile_passes()) summary[p.name] = 0;
  for (int round = 0; round < 4; ++round) {
    int changed = 0;
    for (const Pass& p : compile_passes()) {
      const int k = p.run(g);
      summary[p.name] = summary[p.name].get<int>() + k;
      changed += k;
    }
    if (!changed) break;
  }
  return summary;
}

}  // namespace ecoinfer::passes
