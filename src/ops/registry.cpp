#include "ops/registry.h"

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

}  // namespace ecoinfer
