// `bf16`: the compute-heavy layers (convolutions, Linear layers) run in bfloat16 with fp32
// accumulation, as PyTorch's CPU autocast(dtype=torch.bfloat16) runs conv and linear: each
// marked layer reads its input and weight rounded to bf16 (round half to even) and writes
// fp32. Everything else (normalization, softmax, attention scores, residual adds) stays
// fp32. The weights stay fp32 in the model; the bf16 kernels pack them once as bf16 at
// prepare (half the bytes).
//
// It needs AVX512-BF16: oneDNN 2.x emulates bf16 elsewhere, slower than fp32, so the tactic
// refuses such a CPU instead of making the model slower. It applies the compile passes first
// unless compile already ran: fused layers convert their input once per layer, and the
// bf16 kernels exist for the fused ops the pipeline makes.
#include "tactics/bf16.h"

#include "ops/compute_dtype.h"
#include "ops/registry.h"
#include "ops/weight_format.h"
#include "tactics/tactic.h"

namespace ecoinfer {

namespace {

const Tensor* constant_f32(const Graph& g, const Node& n, size_t i, int64_t rank) {
  if (!n.has_input(i)) return nullptr;
  const Tensor* t = g.initializer(n.inputs[i]);
  return t && t->dtype() == DType::f32 && t->rank() == rank ? t : nullptr;
}

}  // namespace

nlohmann::json mark_bf16_layers(Graph& g) {
  nlohmann::json marked = nlohmann::json::object(), kept = nlohmann::json::array();
  int64_t layers = 0, weight_params = 0;
  for (Node& n : g.nodes) {
    const bool onnx = n.domain.empty(), eco = n.domain == kEcoDomain;
    const Tensor* w = nullptr;
    if ((onnx && n.op_type == "Conv") || (eco && n.op_type == "FusedConv")) {
      w = constant_f32(g, n, 1, 4);
      if (!w) kept.push_back({{"node", n.name}, {"op", n.op_type}, {"why", "not a 2-D convolution with a constant f32 weight"}});
    } else if (eco && n.op_type == "FusedLinear") {
      w = constant_f32(g, n, 1, 2);
      if (!w) kept.push_back({{"node", n.name}, {"op", n.op_type}, {"why", "weight not a constant f32 matrix"}});
    } else if (onnx && n.op_type == "MatMul") {
      // Attention's activation-by-activation products stay fp32 silently: they are not layers.
      if (!(n.has_input(0) && g.is_initializer(n.inputs[0]))) w = constant_f32(g, n, 1, 2);
    } else if (onnx && n.op_type == "Gemm") {
      kept.push_back({{"node", n.name}, {"op", n.op_type}, {"why", "Gemm the compile passes did not fuse (transA, alpha or beta)"}});
    }
    if (!w) continue;
    if (ops::uses_sparse_weight(n)) {
      kept.push_back({{"node", n.name}, {"op", n.op_type}, {"why", "runs sparse (marked by an earlier tactic)"}});
      continue;
    }
    n.attrs[ops::kComputeDtypeAttr] = Attribute{Attribute::Kind::s, 0, 0, "bf16"};
    ++layers;
    weight_params += w->numel();
    const std::string op = n.domain.empty() ? n.op_type : n.domain + "." + n.op_type;
    marked[op] = marked.value(op, 0) + 1;
  }
  return nlohmann::json{{"bf16_layers", layers},
                        {"bf16_layers_by_op", marked},
                        {"kept_fp32", kept},
                        {"weight_bytes_fp32", weight_params * 4},
                        {"weight_bytes_bf16", weight_params * 2}};
}

namespace {

void check_bf16_arg(const std::string& arg) { ECO_CHECK(arg.empty(), "tactic 'bf16' takes no argument (got 'bf16:{}')", arg); }

nlohmann::json apply_bf16(ModelBundle& model, TacticContext& ctx, const std::string& arg) {
  check_bf16_arg(arg);
  ECO_CHECK(cpu_has(CpuFeature::avx512_bf16),
            "tactic 'bf16' needs a CPU with AVX512-BF16 (Intel Cooper Lake / Sapphire Rapids or later, AMD Zen 4 or later); "
            "this CPU lacks it, and oneDNN would emulate bf16 more slowly than fp32. Use compile or dynamic-int8 here");
  nlohmann::json summary;
  summary["compile"] = apply_compile_unless_applied(model, ctx, "bf16");
  summary.update(mark_bf16_layers(model.graph));
  summary["numerics"] = "input and weight of each bf16 layer rounded to bf16 (round half to even), fp32 accumulation, fp32 output";
  summary["executor"] = "planned";
  return summary;
}

}  // namespace

ECO_REGISTER_TACTIC(TacticInfo{"bf16",
                               "convolutions and Linear layers in bfloat16 with fp32 accumulation (needs AVX512-BF16); "
                               "applies compile first",
                               apply_bf16, check_bf16_arg});

}  // namespace ecoinfer
