#pragma once
// Small helpers shared by the *_cases.cpp files of the shape, logic, unary and reduce ops.
#include <limits>

#include "ops/op_cases.h"

namespace ecoinfer::test {

template <typename T>
Tensor typed(Shape shape, std::vector<T> v) {
  return Tensor::from<T>(std::move(shape), std::span<const T>(v.data(), v.size()));
}
inline Tensor i32(Shape shape, std::vector<int32_t> v) { return typed<int32_t>(std::move(shape), std::move(v)); }
inline Tensor f64(Shape shape, std::vector<double> v) { return typed<double>(std::move(shape), std::move(v)); }
inline Tensor u8(Shape shape, std::vector<uint8_t> v) { return typed<uint8_t>(std::move(shape), std::move(v)); }
inline Tensor i8(Shape shape, std::vector<int8_t> v) { return typed<int8_t>(std::move(shape), std::move(v)); }
inline Tensor b8(Shape shape, std::vector<int> v) {
  Tensor t = Tensor::empty(DType::boolean, std::move(shape));
  ECO_CHECK(static_cast<size_t>(t.numel()) == v.size(), "b8: {} values for {} elements", v.size(), t.numel());
  for (size_t i = 0; i < v.size(); ++i) t.data<bool>()[i] = v[i] != 0;
  return t;
}
// A 16-bit float tensor (float16 or bfloat16) from raw bit patterns.
inline Tensor bits16(DType t, Shape shape, std::vector<uint16_t> v) {
  Tensor x = Tensor::empty(t, std::move(shape));
  ECO_CHECK(static_cast<size_t>(x.numel()) == v.size(), "bits16: {} values for {} elements", v.size(), x.numel());
  std::memcpy(x.raw(), v.data(), v.size() * 2);
  return x;
}
inline Tensor none() { return Tensor(); }

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr int64_t kI64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kI64Min = std::numeric_limits<int64_t>::min();

// One case: op with attributes, inputs and expected outputs.
inline OpCase mk(const std::string& label, const std::string& op, std::map<std::string, Attribute> attrs,
                 std::vector<Tensor> inputs, std::vector<Tensor> expected) {
  OpCase c{label, make_node(op, std::move(attrs)), std::move(inputs), std::move(expected)};
  c.num_outputs = static_cast<int>(std::max<size_t>(1, c.expected.size()));
  return c;
}

}  // namespace ecoinfer::test
