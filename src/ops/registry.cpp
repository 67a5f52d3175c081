#include "ops/registry.h"

#include <cpuid.h>

#include <map>
#include <mutex>

namespace ecoinfer {

namespace {
std::map<std::pair<std::string, std::string>, OpSchema>& table() {
  static std::map<std::pair<std::string, std::string>, OpSchema> t;
  return t;
}
}  // namespace

OpRegistrar::OpRegistrar(OpSchema schema) {
  auto& slot = table()[{schema.domain, schema.op_type}];
  auto fast = std::move(slot.fast);  // a kernel file may have registered first
  slot = std::move(schema);
  for (auto& k : fast) slot.fast.push_back(std::move(k));
}

KernelRegistrar::KernelRegistrar(const std::string& domain, const std::string& op_type, KernelImpl impl) {
  auto& slot = table()[{domain, op_type}];
  slot.fast.push_back(std::move(impl));
}

bool cpu_has(CpuFeature f) {
  switch (f) {
    case CpuFeature::none:
      return true;
    case CpuFeature::avx2: {
      static const bool has = __builtin_cpu_supports("avx2");
      return has;
    }
    case CpuFeature::avx512f: {
      static const bool has = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                              __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
      return has;
    }
    case CpuFeature::avx512_vnni: {
      static const bool has = cpu_has(CpuFeature::avx512f) && __builtin_cpu_supports("avx512vnni");
      return has;
    }
    case CpuFeature::avx512_bf16: {
      // CPUID leaf 7 sub-leaf 1, EAX bit 5 (clang 14's __builtin_cpu_supports lacks the name).
      unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
      static const bool has =
          cpu_has(CpuFeature::avx512f) && __get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx) && (eax & (1u << 5)) != 0;
      return has;
    }
  }
  return false;
}

const char* cpu_feature_name(CpuFeature f) {
  switch (f) {
    case CpuFeature::none:
      return "nothing";
    case CpuFeature::avx2:
      return "AVX2";
    case CpuFeature::avx512f:
      return "AVX-512 (F, BW, DQ, VL)";
    case CpuFeature::avx512_vnni:
      return "AVX-512 VNNI";
    case CpuFeature::avx512_bf16:
      return "AVX-512 BF16";
  }
  return "?";
}

Tensor OpContext::output(size_t i, DType dtype, Shape shape) const {
  if (planned_outputs && i < planned_outputs->size()) {
    const Tensor& t = (*planned_outputs)[i];
    if (t.defined() && t.dtype() == dtype && t.shape() == shape) return t;
  }
  return Tensor::empty(dtype, std::move(shape));
}

const OpSchema* find_op(const std::string& domain, const std::string& op_type) {
  const std::string d = (domain == "ai.onnx") ? "" : domain;
  auto it = table().find({d, op_type});
  if (it == table().end() || !it->second.reference) return nullptr;
  return &it->second;
}

std::vector<const OpSchema*> all_ops() {
  std::vector<const OpSchema*> v;
  for (auto& [k, s] : table())
    if (s.reference) v.push_back(&s);
  return v;
}

void verify_graph(Graph& g) {
  for (const Node& n : g.nodes) {
    const OpSchema* s = find_op(n.domain, n.op_type);
    ECO_CHECK(s != nullptr, "unsupported operator '{}{}' at node '{}' (opset {})",
              n.domain.empty() ? "" : n.domain + ".", n.op_type, n.name, g.opset);
    int nin = static_cast<int>(n.inputs.size());
    ECO_CHECK(nin >= s->min_inputs && nin <= s->max_inputs, "{}: has {} inputs, expected {} to {}", n.describe(), nin,
              s->min_inputs, s->max_inputs);
    int nout = static_cast<int>(n.outputs.size());
    ECO_CHECK(nout >= 1 && nout <= s->max_outputs, "{}: has {} outputs, expected 1 to {}", n.describe(), nout,
              s->max_outputs);
  }
  verify_structure(g);
}

}  // namespace ecoinfer
