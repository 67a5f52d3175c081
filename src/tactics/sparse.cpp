// `sparse[:MIN_SPARSITY]`: Linear layers whose weight is at least MIN_SPARSITY zeros (after
// prune-local / prune-global, or a model pruned elsewhere) run on a sparse kernel that
// touches only the nonzero weights (kernels/avx512/linear_sparse_f32_avx512.cpp). The result
// is the dense product up to summation order (ops/weight_format.h). Layers below the
// threshold, convolutions and Gemm stay dense, and the summary says which and why: at low
// sparsity the sparse kernel would be slower than the dense one.
//
// It needs AVX-512 (the only sparse kernel's ISA): elsewhere the marked layers would fall to
// the reference kernel, so the tactic refuses such a CPU. It applies the compile passes first
// unless compile already ran, as bf16 does: the bias and activation then run in the sparse
// kernel's epilogue.
#include "tactics/sparse.h"

#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "ops/compute_dtype.h"
#include "ops/registry.h"
#include "ops/weight_format.h"
#include "tactics/tactic.h"

namespace ecoinfer {

namespace {

const Tensor* constant_f32_matrix(const Graph& g, const Node& n, size_t i) {
  if (!n.has_input(i)) return nullptr;
  const Tensor* t = g.initializer(n.inputs[i]);
  return t && t->dtype() == DType::f32 && t->rank() == 2 ? t : nullptr;
}

double sparsity_of(const Tensor& t) {
  if (t.numel() == 0) return 0;
  const float* p = t.data<float>();
  int64_t zeros = 0;
  for (int64_t i = 0; i < t.numel(); ++i) zeros += p[i] == 0.f;
  return static_cast<double>(zeros) / static_cast<double>(t.numel());
}

}  // namespace

nlohmann::json mark_sparse_layers(Graph& g, double min_sparsity) {
  nlohmann::json marked = nlohmann::json::object(), dense = nlohmann::json::array();
  int64_t layers = 0, dense_params = 0, nonzeros = 0;
  for (Node& n : g.nodes) {
    const bool onnx = n.domain.empty(), eco = n.domain == kEcoDomain;
    const std::string op = onnx ? n.op_type : n.domain + "." + n.op_type;
    const Tensor* w = nullptr;
    if (eco && n.op_type == "FusedLinear") {
      w = constant_f32_matrix(g, n, 1);
      if (!w) dense.push_back({{"node", n.name}, {"op", op}, {"why", "weight not a constant f32 matrix"}});
    } else if (onnx && n.op_type == "MatMul") {
      // Attention's activation-by-activation products are not layers: skipped silently.
      if (!(n.has_input(0) && g.is_initializer(n.inputs[0]))) w = constant_f32_matrix(g, n, 1);
    } else if ((onnx && n.op_type == "Conv") || (eco && n.op_type == "FusedConv")) {
      const Tensor* cw = n.has_input(1) ? g.initializer(n.inputs[1]) : nullptr;
      nlohmann::json e{{"node", n.name}, {"op", op}, {"why", "convolution: no sparse kernel, runs dense"}};
      if (cw && cw->dtype() == DType::f32) e["sparsity"] = sparsity_of(*cw);
      dense.push_back(std::move(e));
    } else if (onnx && n.op_type == "Gemm") {
      dense.push_back({{"node", n.name}, {"op", op}, {"why", "Gemm the compile passes did not fuse (transA, alpha or beta)"}});
    }
    if (!w) continue;
    const double s = sparsity_of(*w);
    if (ops::computes_in_bf16(n)) {
      dense.push_back({{"node", n.name}, {"op", op}, {"sparsity", s}, {"why", "marked bf16 by an earlier tactic"}});
      continue;
    }
    if (s < min_sparsity) {
      dense.push_back({{"node", n.name}, {"op", op}, {"sparsity", s},
                       {"why", fmt::format("sparsity {:.3f} below {:.3f}: dense is faster", s, min_sparsity)}});
      continue;
    }
    n.attrs[ops::kWeightFormatAttr] = Attribute{Attribute::Kind::s, 0, 0, "sparse"};
    ++layers;
    dense_params += w->numel();
    nonzeros += std::llround((1 - s) * static_cast<double>(w->numel()));
    marked[op] = marked.value(op, 0) + 1;
  }
  return nlohmann::json{{"sparse_layers", layers},
                        {"sparse_layers_by_op", marked},
                        {"min_sparsity", min_sparsity},
                        {"kept_dense", dense},
                        {"sparse_layer_weights", dense_params},
                        {"sparse_layer_nonzeros", nonzeros},
                        {"weight_bytes_dense", dense_params * 4},
                        // value (4 bytes) and row offset (4 bytes) per nonzero
                        {"weight_bytes_sparse", nonzeros * 8}};
}

namespace {

double parse_min_sparsity(const std::string& arg) {
  if (arg.empty()) return kSparseMinSparsityDefault;
  char* end = nullptr;
  const double v = std::strtod(arg.c_str(), &end);
  ECO_CHECK(end && *end == '\0' && !arg.empty() && std::isfinite(v) && v >= 0 && v <= 1,
            "tactic 'sparse:{}': the argument is the least weight sparsity a layer needs to run sparse, a fraction in "
            "[0, 1] (default {})",
            arg, kSparseMinSparsityDefault);
  return v;
}

void check_sparse_arg(const std::string& arg) { parse_min_sparsity(arg); }

nlohmann::json apply_sparse(ModelBundle& model, TacticContext& ctx, const std::string& arg) {
  const double min_sparsity = parse_min_sparsity(arg);
  ECO_CHECK(cpu_has(CpuFeature::avx512f),
            "tactic 'sparse' needs a CPU with AVX-512 (F, BW, DQ, VL), which its sparse kernel is written for; this CPU "
            "lacks it, and the marked layers would run on the slow reference kernel. Pruned models run dense here");
  nlohmann::json summary;
  summary["compile"] = apply_compile_unless_applied(model, ctx, "sparse");
  summary.update(mark_sparse_layers(model.graph, min_sparsity));
  summary["numerics"] = "dense product up to summation order; a zero weight contributes nothing (no 0 * inf = NaN)";
  summary["executor"] = "planned";
  return summary;
}

}  // namespace

ECO_REGISTER_TACTIC(TacticInfo{"sparse",
                               "pruned Linear layers (weight sparsity >= MIN, default 0.8) on a sparse kernel that skips "
                               "zero weights (needs AVX-512); applies compile first. Use after prune-local/prune-global",
                               apply_sparse, check_sparse_arg});

}  // namespace ecoinfer
