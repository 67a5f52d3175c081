#include "core/tensor.h"

#include "core/buffer_pool.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>

namespace ecoinfer {

size_t dtype_size(DType t) {
  switch (t) {
    case DType::f32: return 4;
    case DType::f64: return 8;
    case DType::f16: return 2;
    case DType::bf16: return 2;
    case DType::i8: return 1;
    case DType::u8: return 1;
    case DType::i16: return 2;
    case DType::i32: return 4;
    case DType::i64: return 8;
    case DType::boolean: return 1;
  }
  return 0;
}

std::string_view dtype_name(DType t) {
  switch (t) {
    case DType::f32: return "float32";
    case DType::f64: return "float64";
    case DType::f16: return "float16";
    case DType::bf16: return "bfloat16";
    case DType::i8: return "int8";
    case DType::u8: return "uint8";
    case DType::i16: return "int16";
    case DType::i32: return "int32";
    case DType::i64: return "int64";
    case DType::boolean: return "bool";
  }
  return "?";
}

bool dtype_is_float(DType t) { return t == DType::f32 || t == DType::f64 || t == DType::f16 || t == DType::bf16; }

int64_t shape_numel(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) ECO_CHECK(d >= 0, "negative dimension in shape {}", shape_str(s));
  for (int64_t d : s)
    if (d == 0) return 0;
  for (int64_t d : s) ECO_CHECK(!__builtin_mul_overflow(n, d, &n), "shape {} has too many elements", shape_str(s));
  return n;
}

std::string shape_str(const Shape& s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i) {
    if (i) out += ", ";
    out += std::to_string(s[i]);
  }
  return out + "]";
}

namespace {
std::atomic<size_t> g_max_tensor_bytes{size_t{16} << 30};
}  // namespace

size_t max_tensor_bytes() { return g_max_tensor_bytes.load(std::memory_order_relaxed); }
void set_max_tensor_bytes(size_t bytes) { g_max_tensor_bytes.store(bytes, std::memory_order_relaxed); }

Tensor Tensor::empty(DType dtype, Shape shape) {
  Tensor t;
  t.dtype_ = dtype;
  t.numel_ = shape_numel(shape);
  t.shape_ = std::move(shape);
  t.has_shape_ = true;
  size_t bytes = t.nbytes();
  ECO_CHECK(bytes <= max_tensor_bytes(), "tensor of shape {} ({} bytes) exceeds the {} byte limit", shape_str(t.shape_),
            bytes, max_tensor_bytes());
  // At least one cache line, so data() is never null; large buffers are recycled (buffer_pool.h).
  void* p = buffer_pool::acquire(bytes);
  t.storage_ = std::shared_ptr<std::byte>(static_cast<std::byte*>(p), [bytes](std::byte* q) { buffer_pool::release(q, bytes); });
  return t;
}

Tensor Tensor::zeros(DType dtype, Shape shape) {
  Tensor t = empty(dtype, std::move(shape));
  std::memset(t.raw(), 0, t.nbytes());
  return t;
}

Tensor Tensor::view(const Tensor& base, size_t byte_offset, DType dtype, Shape shape) {
  Tensor t;
  t.dtype_ = dtype;
  t.numel_ = shape_numel(shape);
  t.shape_ = std::move(shape);
  t.has_shape_ = true;
  ECO_CHECK(byte_offset + t.nbytes() <= base.nbytes(), "view of {} bytes at offset {} exceeds its base of {} bytes",
            t.nbytes(), byte_offset, base.nbytes());
  t.storage_ = std::shared_ptr<std::byte>(base.storage_, base.storage_.get() + byte_offset);
  return t;
}

bool Tensor::storage_within(const Tensor& other) const {
  if (!storage_ || !other.storage_) return false;
  // Compared as integers: the pointers may belong to unrelated allocations.
  const auto p = reinterpret_cast<std::uintptr_t>(storage_.get());
  const auto lo = reinterpret_cast<std::uintptr_t>(other.storage_.get());
  return p >= lo && p < lo + std::max<size_t>(other.nbytes(), 1);
}

Tensor Tensor::reshaped(Shape shape) const {
  ECO_CHECK(shape_numel(shape) == numel_, "cannot reshape {} to {}", shape_str(shape_), shape_str(shape));
  Tensor t = *this;
  t.shape_ = std::move(shape);
  return t;
}

Tensor Tensor::clone() const {
  Tensor t = empty(dtype_, shape_);
  if (nbytes()) std::memcpy(t.raw(), raw(), nbytes());
  return t;
}

std::vector<int64_t> Tensor::to_i64_vector() const {
  std::vector<int64_t> v(static_cast<size_t>(numel_));
  for (int64_t i = 0; i < numel_; ++i) {
    switch (dtype_) {
      case DType::i64: v[i] = data<int64_t>()[i]; break;
      case DType::i32: v[i] = data<int32_t>()[i]; break;
      case DType::i16: v[i] = data<int16_t>()[i]; break;
      case DType::i8: v[i] = data<int8_t>()[i]; break;
      case DType::u8: v[i] = data<uint8_t>()[i]; break;
      case DType::boolean: v[i] = data<bool>()[i]; break;
      case DType::f32: v[i] = static_cast<int64_t>(data<float>()[i]); break;
      case DType::f64: v[i] = static_cast<int64_t>(data<double>()[i]); break;
      default: fail("cannot read {} tensor as integers", dtype_name(dtype_));
    }
  }
  return v;
}

std::vector<float> Tensor::to_f32_vector() const {
  std::vector<float> v(static_cast<size_t>(numel_));
  for (int64_t i = 0; i < numel_; ++i) {
    switch (dtype_) {
      case DType::f32: v[i] = data<float>()[i]; break;
      case DType::f64: v[i] = static_cast<float>(data<double>()[i]); break;
      case DType::i64: v[i] = static_cast<float>(data<int64_t>()[i]); break;
      case DType::i32: v[i] = static_cast<float>(data<int32_t>()[i]); break;
      case DType::i16: v[i] = data<int16_t>()[i]; break;
      case DType::i8: v[i] = data<int8_t>()[i]; break;
      case DType::u8: v[i] = data<uint8_t>()[i]; break;
      case DType::boolean: v[i] = data<bool>()[i]; break;
      default: fail("cannot read {} tensor as floats", dtype_name(dtype_));
    }
  }
  return v;
}

}  // namespace ecoinfer
