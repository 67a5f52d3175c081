// dynamic-int8: every Linear layer (MatMul with a constant 2-D right operand, Gemm with a
// constant B and transA=0) becomes com.ecoinfer::MatMulDynamicInt8, as
// torch.ao.quantization.quantize_dynamic({nn.Linear}, qint8) does. Convolutions stay fp32.
// Weights are quantized once here: symmetric int8, zero point 0, scale max(amax/127.5,
// FLT_EPSILON) per tensor (PyTorch's default) or per output channel (dynamic-int8:per-channel).
#include <cfloat>
#include <cmath>
#include <map>
#include <set>

#include "ops/matmul_int8.h"
#include "ops/registry.h"
#include "tactics/tactic.h"

namespace ecoinfer {

namespace {

struct QuantizedWeight {
  std::string q_name, scale_name;
  int64_t k = 0, n = 0;
};

std::string unique_name(const Graph& g, const std::string& base) {
  std::string name = base;
  for (int i = 1; g.initializers.count(name); ++i) name = base + "_" + std::to_string(i);
  return name;
}

// w: float [K, N] as the op consumes it (already transposed for Gemm transB=1).
QuantizedWeight quantize_weight_tensor(Graph& g, const std::string& base, const float* w, int64_t k, int64_t n,
                                       bool per_channel, float alpha, nlohmann::json& info) {
  QuantizedWeight r{unique_name(g, base + "_int8"), "", k, n};
  Tensor q = Tensor::empty(DType::i8, {k, n});
  int8_t* pq = q.data<int8_t>();
  std::vector<float> scales(per_channel ? n : 1, 0.f);
  if (per_channel) {
    std::vector<float> amax(n, 0.f);
    for (int64_t i = 0; i < k; ++i)
      for (int64_t j = 0; j < n; ++j) amax[j] = std::fmax(amax[j], std::fabs(w[i * n + j]));
    for (int64_t j = 0; j < n; ++j) scales[j] = ops::weight_scale_symmetric(amax[j]);
    for (int64_t i = 0; i < k; ++i)
      for (int64_t j = 0; j < n; ++j) pq[i * n + j] = ops::quantize_weight(w[i * n + j], scales[j]);
  } else {
    float amax = 0.f;
    for (int64_t i = 0; i < k * n; ++i) amax = std::fmax(amax, std::fabs(w[i]));
    scales[0] = ops::weight_scale_symmetric(amax);
    for (int64_t i = 0; i < k * n; ++i) pq[i] = ops::quantize_weight(w[i], scales[0]);
    info["scale"] = scales[0];
  }
  g.initializers[r.q_name] = q;
  // Gemm's alpha folds into the weight scale (exported Linear layers have alpha = 1).
  if (alpha != 1.f)
    for (float& s : scales) s *= alpha;
  r.scale_name = unique_name(g, base + "_scale");
  g.initializers[r.scale_name] =
      per_channel ? Tensor::from<float>({n}, scales) : Tensor::from<float>({}, std::span<const float>(scales.data(), 1));
  return r;
}

bool used_elsewhere(const Graph& g, const std::string& name) {
  for (const Node& n : g.nodes)
    for (const std::string& i : n.inputs)
      if (i == name) return true;
  for (const ValueInfo& o : g.outputs)
    if (o.name == name) return true;
  return false;
}

void check_dynamic_int8_arg(const std::string& arg) {
  ECO_CHECK(arg.empty() || arg == "per-tensor" || arg == "per-channel",
            "dynamic-int8: unknown option '{}' (expected dynamic-int8, dynamic-int8:per-tensor or dynamic-int8:per-channel)", arg);
}

nlohmann::json apply_dynamic_int8(ModelBundle& model, TacticContext&, const std::string& arg) {
  check_dynamic_int8_arg(arg);
  const bool per_channel = arg == "per-channel";
  Graph& g = model.graph;
  std::map<std::pair<std::string, int>, QuantizedWeight> done;  // (weight, transB) -> quantized
  std::set<std::string> replaced_weights;
  nlohmann::json layers = nlohmann::json::array();
  std::vector<Node> out_nodes;
  int64_t bytes_before = 0, bytes_after = 0;
  for (Node& node : g.nodes) {
    const bool matmul = node.domain.empty() && node.op_type == "MatMul";
    const bool gemm = node.domain.empty() && node.op_type == "Gemm";
    const Tensor* w = (matmul || gemm) && node.has_input(1) ? g.initializer(node.inputs[1]) : nullptr;
    const bool a_const = node.has_input(0) && g.is_initializer(node.inputs[0]);
    if (!w || w->dtype() != DType::f32 || w->rank() != 2 || a_const || (gemm && node.attr_int("transA", 0) != 0)) {
      out_nodes.push_back(std::move(node));
      continue;
    }
    const bool trans_b = gemm && node.attr_int("transB", 0) != 0;
    const float alpha = gemm ? node.attr_float("alpha", 1.f) : 1.f;
    const float beta = gemm ? node.attr_float("beta", 1.f) : 1.f;
    const int64_t k = trans_b ? w->dim(1) : w->dim(0), n = trans_b ? w->dim(0) : w->dim(1);
    const std::string wname = node.inputs[1];
    nlohmann::json info{{"node", node.name}, {"weight", wname}, {"k", k}, {"n", n}};
    auto key = std::make_pair(wname, trans_b ? 1 : 0);
    auto it = done.find(key);
    if (it == done.end() || alpha != 1.f) {
      std::vector<float> t;
      const float* src = w->data<float>();
      if (trans_b) {
        t.resize(static_cast<size_t>(k * n));
        for (int64_t j = 0; j < n; ++j)
          for (int64_t i = 0; i < k; ++i) t[i * n + j] = src[j * k + i];
        src = t.data();
      }
      QuantizedWeight qw = quantize_weight_tensor(g, wname, src, k, n, per_channel, alpha, info);
      it = done.insert_or_assign(key, qw).first;
      bytes_before += k * n * 4;
      bytes_after += k * n + (per_channel ? n : 1) * 4;
    }
    replaced_weights.insert(wname);
    Node q;
    q.name = node.name;
    q.domain = kEcoDomain;
    q.op_type = "MatMulDynamicInt8";
    q.inputs = {node.inputs[0], it->second.q_name, it->second.scale_name};
    q.attrs["reduce_range"] = Attribute{Attribute::Kind::i, 1};
    q.outputs = node.outputs;
    // Gemm's C: a constant [N] or [1, N] becomes the fp32 bias (times beta); anything else
    // is added after the op.
    if (gemm && node.has_input(2) && beta != 0.f) {
      const std::string& cname = node.inputs[2];
      const Tensor* c = g.initializer(cname);
      const bool row = c && c->dtype() == DType::f32 && c->numel() == n &&
                       (c->rank() == 1 || (c->rank() == 2 && c->dim(0) == 1));
      if (row) {
        std::string bname = cname;
        if (c->rank() != 1 || beta != 1.f) {
          std::vector<float> bv = c->to_f32_vector();
          for (float& v : bv) v *= beta;
          bname = unique_name(g, cname + "_bias");
          g.initializers[bname] = Tensor::from<float>({n}, bv);
        }
        q.inputs.push_back(bname);
      } else {
        const std::string mm = node.outputs[0] + "_int8_matmul";
        q.outputs = {mm};
        std::string cin = cname;
        if (beta != 1.f) {
          const std::string bn = unique_name(g, node.name + "_beta");
          g.initializers[bn] = Tensor::scalar<float>(beta);
          Node mul;
          mul.name = node.name + "_beta_mul";
          mul.op_type = "Mul";
          mul.inputs = {cname, bn};
          mul.outputs = {node.outputs[0] + "_beta_c"};
          mul.attrs["_opset"] = Attribute{Attribute::Kind::i, g.opset};
          cin = mul.outputs[0];
          out_nodes.push_back(q);
          out_nodes.push_back(mul);
        } else {
          out_nodes.push_back(q);
        }
        Node add;
        add.name = node.name + "_c_add";
        add.op_type = "Add";
        add.inputs = {mm, cin};
        add.outputs = node.outputs;
        add.attrs["_opset"] = Attribute{Attribute::Kind::i, g.opset};
        out_nodes.push_back(add);
        layers.push_back(info);
        continue;
      }
    }
    out_nodes.push_back(std::move(q));
    layers.push_back(info);
  }
  g.nodes = std::move(out_nodes);
  for (const std::string& w : replaced_weights)
    if (!used_elsewhere(g, w)) g.initializers.erase(w);
  verify_graph(g);
  return nlohmann::json{{"quantized_layers", layers.size()},
                        {"scheme", per_channel ? "per-channel symmetric int8" : "per-tensor symmetric int8"},
                        {"activations", "uint8 per tensor, dynamic, reduce_range (x86)"},
                        {"weight_bytes_before", bytes_before},
                        {"weight_bytes_after", bytes_after},
                        {"layers", layers}};
}

}  // namespace

ECO_REGISTER_TACTIC(TacticInfo{
    "dynamic-int8",
    "dynamic int8 quantization of Linear layers (MatMul/Gemm with constant weights), as torch quantize_dynamic; "
    "dynamic-int8:per-channel for per-output-channel weight scales",
    apply_dynamic_int8, check_dynamic_int8_arg});

}  // namespace ecoinfer
