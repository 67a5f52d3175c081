#pragma once
// Comparison, logical and variadic min/max helpers behind the one-line op files
// (equal.cpp, less.cpp, and.cpp, max.cpp, ...).
#include "ops/cast.h"
#include "ops/elementwise.h"
#include "ops/tensor_util.h"

namespace ecoinfer::ops {

// Binary op over the types in List with numpy broadcasting and a bool output.
template <typename List, typename F>
std::vector<Tensor> compare_op(OpContext& c, F f) {
  const Tensor& a = c.in(0);
  const Tensor& b = c.in(1);
  ECO_CHECK(a.dtype() == b.dtype(), "{}: input types differ ({} vs {})", c.node.describe(), dtype_name(a.dtype()),
            dtype_name(b.dtype()));
  return {visit_dtype<List>(a.dtype(), c.node, "input", [&](auto t) {
    using T = decltype(t);
    return binary_broadcast<T, bool>(a, b, c.node, [&](T x, T y) { return f(x, y); });
  })};
}

#define ECO_COMPARE_OP(NAME, TYPES, EXPR)                                                              \
  namespace {                                                                                          \
  std::vector<Tensor> NAME##_ref(OpContext& c) {                                                       \
    return compare_op<TYPES>(c, [](auto x, auto y) -> bool { return EXPR; });                          \
  }                                                                                                    \
  }                                                                                                    \
  ECO_REGISTER_OP(OpSchema{.op_type = #NAME, .min_inputs = 2, .max_inputs = 2, .reference = NAME##_ref, \
                           .infer = infer_broadcast_bool});

// Variadic elementwise fold (Min, Max, Sum-like ops) with broadcasting over every input.
template <typename List, typename F>
std::vector<Tensor> variadic_fold(OpContext& c, F f) {
  ECO_CHECK(c.num_inputs() >= 1, "{}: needs at least one input", c.node.describe());
  if (is_half_float(c.in(0).dtype()))  // float16/bfloat16: in float32, rounded back
    return via_float32(c, [&](OpContext& w) { return variadic_fold<List>(w, f); });
  Tensor acc = c.in(0);
  for (size_t i = 1; i < c.num_inputs(); ++i) {
    const Tensor& b = c.in(i);
    ECO_CHECK(b.dtype() == acc.dtype(), "{}: input {} is {}, input 0 is {}", c.node.describe(), i, dtype_name(b.dtype()),
              dtype_name(acc.dtype()));
    acc = visit_dtype<List>(acc.dtype(), c.node, "input", [&](auto t) {
      using T = decltype(t);
      return binary_broadcast<T, T>(acc, b, c.node, [&](T x, T y) { return f(x, y); });
    });
  }
  if (c.num_inputs() == 1) {
    visit_dtype<List>(acc.dtype(), c.node, "input", [](auto) { return 0; });  // type check only
    acc = acc.clone();
  }
  return {acc};
}

std::vector<TensorMeta> infer_variadic_broadcast(const Node& n, const std::vector<TensorMeta>& in);

#define ECO_VARIADIC_OP(NAME, FN)                                                                           \
  namespace {                                                                                               \
  std::vector<Tensor> NAME##_ref(OpContext& c) {                                                            \
    return variadic_fold<NumericTypes>(c, [](auto x, auto y) { return FN(x, y); });                         \
  }                                                                                                         \
  }                                                                                                         \
  ECO_REGISTER_OP(OpSchema{.op_type = #NAME, .min_inputs = 1, .max_inputs = 4096, .reference = NAME##_ref, \
                           .infer = infer_variadic_broadcast});

}  // namespace ecoinfer::ops
