#include "ops/op_util.h"

#include <algorithm>

namespace ecoinfer::ops {

Shape legacy_broadcast_b(const Node& n, const Shape& a, const Shape& b) {
  if (n.attr_int("_opset", 1000) >= 7 || n.attr_int("broadcast", 0) == 0 || !n.has_attr("axis")) return b;
  const int64_t ra = static_cast<int64_t>(a.size()), rb = static_cast<int64_t>(b.size());
  int64_t axis = n.attr_int("axis");
  if (axis < 0) axis += ra;
  ECO_CHECK(axis >= 0 && axis + rb <= ra, "{}: B {} does not fit A {} at axis {} (legacy broadcast)", n.describe(),
            shape_str(b), shape_str(a), n.attr_int("axis"));
  Shape out = b;
  out.resize(static_cast<size_t>(ra - axis), 1);
  return out;
}

Shape broadcast_shapes(const Shape& a, const Shape& b_in, const Node& n) {
  const Shape b = legacy_broadcast_b(n, a, b_in);
  const size_t r = std::max(a.size(), b.size());
  Shape out(r);
  for (size_t i = 0; i < r; ++i) {
    int64_t da = i < r - a.size() ? 1 : a[i - (r - a.size())];
    int64_t db = i < r - b.size() ? 1 : b[i - (r - b.size())];
    ECO_CHECK(da == db || da == 1 || db == 1, "{}: shapes {} and {} cannot be broadcast", n.describe(), shape_str(a),
              shape_str(b));
    out[i] = da == 1 ? db : da;
  }
  return out;
}

void check_output_size(const Node& n, DType dtype, const Shape& shape) {
  // Saturating product: the claimed sizes may overflow int64.
  long double elems = 1;
  for (int64_t d : shape) elems *= static_cast<long double>(std::max<int64_t>(d, 0));
  const long double bytes = elems * static_cast<long double>(dtype_size(dtype));
  ECO_CHECK(bytes <= static_cast<long double>(max_tensor_bytes()),
            "{}: output of shape {} ({:.4g} bytes of {}) exceeds the {} byte tensor limit", n.describe(),
            shape_str(shape), static_cast<double>(bytes), dtype_name(dtype), max_tensor_bytes());
}

std::vector<int64_t> contiguous_strides(const Shape& s) {
  std::vector<int64_t> st(s.size());
  int64_t acc = 1;
  for (int i = static_cast<int>(s.size()) - 1; i >= 0; --i) {
    st[i] = acc;
    acc *= s[i];
  }
  return st;
}

std::vector<int64_t> broadcast_strides(const Shape& in, const Shape& out) {
  std::vector<int64_t> st(out.size(), 0);
  auto cs = contiguous_strides(in);
  const size_t off = out.size() - in.size();
  for (size_t i = 0; i < in.size(); ++i) st[off + i] = in[i] == 1 ? 0 : cs[i];
  return st;
}

float half_to_float(uint16_t h) {
  uint32_t sign = (h & 0x8000u) << 16, exp = (h >> 10) & 0x1f, mant = h & 0x3ff, bits;
  if (exp == 0) {
    if (mant == 0) bits = sign;
    else {  // subnormal: renormalise
      exp = 127 - 15 + 1;
      while (!(mant & 0x400)) { mant <<= 1; --exp; }
      mant &= 0x3ff;
      bits = sign | (exp << 23) | (mant << 13);
    }
  } else if (exp == 31) bits = sign | 0x7f800000u | (mant << 13);
  else bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

uint16_t float_to_half(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  uint32_t sign = (x >> 16) & 0x8000u;
  int32_t exp = static_cast<int32_t>((x >> 23) & 0xff) - 127 + 15;
  uint32_t mant = x & 0x7fffffu;
  if (((x >> 23) & 0xff) == 0xff) return static_cast<uint16_t>(sign | 0x7c00u | (mant ? 0x200u : 0));
  if (exp >= 31) return static_cast<uint16_t>(sign | 0x7c00u);
  if (exp <= 0) {
    if (exp < -10) return static_cast<uint16_t>(sign);
    mant |= 0x800000u;
    uint32_t shift = static_cast<uint32_t>(14 - exp);
    uint32_t half = mant >> shift, rem = mant & ((1u << shift) - 1), mid = 1u << (shift - 1);
    if (rem > mid || (rem == mid && (half & 1))) ++half;
    return static_cast<uint16_t>(sign | half);
  }
  uint32_t half = sign | (static_cast<uint32_t>(exp) << 10) | (mant >> 13);
  uint32_t rem = mant & 0x1fffu;
  if (rem > 0x1000u || (rem == 0x1000u && (half & 1))) ++half;
  return static_cast<uint16_t>(half);
}

float bf16_to_float(uint16_t h) {
  uint32_t bits = static_cast<uint32_t>(h) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

uint16_t float_to_bf16(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  if ((x & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((x >> 16) | 0x40);  // quiet NaN
  x += 0x7fffu + ((x >> 16) & 1);
  return static_cast<uint16_t>(x >> 16);
}

}  // namespace ecoinfer::ops
