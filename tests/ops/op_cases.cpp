#include "ops/op_cases.h"

namespace ecoinfer::test {

namespace {
std::vector<std::pair<std::string, CaseFactory>>& factories() {
  static std::vector<std::pair<std::string, CaseFactory>> f;
  return f;
}
}  // namespace

CaseRegistrar::CaseRegistrar(const std::string& op_type, CaseFactory f) { factories().emplace_back(op_type, std::move(f)); }
const std::vector<std::pair<std::string, CaseFactory>>& all_case_factories() { return factories(); }

Node make_node(const std::string& op_type, std::map<std::string, Attribute> attrs) {
  Node n;
  n.op_type = op_type;
  n.name = op_type + "_case";
  n.attrs = std::move(attrs);
  return n;
}
Attribute attr_i(int64_t v) { Attribute a; a.kind = Attribute::Kind::i; a.i = v; return a; }
Attribute attr_f(float v) { Attribute a; a.kind = Attribute::Kind::f; a.f = v; return a; }
Attribute attr_s(const std::string& v) { Attribute a; a.kind = Attribute::Kind::s; a.s = v; return a; }
Attribute attr_ints(std::vector<int64_t> v) { Attribute a; a.kind = Attribute::Kind::ints; a.ints = std::move(v); return a; }
Attribute attr_floats(std::vector<float> v) { Attribute a; a.kind = Attribute::Kind::floats; a.floats = std::move(v); return a; }
Attribute attr_t(Tensor t) { Attribute a; a.kind = Attribute::Kind::tensor; a.t = std::move(t); return a; }

Tensor random_f32(Shape shape, uint32_t seed, float lo, float hi) {
  Tensor t = Tensor::empty(DType::f32, std::move(shape));
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(lo, hi);
  float* p = t.data<float>();
  for (int64_t i = 0; i < t.numel(); ++i) p[i] = d(rng);
  return t;
}
Tensor f32(Shape shape, std::vector<float> v) { return Tensor::from<float>(std::move(shape), v); }
Tensor i64(Shape shape, std::vector<int64_t> v) { return Tensor::from<int64_t>(std::move(shape), v); }

}  // namespace ecoinfer::test
