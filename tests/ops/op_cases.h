#pragma once
// Cases for the op harness (op_harness_test.cpp). Every registered op must have cases;
// each case runs the reference kernel (checked against `expected` when given) and every
// fast kernel that supports it (checked against the reference within `budget`).
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "ops/registry.h"

namespace ecoinfer::test {

struct OpCase {
  std::string label;            // what the case covers, e.g. "broadcast [2,3] + [3]"
  Node node;                    // op_type, attrs; inputs/outputs are named by the harness
  std::vector<Tensor> inputs;   // an undefined Tensor is an absent optional input
  std::vector<Tensor> expected; // optional: hand-computed or independently computed outputs
  int num_outputs = 1;
  // Error budget for fast kernels against the reference: relative L2 error
  // ||fast - ref|| / ||ref||. fp32 kernels that reorder sums stay far below 1e-5.
  double budget = 1e-5;
  // Absolute tolerance for `expected` (element-wise).
  double expected_atol = 1e-6;
};

using CaseFactory = std::function<std::vector<OpCase>()>;

struct CaseRegistrar {
  CaseRegistrar(const std::string& op_type, CaseFactory f);
};
const std::vector<std::pair<std::string, CaseFactory>>& all_case_factories();

#define ECO_OP_CASES_CAT2(a, b) a##b
#define ECO_OP_CASES_CAT(a, b) ECO_OP_CASES_CAT2(a, b)
#define ECO_OP_CASES(op_type, ...) \
  static ::ecoinfer::test::CaseRegistrar ECO_OP_CASES_CAT(eco_cases_, __LINE__)(op_type, __VA_ARGS__)

// Helpers for writing cases.
Node make_node(const std::string& op_type, std::map<std::string, Attribute> attrs = {});
Attribute attr_i(int64_t v);
Attribute attr_f(float v);
Attribute attr_s(const std::string& v);
Attribute attr_ints(std::vector<int64_t> v);
Attribute attr_floats(std::vector<float> v);
Attribute attr_t(Tensor t);
Tensor random_f32(Shape shape, uint32_t seed, float lo = -1.f, float hi = 1.f);
Tensor f32(Shape shape, std::vector<float> v);
Tensor i64(Shape shape, std::vector<int64_t> v);

}  // namespace ecoinfer::test
